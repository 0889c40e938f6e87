/**
 * Shared set-up of the rule-family tests: the validation service (public entry point) with the default
 * packages, or with a small package of profiles written by the test, and a compact view of an outcome
 * (`severity rule location` per issue) so tests match rule ids, severities and locations, not text.
 */
import type { OperationOutcome } from 'fhir/r4';
import { profile, tempDir, testCacheDir, writePackageFolder } from '../../src/packages/test-fixtures.js';
import { createValidationService, ruleOf, type ValidationService } from '../../src/validation/index.js';

export { profile };

export const CORE = 'http://hl7.org/fhir/StructureDefinition/';

let defaultService: Promise<ValidationService> | undefined;

/** The service as users get it (core R4, UK Core, ADS), created once per test file. */
export function service(): Promise<ValidationService> {
  return (defaultService ??= createValidationService());
}

/** A service over core R4 and one package holding `files` (name -> resource), without UK Core or ADS. */
export function serviceWith(files: Record<string, unknown>): Promise<ValidationService> {
  const dir = writePackageFolder(tempDir('ads-fhir-rules-'), { name: 'example.rules', version: '1.0.0' }, files);
  return createValidationService({ ads: false, packages: [dir], store: { ukCore: false, cacheDir: testCacheDir, useFhirPackageCache: false } });
}

/** One issue as tests compare it: severity, rule id and location (FHIRPath), never the message text. */
export interface Found {
  severity: string;
  rule: string | undefined;
  at: string | undefined;
}

/** The issues of an outcome as {@link Found}, optionally only those whose rule id is in `rules`. */
export function found(outcome: OperationOutcome, rules?: readonly string[]): Found[] {
  return outcome.issue
    .filter((i) => !rules || rules.includes(ruleOf(i) ?? ''))
    .map((i) => ({ severity: i.severity, rule: ruleOf(i), at: i.expression?.[0] }));
}

/** Whether the outcome has an error or fatal issue: the verdict. */
export function hasErrors(outcome: OperationOutcome): boolean {
  return outcome.issue.some((i) => i.severity === 'error' || i.severity === 'fatal');
}

/** An Observation profile of our own: value[x] narrowed to two types, note at most once with a short text, issued must carry a value, effective[x] may be replaced by a data-absent-reason only, and value ranges. */
export const OBS_PROFILE = 'http://example.org/StructureDefinition/obs';
export const obsProfile = profile(OBS_PROFILE, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity' }, { code: 'CodeableConcept' }] },
  { id: 'Observation.value[x].value', path: 'Observation.value[x].value', minValueDecimal: 0 },
  { id: 'Observation.note', path: 'Observation.note', max: '1' },
  { id: 'Observation.note.text', path: 'Observation.note.text', maxLength: 5, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/minLength', valueInteger: 3 }] },
  { id: 'Observation.issued', path: 'Observation.issued', extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.mustHaveValue', valueBoolean: true }] },
  {
    id: 'Observation.effective[x]',
    path: 'Observation.effective[x]',
    type: [{ code: 'dateTime' }],
    extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-ElementDefinition.valueAlternatives', valueCanonical: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason' }],
  },
  { id: 'Observation.component.value[x]', path: 'Observation.component.value[x]', type: [{ code: 'integer' }], minValueInteger: 2, maxValueInteger: 5 },
]);

/** A minimal valid Observation with `extra` properties. */
export function observation(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { resourceType: 'Observation', status: 'final', code: { text: 'x' }, ...extra };
}
