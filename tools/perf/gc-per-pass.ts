/**
 * Garbage collection per pass of the headline benchmark (the official R4 examples through the full validation
 * service, from objects and from text, alternately), from the runtime's own gc performance entries: how much of a
 * pass is collection, and of which kind.
 *   npx tsx tools/perf/gc-per-pass.ts [--built]
 *   node --max-semi-space-size=64 --import tsx tools/perf/gc-per-pass.ts --built   (a larger young generation)
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { r4Examples } from '../../bench/corpus.js';
import { builtLibrary } from '../../bench/product.js';
import { createValidationService } from '../../src/validation/index.js';

const built = process.argv.includes('--built');
const examples = r4Examples();
const service = built ? await (await builtLibrary()).createValidationService() : await createValidationService();
const KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
let gcMs = 0;
const byKind: Record<string, number> = {};
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = KINDS[(entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
    gcMs += entry.duration;
    byKind[kind] = (byKind[kind] ?? 0) + entry.duration;
  }
});
observer.observe({ entryTypes: ['gc'] });
const pass = (mode: 'text' | 'objects'): void => {
  for (const e of examples) {
    if (mode === 'text') service.validateText(e.text, { format: 'json' });
    else service.validate(e.resource);
  }
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const PASSES = 10;
for (const mode of ['objects', 'text', 'objects', 'text'] as const) {
  for (let i = 0; i < 3; i++) pass(mode);
  await settle();
  gcMs = 0;
  for (const k of Object.keys(byKind)) delete byKind[k];
  const start = performance.now();
  for (let i = 0; i < PASSES; i++) pass(mode);
  const ms = (performance.now() - start) / PASSES;
  await settle(); // the entries of the last passes are delivered asynchronously
  const kinds = Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, Math.round((v / PASSES) * 10) / 10]));
  console.log(JSON.stringify({ mode, built, ms_per_pass: Math.round(ms), gc_ms_per_pass: Math.round((gcMs / PASSES) * 10) / 10, gc_share: Math.round((gcMs / PASSES / ms) * 1000) / 10, by_kind: kinds }));
}
observer.disconnect();
