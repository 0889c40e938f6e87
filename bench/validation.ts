/**
 * The synthetic micro-benchmark (the headline figures are bench/r4-examples.ts, on real payloads).
 * Validation throughput: ours (compiled core R4 profiles, with FHIRPath invariants and local
 * terminology, as the product validates) against @medplum/core validateResource on the same resources,
 * and against JSON.parse of the same bytes. Structure-only figures (no invariants, no bindings) are
 * reported beside them.
 *   npx tsx bench/validation.ts
 */
import { FhirPathInvariantEvaluator } from '../src/fhirpath/index.js';
import { readCoreBundle } from '../src/packages/core-r4.js';
import { LocalTerminology, memberOfHook, TerminologyBindingChecker } from '../src/terminology/index.js';
import { coreResolver, Validator } from '../src/validation/index.js';
import { bestOf, isMain, ratio } from './timing.js';
import { benchResources } from './validation-fixtures.js';

export interface ValidationBenchResult {
  resources: number;
  resources_per_s: number;
  resources_per_s_text: number;
  medplum_resources_per_s: number;
  vs_medplum: number;
  vs_json_parse: number;
  /** The same figures with no FHIRPath invariants and no binding checks (structure, cardinality, types, fixed values only). */
  structure_only_resources_per_s: number;
  structure_only_vs_medplum: number;
  structure_only_vs_json_parse: number;
  errors_found: number;
}

export async function runValidationBench(count = 500): Promise<ValidationBenchResult> {
  const resources = benchResources(count);
  const texts = resources.map((r) => JSON.stringify(r));
  const resolver = coreResolver();
  const terminology = new LocalTerminology(resolver);
  // Wired as ValidationService wires it, over core R4 only (the peer knows nothing else).
  const validator = new Validator(resolver, {
    invariants: new FhirPathInvariantEvaluator({ memberOf: memberOfHook(terminology) }),
    terminology: new TerminologyBindingChecker(terminology),
  });
  const structural = new Validator(resolver);
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

  // Five interleaved rounds, best of each: the machine is shared, so the minimum is the least disturbed figure.
  // Plain loops in every workload, so the JSON.parse baseline carries no overhead the others lack.
  const workloads = {
    parse: () => {
      for (const t of texts) JSON.parse(t);
    },
    oursText: () => {
      for (const t of texts) validator.validateToIssues(t);
    },
    oursObj: () => {
      for (const r of resources) validator.validateToIssues(r);
    },
    plainText: () => {
      for (const t of texts) structural.validateToIssues(t);
    },
    plainObj: () => {
      for (const r of resources) structural.validateToIssues(r);
    },
    theirs: () => {
      for (const r of resources) medplumValidate(r);
    },
  };
  const { oursObj, oursText, plainObj, plainText, parse, theirs } = bestOf(workloads, 5, 700);
  const round = ratio;
  return {
    resources: count,
    resources_per_s: Math.round((count * 1000) / oursObj),
    resources_per_s_text: Math.round((count * 1000) / oursText),
    medplum_resources_per_s: Math.round((count * 1000) / theirs),
    vs_medplum: round(theirs / oursObj),
    vs_json_parse: round(oursText / parse),
    structure_only_resources_per_s: Math.round((count * 1000) / plainObj),
    structure_only_vs_medplum: round(theirs / plainObj),
    structure_only_vs_json_parse: round(plainText / parse),
    errors_found: errors,
  };
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await runValidationBench()));
