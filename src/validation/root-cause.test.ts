import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Patient } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../examples/index.js';
import { createValidationService, type ValidationService } from './index.js';

// Root-cause reporting (docs/validation.md): one defect is reported once, where it is. What follows from it
// elsewhere (a reference to a target that fails its profile, a profile slice its item fails, a profile probe of a
// resource whose targets fail theirs) is not reported again. `reportConsequences` reports them all, as the HL7 Java
// validator does. Each payload below carries one defect of its own making in a valid ADS bundle.

const isError = (i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal';
const ruleOf = (i: OperationOutcomeIssue) => i.extension?.[0]?.valueString;
/** The errors of an outcome as rule id and location. */
const errors = (o: OperationOutcome) => o.issue.filter(isError).map((i) => ({ rule: ruleOf(i), at: i.expression?.[0] ?? '' }));

const fresh = (): Bundle => structuredClone(EXAMPLES['conveyed-to-ed']!().bundle);
const entryIndex = (b: Bundle, test: (r: Record<string, unknown>) => boolean) => b.entry!.findIndex((e) => e.resource && test(e.resource as unknown as Record<string, unknown>));
const patientOf = (b: Bundle) => b.entry![entryIndex(b, (r) => r.resourceType === 'Patient')]!.resource as Patient;
const SUBJECT_REFERENCES = (b: Bundle) => b.entry!.filter((e) => (e.resource as { subject?: { reference?: string } } | undefined)?.subject?.reference === b.entry![entryIndex(b, (r) => r.resourceType === 'Patient')]!.fullUrl).length;

/** The NHS number loses its verification status: the Patient fails UKCore-ADS-Patient, which it claims. */
function patientWithoutVerificationStatus(): { bundle: Bundle; at: number } {
  const bundle = fresh();
  delete patientOf(bundle).identifier![0]!.extension;
  return { bundle, at: entryIndex(bundle, (r) => r.resourceType === 'Patient') };
}

/** The call loses its call origin: the Communication fails UKCore-ADS-Communication, which the Bundle's call slice asks for. */
function callWithoutOrigin(): Bundle {
  const bundle = fresh();
  const call = bundle.entry![0]!.resource as { extension?: { url: string }[] };
  call.extension = call.extension!.filter((x) => !x.url.endsWith('Extension-ADS-CallOrigin'));
  return bundle;
}

let service: ValidationService;
let everything: ValidationService;
beforeAll(async () => {
  service = await createValidationService();
  everything = await createValidationService({ reuse: service.store, reportConsequences: true });
}, 120_000);

describe('root-cause reporting (default)', () => {
  it('the example bundle is valid, so each test below measures its one defect', () => {
    expect(errors(service.validate(fresh()))).toEqual([]);
  });

  it('a target that fails the profile it claims reports its defect where it is, not at every reference to it', () => {
    const { bundle, at } = patientWithoutVerificationStatus();
    expect(SUBJECT_REFERENCES(bundle)).toBeGreaterThan(1);
    // The extension slice is required without the profile naming `extension`: `extension` is required too, as in
    // the reference's snapshot (docs/snapshots.md, slice minimums). Both are findings where the defect is.
    expect(errors(service.validate(bundle))).toEqual([
      { rule: 'Validation_VAL_Profile_Minimum', at: `Bundle.entry[${at}].resource.identifier[0]` },
      { rule: 'Validation_VAL_Profile_Minimum_SLICE_EXT', at: `Bundle.entry[${at}].resource.identifier[0]` },
    ]);
  });

  it('an entry that fails the profile it claims still fills the Bundle slice that asks for that profile', () => {
    const outcome = service.validate(callWithoutOrigin());
    expect(errors(outcome)).toEqual([{ rule: 'Validation_VAL_Profile_Minimum_SLICE_EXT', at: 'Bundle.entry[0].resource' }]);
    // The slice match that failed is kept as information, where the entry is.
    const noted = outcome.issue.filter((i) => i.severity === 'information' && i.expression?.[0] === 'Bundle.entry[0]');
    expect(noted.map((i) => ({ rule: ruleOf(i), severity: i.severity }))).toEqual([{ rule: 'Does_not_match_slice_', severity: 'information' }]);
  });

  it('a resource conforms to its profile on its own content: a dangling reference is one error, not one per resource referring to its source', () => {
    const b = fresh();
    const at = entryIndex(b, (r) => (r.meta as { profile?: string[] } | undefined)?.profile?.[0]?.endsWith('PatientContact-Encounter') === true);
    (b.entry![at]!.resource as unknown as { subject: { reference: string } }).subject.reference = 'urn:uuid:99999999-9999-4999-8999-999999999999';
    expect(errors(service.validate(b))).toEqual([{ rule: 'ADSFHIR_REFERENCE_URN_NOT_IN_BUNDLE', at: `Bundle.entry[${at}].resource.subject` }]);
  });

  it('a target that claims no profile but fails the one its references ask for is one error, at the first reference, with the reason', () => {
    const b = fresh();
    const patient = patientOf(b);
    delete patient.meta;
    delete patient.identifier![0]!.extension;
    const outcome = service.validate(b);
    expect(errors(outcome)).toEqual([{ rule: 'Reference_REF_CantMatchChoice', at: expect.stringMatching(/\.subject$/) }]);
    // The reason is the target's own finding: the slice it lacks.
    expect(outcome.issue.find(isError)!.details?.text).toContain('nhsNumberVerificationStatus');
  });

  it('a finding both the base type and a profile of a bundled resource make is one issue', () => {
    const b = fresh();
    const at = entryIndex(b, (r) => r.resourceType === 'Patient');
    patientOf(b).birthDate = '2020-13-45';
    expect(errors(service.validate(b))).toEqual([{ rule: 'Type_Specific_Checks_DT_Date_Valid', at: `Bundle.entry[${at}].resource.birthDate` }]);
  });

  it("a count both an extension's own profile and the resource profile that slices it require is one finding of each kind", () => {
    const b = fresh();
    const at = entryIndex(b, (r) => (r.meta as { profile?: string[] } | undefined)?.profile?.[0]?.endsWith('Response-Encounter') === true);
    const typed = (b.entry![at]!.resource as unknown as { extension: { url: string; extension: { url: string }[] }[] }).extension.find((x) => x.url.endsWith('Extension-UKCore-TypedDateTime'))!;
    const i = (b.entry![at]!.resource as unknown as { extension: unknown[] }).extension.indexOf(typed);
    typed.extension = typed.extension.filter((x) => x.url !== 'dateTimeType');
    const where = `Bundle.entry[${at}].resource.extension[${i}]`;
    expect(errors(service.validate(b))).toEqual([
      { rule: 'Validation_VAL_Profile_Minimum', at: where },
      { rule: 'Validation_VAL_Profile_Minimum_SLICE', at: where },
    ]);
    // The reference validator reports each once too: the counts are the extension definition's in every pass over
    // the Encounter, the same message at the same place, kept once (InstanceValidator.addMessagesReplaceExistingIfMoreSevere).
    const all = errors(everything.validate(b)).filter((e) => e.at === where);
    expect(all.filter((e) => e.rule === 'Validation_VAL_Profile_Minimum')).toHaveLength(1);
    expect(all.filter((e) => e.rule === 'Validation_VAL_Profile_Minimum_SLICE')).toHaveLength(1);
  });

  it('every broken example payload gives at most 3 errors', () => {
    const dir = path.resolve(import.meta.dirname, '..', '..', 'examples', 'broken');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json'));
    expect(files.length).toBeGreaterThan(5);
    const over = files.map((f) => [f, service.validateText(readFileSync(path.join(dir, f), 'utf8')).outcome.issue.filter(isError).length] as const).filter(([, n]) => n > 3);
    expect(over).toEqual([]);
  });
});

describe('reportConsequences: every consequence, as the reference validator reports them', () => {
  it('a target that fails the profile it claims is also an error at every reference to it', () => {
    const { bundle } = patientWithoutVerificationStatus();
    const found = errors(everything.validate(bundle));
    expect(found.filter((e) => e.rule === 'Reference_REF_CantMatchChoice').length).toBeGreaterThanOrEqual(SUBJECT_REFERENCES(bundle));
  });

  it('an entry that fails its profile leaves the Bundle slice short', () => {
    const found = errors(everything.validate(callWithoutOrigin()));
    expect(found).toContainEqual({ rule: 'Validation_VAL_Profile_Minimum_SLICE', at: 'Bundle' });
    expect(found).toContainEqual({ rule: 'Validation_VAL_Profile_Minimum_SLICE_EXT', at: 'Bundle.entry[0].resource' });
  });
});
