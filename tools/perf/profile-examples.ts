/**
 * A CPU profile of the steady state of the headline benchmark (the official R4 examples through the full
 * validation service, from text or from objects), after three warm-up rounds, so start-up does not blur it.
 *   npx tsx tools/perf/profile-examples.ts [text|objects] [out.cpuprofile] [--built]
 * With --built it profiles the built library (dist/, built first when stale), as the benchmarks measure it;
 * without, the sources through the TypeScript loader (quicker to iterate, function names as in src/).
 *   node tools/perf/cpuprofile-summary.mjs out.cpuprofile 40     (self and inclusive time per function)
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { r4Examples } from '../../bench/corpus.js';
import { builtLibrary } from '../../bench/product.js';
import { createValidationService } from '../../src/validation/index.js';

const args = process.argv.slice(2).filter((a) => a !== '--built');
const built = args.length < process.argv.length - 2;
const mode = args[0] === 'objects' ? 'objects' : 'text';
const out = args[1] ?? `examples-${mode}.cpuprofile`;
const examples = r4Examples();
const service = built ? await (await builtLibrary()).createValidationService() : await createValidationService();
const round = (): void => {
  if (mode === 'text') for (const e of examples) service.validateText(e.text, { format: 'json' });
  else for (const e of examples) service.validate(e.resource);
};
for (let i = 0; i < 3; i++) round();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const start = performance.now();
let rounds = 0;
while (performance.now() - start < 6000) {
  round();
  rounds++;
}
const elapsed = performance.now() - start;
const { profile } = await session.post('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
console.log(JSON.stringify({ mode, built, rounds, resources_per_s: Math.round((rounds * examples.length * 1000) / elapsed), profile: out }));
