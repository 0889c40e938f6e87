/**
 * ads-fhir's start-up and per-resource time on given files, in a fresh process so that nothing is warm
 * (the oracle's own run has loaded the packages already). Prints one JSON line: {"startupMs":N,"ms":[...]}.
 *   node --import tsx tools/oracle/time-ads.ts FILE...
 */
import { readFileSync } from 'node:fs';

const t0 = performance.now();
const { createValidationService } = await import('../../src/index.js');
const service = await createValidationService();
const startupMs = performance.now() - t0;
const ms: number[] = [];
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const t = performance.now();
  service.validateText(text, { format: file.endsWith('.xml') ? 'xml' : 'json' });
  ms.push(performance.now() - t);
}
console.log(JSON.stringify({ startupMs, ms }));
