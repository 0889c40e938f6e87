/**
 * `npm run bench`: every benchmark of the toolkit, side by side with its peers (@medplum/core,
 * JSON.parse of the same bytes, a bare Node start). Each part runs in a process of its own, so one part's
 * heap and caches do not weigh on the next one's figures. Prints each part as it finishes and ends with one
 * JSON line holding all the figures (the headline part's at the top level).
 *   npx tsx bench/run.ts [part ...]
 * Parts: examples (headline: the official R4 examples), ads, startup, ndjson, validation (synthetic
 * micro-benchmark), packages, builder, mapping, submission. `npm run bench -- <part>` runs one.
 */
import { spawnSync } from 'node:child_process';
import { runAdsBench } from './ads.js';
import { runBuilderBench } from './builder.js';
import { runMappingBench } from './mapping.js';
import { runNdjsonBench } from './ndjson.js';
import { runPackageBench } from './packages.js';
import { runR4ExamplesBench } from './r4-examples.js';
import { runStartupBench } from './startup.js';
import { runSubmissionBench } from './submission.js';
import { runValidationBench } from './validation.js';

const PARTS: Record<string, () => Promise<unknown>> = {
  examples: () => runR4ExamplesBench(),
  ads: () => runAdsBench(),
  startup: () => runStartupBench(),
  ndjson: () => runNdjsonBench(),
  validation: () => runValidationBench(),
  packages: () => runPackageBench(),
  builder: () => runBuilderBench(),
  mapping: () => runMappingBench(),
  submission: () => runSubmissionBench(),
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
  const headline = (results.examples ?? {}) as Record<string, unknown>;
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString().slice(0, 10), ...headline, ...results })}\n`);
}
