/**
 * Validation throughput: ours (compiled core R4 profiles) against @medplum/core validateResource on
 * the same resources, and against JSON.parse of the same bytes.
 *   npx tsx bench/validation.ts
 */
import { readCoreBundle } from '../src/packages/core-r4.js';
import { coreResolver, Validator } from '../src/validation/index.js';
import { benchResources } from './validation-fixtures.js';

export interface ValidationBenchResult {
  resources: number;
  resources_per_s: number;
  resources_per_s_text: number;
  medplum_resources_per_s: number;
  vs_medplum: number;
  vs_json_parse: number;
  errors_found: number;
}

function time(fn: () => void, minMs = 1500): number {
  // Warm up, then repeat until at least minMs elapsed; returns ms per run.
  fn();
  let runs = 0;
  const t0 = performance.now();
  do {
    fn();
    runs++;
  } while (performance.now() - t0 < minMs);
  return (performance.now() - t0) / runs;
}

export async function runValidationBench(count = 500): Promise<ValidationBenchResult> {
  const resources = benchResources(count);
  const texts = resources.map((r) => JSON.stringify(r));
  const validator = new Validator(coreResolver());
  let errors = 0;
  for (const r of resources) errors += validator.validateToIssues(r).filter((i) => i.severity === 'error' || i.severity === 'fatal').length;

  const medplum = await import('@medplum/core');
  for (const f of ['profiles-types.json', 'profiles-resources.json'] as const) {
    medplum.indexStructureDefinitionBundle(readCoreBundle(f) as never);
  }
  const medplumValidate = (r: Record<string, unknown>): void => {
    try {
      medplum.validateResource(r as never);
    } catch {
      // validateResource throws on findings; the time is what is measured.
    }
  };

  // Interleaved rounds, best of each: the machine is shared, so the minimum is the least disturbed figure.
  const best = { oursObj: Infinity, oursText: Infinity, parse: Infinity, theirs: Infinity };
  for (let round = 0; round < 3; round++) {
    best.parse = Math.min(best.parse, time(() => {
      for (const t of texts) JSON.parse(t);
    }, 700));
    best.oursText = Math.min(best.oursText, time(() => {
      for (const t of texts) validator.validateToIssues(t);
    }, 700));
    best.oursObj = Math.min(best.oursObj, time(() => {
      for (const r of resources) validator.validateToIssues(r);
    }, 700));
    best.theirs = Math.min(best.theirs, time(() => {
      for (const r of resources) medplumValidate(r);
    }, 700));
  }
  const { oursObj, oursText, parse, theirs } = best;
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    resources: count,
    resources_per_s: Math.round((count * 1000) / oursObj),
    resources_per_s_text: Math.round((count * 1000) / oursText),
    medplum_resources_per_s: Math.round((count * 1000) / theirs),
    vs_medplum: round(theirs / oursObj),
    vs_json_parse: round(oursText / parse),
    errors_found: errors,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runValidationBench()));
}
