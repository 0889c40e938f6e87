/**
 * `npm run bench`: every benchmark of the toolkit in one run, side by side with its peers
 * (@medplum/core, JSON.parse of the same bytes). Prints each part as it finishes and ends with one
 * JSON line holding all the figures (validation's at the top level).
 */
import { runBuilderBench } from './builder.js';
import { runMappingBench } from './mapping.js';
import { runNdjsonBench } from './ndjson.js';
import { runPackageBench } from './packages.js';
import { runSubmissionBench } from './submission.js';
import { runValidationBench } from './validation.js';

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);
const results: Record<string, unknown> = {};

async function part(name: string, run: () => Promise<unknown>): Promise<void> {
  if (!wanted(name)) return;
  const started = Date.now();
  process.stderr.write(`bench: ${name}...\n`);
  const result = await run();
  results[name] = result;
  process.stderr.write(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(result)}\n`);
}

await part('packages', () => runPackageBench());
await part('validation', () => runValidationBench());
await part('builder', () => runBuilderBench());
await part('mapping', () => runMappingBench());
await part('submission', () => runSubmissionBench());
await part('ndjson', () => runNdjsonBench());

const validation = (results.validation ?? {}) as Record<string, unknown>;
process.stdout.write(`${JSON.stringify({ ...validation, ...results })}\n`);
