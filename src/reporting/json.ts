import { streamReport } from './stream.js';
import type { FileOutcome } from './types.js';

/** One JSON array of `{ file, outcome }`, the machine-readable report (the streamed report, collected). */
export function formatJson(results: readonly FileOutcome[]): string {
  let out = '';
  const report = streamReport('json', (chunk) => (out += chunk));
  for (const r of results) report.add(r);
  report.end(0);
  return out;
}
