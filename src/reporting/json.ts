import type { FileOutcome } from './types.js';

/** One JSON array of `{ file, outcome }`, the machine-readable report. */
export function formatJson(results: readonly FileOutcome[]): string {
  return JSON.stringify(results.map(({ file, outcome }) => ({ file, outcome })), null, 2) + '\n';
}
