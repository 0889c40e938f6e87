/**
 * Two builds of the library in one process, alternating pass by pass over the official R4 examples in the order
 * A B B A (so neither always runs first): the median and best ms per pass of each. Separate runs of the bench move by
 * up to a quarter on a shared machine; this tells two builds apart by a few per cent.
 *   npx tsx tools/perf/abba.ts <checkout A> <checkout B> [objects|text] [rounds, default 12]   (each checkout built: dist/index.js)
 * Besides each build's median and best, `b_over_a` is the median over rounds of B's two passes over A's two: a
 * drift of the machine during the run moves both sides of a round alike.
 * Run it twice with the checkouts swapped: the first one loaded can still be favoured.
 */
import { resolve } from 'node:path';
import { r4Examples } from '../../bench/corpus.js';

interface Service {
  validate(resource: unknown): unknown;
  validateText(text: string, options: { format: 'json' }): unknown;
}

const [dirA, dirB, modeArg, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 12);
if (!dirA || !dirB) {
  console.error('usage: npx tsx tools/perf/abba.ts <checkout A> <checkout B> [objects|text]');
  process.exit(2);
}
const mode = modeArg === 'text' ? 'text' : 'objects';
const load = async (dir: string): Promise<Service> => {
  const lib = (await import(resolve(dir, 'dist/index.js'))) as { createValidationService(): Promise<Service> };
  return lib.createValidationService();
};
const a = await load(dirA);
const b = await load(dirB);
const examples = r4Examples();
const pass = (service: Service): number => {
  const start = performance.now();
  for (const e of examples) {
    if (mode === 'text') service.validateText(e.text, { format: 'json' });
    else service.validate(e.resource);
  }
  return performance.now() - start;
};
for (let i = 0; i < 4; i++) {
  pass(a);
  pass(b);
}
const timesA: number[] = [];
const timesB: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const a1 = pass(a);
  const b1 = pass(b);
  const b2 = pass(b);
  const a2 = pass(a);
  timesA.push(a1, a2);
  timesB.push(b1, b2);
  ratios.push((b1 + b2) / (a1 + a2));
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const line = (dir: string, xs: number[]) => ({ build: dir, median_ms: Math.round(median(xs)), best_ms: Math.round(Math.min(...xs)) });
console.log(JSON.stringify({ mode, passes: timesA.length, a: line(dirA, timesA), b: line(dirB, timesB), b_over_a: Math.round(median(ratios) * 1000) / 1000 }));
