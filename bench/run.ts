/**
 * `npm run bench`: every benchmark of the toolkit, side by side with its peers (@medplum/core,
 * JSON.parse of the same bytes). Each part runs in a process of its own, so one part's heap and
 * caches do not weigh on the next one's figures. Prints each part as it finishes and ends with one
 * JSON line holding all the figures (validation's at the top level).
 *   npx tsx bench/run.ts [part ...]   (parts: packages validation builder mapping submission ndjson)
 */
import { spawnSync } from 'node:child_process';
import { runBuilderBench } from './builder.js';
import { runMappingBench } from './mapping.js';
import { runNdjsonBench } from './ndjson.js';
import { runPackageBench } from './packages.js';
import { runSubmissionBench } from './submission.js';
import { runValidationBench } from './validation.js';

const PARTS: Record<string, () => Promise<unknown>> = {
  packages: () => runPackageBench(),
  validation: () => runValidationBench(),
  builder: () => runBuilderBench(),
  mapping: () => runMappingBench(),
  submission: () => runSubmissionBench(),
  ndjson: () => runNdjsonBench(),
};

/** Marks the child's result line on stdout, apart from anything a part prints. */
const RESULT = 'bench-result ';

const asked = process.argv.slice(2);
const unknown = asked.filter((p) => p !== '--in-process' && !(p in PARTS));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown part(s) ${unknown.join(', ')}; parts are ${Object.keys(PARTS).join(', ')}\n`);
  process.exit(2);
}

if (asked.includes('--in-process')) {
  // A child: run the one part asked for and hand its figures back.
  const name = asked.find((p) => p in PARTS)!;
  const result = await PARTS[name]!();
  process.stdout.write(`\n${RESULT}${JSON.stringify(result)}\n`);
} else {
  const names = asked.length > 0 ? asked : Object.keys(PARTS);
  const results: Record<string, unknown> = {};
  for (const name of names) {
    const started = Date.now();
    process.stderr.write(`bench: ${name}...\n`);
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, name, '--in-process'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT));
    if (child.status !== 0 || !line) {
      process.stderr.write(`bench: ${name} failed (exit ${child.status ?? child.signal})\n`);
      process.exit(1);
    }
    results[name] = JSON.parse(line.slice(RESULT.length));
    process.stderr.write(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(results[name])}\n`);
  }
  const validation = (results.validation ?? {}) as Record<string, unknown>;
  process.stdout.write(`${JSON.stringify({ ...validation, ...results })}\n`);
}
