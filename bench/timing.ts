/**
 * Timing helpers shared by the bench parts. The machine the bench runs on may be shared, so every part
 * runs its workloads in interleaved rounds and keeps the best round of each: the least disturbed figure.
 */

/** Runs `fn` once to warm up, then repeats it for at least `minMs`; returns ms per run. */
export function msPerRun(fn: () => void, minMs: number): number {
  fn();
  let runs = 0;
  const t0 = performance.now();
  do {
    fn();
    runs++;
  } while (performance.now() - t0 < minMs);
  return (performance.now() - t0) / runs;
}

/** Runs `fn` once: what it returned and the wall time it took, in ms (for one-off steps such as a cold load). */
export function timeOnce<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/** {@link timeOnce} for an async step: the wall time until its promise settles. */
export async function timeOnceAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** Interleaved rounds over named workloads; the best (lowest) ms per run of each. */
export function bestOf<K extends string>(workloads: Record<K, () => void>, rounds: number, minMs: number): Record<K, number> {
  const names = Object.keys(workloads) as K[];
  const best = Object.fromEntries(names.map((k) => [k, Infinity])) as Record<K, number>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) best[name] = Math.min(best[name], msPerRun(workloads[name], minMs));
  }
  return best;
}

/** Rounds to two decimals, for ratios. */
export function ratio(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Median of a list of numbers (the list is not changed). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** True when this module's file is the script Node was started with. */
export function isMain(metaUrl: string): boolean {
  return metaUrl === `file://${process.argv[1]}`;
}
