/**
 * The headline benchmark: the official FHIR R4 examples (`hl7.fhir.r4.examples`, a development
 * dependency), validated by the full service (`createValidationService()`: core R4, UK Core, ADS, local
 * terminology, FHIRPath invariants) from text and from parsed objects, against @medplum/core
 * `validateResource` on the same objects and `JSON.parse` of the same bytes, in one run.
 *   npx tsx bench/run.ts examples      (or npx tsx bench/r4-examples.ts)
 */
import { readCoreBundle } from '../src/packages/core-r4.js';
import { r4Examples } from './corpus.js';
import { builtLibrary } from './product.js';
import { bestOf, isMain, ratio } from './timing.js';

export interface R4ExamplesBenchResult {
  resources: number;
  megabytes: number;
  /** Ours from JSON text (`validateText`, which parses), resources per second. */
  resources_per_s_text: number;
  /** Ours from parsed objects (`validate`). */
  resources_per_s_objects: number;
  medplum_resources_per_s: number;
  json_parse_resources_per_s: number;
  /** Our text throughput over Medplum's (which starts from objects). Goal: at least 5. */
  vs_medplum_text: number;
  /** Our object throughput over Medplum's. Goal: at least 5. */
  vs_medplum_objects: number;
  /** Our time from text over JSON.parse's time of the same bytes. Goal: at most 5. */
  vs_json_parse_text: number;
  /** Resources with at least one error or fatal issue (the examples are not all valid, nor all valid for Medplum). */
  with_errors: number;
  medplum_with_errors: number;
}

export async function runR4ExamplesBench(minMs = 700, rounds = 5): Promise<R4ExamplesBenchResult> {
  const examples = r4Examples();
  const texts = examples.map((e) => e.text);
  const objects = examples.map((e) => e.resource);
  const service = await (await builtLibrary()).createValidationService();
  const medplum = await import('@medplum/core');
  for (const f of ['profiles-types.json', 'profiles-resources.json'] as const) medplum.indexStructureDefinitionBundle(readCoreBundle(f) as never);
  const medplumValidate = (r: Record<string, unknown>): boolean => {
    try {
      medplum.validateResource(r as never);
      return true;
    } catch {
      return false; // validateResource throws on findings; the time is what is measured
    }
  };
  let withErrors = 0;
  let medplumErrors = 0;
  for (const r of objects) {
    if (service.validate(r).issue.some((i) => i.severity === 'error' || i.severity === 'fatal')) withErrors++;
    if (!medplumValidate(r)) medplumErrors++;
  }
  // Plain loops in every workload, so the JSON.parse baseline carries no overhead the others lack.
  const best = bestOf(
    {
      parse: () => {
        for (const t of texts) JSON.parse(t);
      },
      text: () => {
        for (const t of texts) service.validateText(t, { format: 'json' });
      },
      objects: () => {
        for (const r of objects) service.validate(r);
      },
      medplum: () => {
        for (const r of objects) medplumValidate(r);
      },
    },
    rounds,
    minMs,
  );
  const perSecond = (ms: number) => Math.round((examples.length * 1000) / ms);
  return {
    resources: examples.length,
    megabytes: ratio(texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6),
    resources_per_s_text: perSecond(best.text),
    resources_per_s_objects: perSecond(best.objects),
    medplum_resources_per_s: perSecond(best.medplum),
    json_parse_resources_per_s: perSecond(best.parse),
    vs_medplum_text: ratio(best.medplum / best.text),
    vs_medplum_objects: ratio(best.medplum / best.objects),
    vs_json_parse_text: ratio(best.text / best.parse),
    with_errors: withErrors,
    medplum_with_errors: medplumErrors,
  };
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await runR4ExamplesBench()));
