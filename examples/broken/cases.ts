import type { Bundle, BundleEntry, Communication, Encounter, Extension, MedicationAdministration, Observation, Patient } from 'fhir/r4';
import { EXAMPLES } from '../index.js';

/** Which layer must report a broken payload. */
export type Detector = 'builder-checks' | 'profile-validation';

/** The issue a broken payload must raise (the `.expect.json` sidecar). */
export interface BrokenExpectation {
  /** The example it was derived from (examples/bundles/<source>.json). */
  readonly source: string;
  readonly description: string;
  readonly detectedBy: readonly Detector[];
  readonly expect: {
    readonly severity: 'error' | 'warning';
    /** OperationOutcome issue type (http://hl7.org/fhir/issue-type). */
    readonly code: string;
    /** Where the issue is: a FHIRPath into the bundle, as in OperationOutcome.issue.expression. */
    readonly expression: string;
    /** The rule broken: an invariant key, a profile element and its constraint, or a builder check. */
    readonly rule: string;
    /** Text the diagnostics must contain (checked for builder-checks). */
    readonly messageIncludes?: string;
  };
  /**
   * How the profile validator (`createValidationService()`) reports it, for `profile-validation` cases: text its
   * message contains, and its location when that differs from `expect.expression` (a slice count is reported on
   * the element that holds the slices).
   */
  readonly validator?: {
    readonly messageIncludes: string;
    readonly expression?: string;
  };
  /** A FHIRPath over the bundle, true on the broken payload and false on its source (proves the breakage is there). */
  readonly witness: string;
}

interface BrokenCase extends BrokenExpectation {
  readonly name: string;
  readonly breakIt: (bundle: Bundle) => void;
}

const ADS = 'https://fhir.nhs.uk/R4';
const indexOf = (b: Bundle, pick: (e: BundleEntry) => boolean) => {
  const i = (b.entry ?? []).findIndex(pick);
  if (i < 0) throw new Error('broken case: entry not found in its source example');
  return i;
};
const call = (b: Bundle) => b.entry![0]!.resource as Communication;
const ofType = (type: string) => (e: BundleEntry) => e.resource?.resourceType === type;
const withProfile = (suffix: string) => (e: BundleEntry) => !!e.resource?.meta?.profile?.[0]?.endsWith(suffix);
const ext = (c: Communication, name: string): Extension[] => (c.extension ?? []).filter((x) => x.url === `${ADS}/StructureDefinition/${name}`);

/** Every broken payload, derived from an example bundle by one deliberate change. */
export const BROKEN_CASES: readonly BrokenCase[] = [
  {
    name: 'missing-call-origin', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'The call has no call origin (ADS2B is 1..1).',
    expect: { severity: 'error', code: 'structure', expression: 'Bundle.entry[0].resource', rule: 'UKCore-ADS-Communication: Communication.extension:aDSCallOrigin min 1' },
    validator: { messageIncludes: "Slice 'Communication.extension:aDSCallOrigin'" },
    witness: `entry[0].resource.extension.where(url = '${ADS}/StructureDefinition/Extension-ADS-CallOrigin').empty()`,
    breakIt: (b) => {
      const c = call(b);
      c.extension = (c.extension ?? []).filter((x) => !x.url.endsWith('Extension-ADS-CallOrigin'));
    },
  },
  {
    name: 'unknown-call-origin-code', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'Call origin code 99 is not in ADS-CallOrigin (required binding).',
    expect: { severity: 'error', code: 'code-invalid', expression: 'Bundle.entry[0].resource.extension[0].value.ofType(CodeableConcept)', rule: 'Extension-ADS-CallOrigin: value[x] required binding to ADS-CallOrigin' },
    validator: { messageIncludes: 'https://fhir.nhs.uk/R4/ValueSet/ADS-CallOrigin' },
    witness: `entry[0].resource.extension.where(url = '${ADS}/StructureDefinition/Extension-ADS-CallOrigin').value.coding.code = '99'`,
    breakIt: (b) => {
      ext(call(b), 'Extension-ADS-CallOrigin')[0]!.valueCodeableConcept!.coding![0]!.code = '99';
    },
  },
  {
    name: 'two-initial-response-categories', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'Both response categories are typed initial, so there is no reporting category (ADS20).',
    expect: { severity: 'error', code: 'invariant', expression: 'Bundle.entry[0].resource', rule: 'ads-com-1 and ads-com-2' },
    validator: { messageIncludes: 'ads-com-2' },
    witness: `entry[0].resource.extension.where(url = '${ADS}/StructureDefinition/Extension-ADS-ResponseCategory').extension.where(url = 'responseCategoryType').value.coding.where(code = 'initial').count() = 2`,
    breakIt: (b) => {
      const reporting = ext(call(b), 'Extension-ADS-ResponseCategory')[1]!;
      const type = reporting.extension!.find((x) => x.url === 'responseCategoryType')!.valueCodeableConcept!.coding![0]!;
      type.code = 'initial';
      type.display = 'Initial Response Category';
    },
  },
  {
    name: 'stop-code-with-completed-status', source: 'stop-code-no-response', detectedBy: ['profile-validation'],
    description: 'A stop code (statusReason) on a call whose status is completed rather than stopped.',
    expect: { severity: 'error', code: 'invariant', expression: 'Bundle.entry[0].resource', rule: 'ads-com-3' },
    validator: { messageIncludes: 'ads-com-3' },
    witness: "entry[0].resource.statusReason.exists() and entry[0].resource.status = 'completed'",
    breakIt: (b) => {
      call(b).status = 'completed';
    },
  },
  {
    name: 'missing-cad-identifier', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'The call has no CAD call identifier (ADS3 is 1..1).',
    expect: { severity: 'error', code: 'structure', expression: 'Bundle.entry[0].resource', rule: 'UKCore-ADS-Communication: Communication.identifier min 1' },
    validator: { messageIncludes: 'Communication.identifier: minimum required = 1' },
    witness: 'entry[0].resource.identifier.empty()',
    breakIt: (b) => {
      delete call(b).identifier;
    },
  },
  {
    name: 'wrong-bundle-type', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'Bundle.type is transaction; the ADS bundle is a collection.',
    expect: { severity: 'error', code: 'value', expression: 'Bundle.type', rule: 'UKCore-ADS-Bundle: Bundle.type fixed collection' },
    validator: { messageIncludes: "fixed to 'collection'" },
    witness: "type = 'transaction'",
    breakIt: (b) => {
      b.type = 'transaction';
    },
  },
  {
    name: 'non-uuid-fullurl', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'The patient entry is addressed as Patient/p1 instead of a urn:uuid (references updated to match).',
    expect: { severity: 'error', code: 'invariant', expression: 'Bundle.entry[5]', rule: 'ads-bun-1' },
    validator: { messageIncludes: 'ads-bun-1' },
    witness: "entry.where(fullUrl.startsWith('urn:uuid:').not()).exists()",
    breakIt: (b) => {
      const i = indexOf(b, ofType('Patient'));
      const old = b.entry![i]!.fullUrl!;
      const text = JSON.stringify(b).split(old).join('Patient/p1');
      Object.assign(b, JSON.parse(text));
      if (i !== 5) throw new Error('broken case non-uuid-fullurl: the patient moved; update expect.expression');
    },
  },
  {
    name: 'negative-dose', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'A medication dose of -300 mg.',
    expect: { severity: 'error', code: 'value', expression: 'Bundle.entry[17].resource.dosage.dose.value', rule: 'UKCore-ADS-MedicationAdministration: dosage.dose.value minValueDecimal 0' },
    validator: { messageIncludes: 'less than the specified minValue 0' },
    witness: 'entry.resource.ofType(MedicationAdministration).dosage.dose.value < 0',
    breakIt: (b) => {
      const i = indexOf(b, ofType('MedicationAdministration'));
      (b.entry![i]!.resource as MedicationAdministration).dosage!.dose!.value = -300;
      if (i !== 17) throw new Error('broken case negative-dose: the medication moved; update expect.expression');
    },
  },
  {
    name: 'respiration-rate-wrong-unit', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'Respiration rate in /h; UK Core fixes the UCUM code /min.',
    expect: { severity: 'error', code: 'value', expression: 'Bundle.entry[8].resource.value.ofType(Quantity).code', rule: 'UKCore-Observation-VitalSigns-RespirationRate: value[x].code fixed /min' },
    validator: { messageIncludes: "fixed to '/min'" },
    witness: "entry.resource.ofType(Observation).where(code.coding.where(code = '9279-1').exists()).value.code = '/h'",
    breakIt: (b) => {
      const i = indexOf(b, withProfile('UKCore-ADS-Observation-RespirationRate'));
      const q = (b.entry![i]!.resource as Observation).valueQuantity!;
      q.code = '/h';
      q.unit = 'per hour';
      if (i !== 8) throw new Error('broken case respiration-rate-wrong-unit: the observation moved; update expect.expression');
    },
  },
  {
    name: 'systolic-with-diastolic-loinc', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: "The systolic component (code.text 'Systolic blood pressure') carries the diastolic LOINC code 8462-4.",
    expect: { severity: 'error', code: 'value', expression: 'Bundle.entry[10].resource.component[0].code.coding[0].code', rule: 'UKCore-Observation-VitalSigns-BloodPressure: component:SystolicBP.code.coding:loinc.code fixed 8480-6' },
    validator: { messageIncludes: "fixed to '8480-6'" },
    witness: "entry.resource.ofType(Observation).component.where(code.text = 'Systolic blood pressure').code.coding.where(system = 'http://loinc.org').code = '8462-4'",
    breakIt: (b) => {
      const i = indexOf(b, withProfile('UKCore-ADS-Observation-BloodPressure'));
      const loinc = (b.entry![i]!.resource as Observation).component![0]!.code.coding!.find((c) => c.system === 'http://loinc.org')!;
      loinc.code = '8462-4';
      if (i !== 10) throw new Error('broken case systolic-with-diastolic-loinc: the observation moved; update expect.expression');
    },
  },
  {
    name: 'missing-verification-status', source: 'conveyed-to-ed', detectedBy: ['profile-validation'],
    description: 'The NHS number has no verification status extension.',
    expect: { severity: 'error', code: 'structure', expression: 'Bundle.entry[5].resource.identifier[0]', rule: 'UKCore-ADS-Patient: identifier:nhsNumber.extension:nhsNumberVerificationStatus min 1' },
    validator: { messageIncludes: 'nhsNumberVerificationStatus' },
    witness: "entry.resource.ofType(Patient).identifier.where(system = 'https://fhir.nhs.uk/Id/nhs-number').extension.empty()",
    breakIt: (b) => {
      delete (b.entry![indexOf(b, ofType('Patient'))]!.resource as Patient).identifier![0]!.extension;
    },
  },
  {
    name: 'dangling-reference', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'],
    description: 'The patient contact points at a patient that is not in the bundle.',
    expect: { severity: 'error', code: 'not-found', expression: 'Bundle.entry[7].resource.subject', rule: 'references resolve inside the bundle', messageIncludes: 'not in the bundle' },
    validator: { messageIncludes: 'not found within the bundle' },
    witness: "entry.resource.ofType(Encounter).subject.where(reference = 'urn:uuid:99999999-9999-4999-8999-999999999999').exists()",
    breakIt: (b) => {
      const i = indexOf(b, withProfile('UKCore-ADS-PatientContact-Encounter'));
      (b.entry![i]!.resource as Encounter).subject!.reference = 'urn:uuid:99999999-9999-4999-8999-999999999999';
    },
  },
  {
    name: 'treatment-type-mismatch', source: 'stop-code-no-response', detectedBy: ['builder-checks'],
    description: 'Treatment type see-and-convey-ed on a call nobody was conveyed from.',
    expect: { severity: 'error', code: 'business-rule', expression: 'Bundle.entry[0].resource.category', rule: 'treatment type agrees with conveyance', messageIncludes: 'see-and-convey-ed' },
    witness: "entry[0].resource.category.coding.code = 'see-and-convey-ed'",
    breakIt: (b) => {
      const coding = call(b).category![0]!.coding![0]!;
      coding.code = 'see-and-convey-ed';
      coding.display = 'See and convey to an emergency department';
    },
  },
  {
    name: 'two-calls', source: 'stop-code-no-response', detectedBy: ['builder-checks', 'profile-validation'],
    description: 'The call Communication appears twice.',
    expect: { severity: 'error', code: 'required', expression: 'Bundle.entry', rule: 'exactly one call (UKCore-ADS-Bundle entry:call max 1)', messageIncludes: 'exactly one call' },
    validator: { messageIncludes: 'Bundle.entry:call: max allowed = 1', expression: 'Bundle' },
    witness: 'entry.resource.ofType(Communication).count() = 2',
    breakIt: (b) => {
      const copy = structuredClone(b.entry![0]!);
      copy.fullUrl = 'urn:uuid:99999999-9999-4999-8999-999999999998';
      copy.resource!.id = '99999999-9999-4999-8999-999999999998';
      b.entry!.push(copy);
    },
  },
  {
    name: 'response-before-call', source: 'conveyed-to-ed', detectedBy: ['builder-checks'],
    description: 'The vehicle was allocated before the call connected (ADS10).',
    expect: { severity: 'error', code: 'business-rule', expression: 'Bundle.entry[4].resource.extension', rule: 'responses start after the call connected', messageIncludes: 'allocated before the call connected' },
    witness: "entry.resource.ofType(Encounter).extension.extension.where(url = 'dateTime').value.where($this < %resource.entry[0].resource.sent).exists()",
    breakIt: (b) => {
      const i = indexOf(b, withProfile('UKCore-ADS-Response-Encounter'));
      const allocated = (b.entry![i]!.resource as Encounter).extension![0]!.extension!.find((x) => x.url === 'dateTime')!;
      allocated.valueDateTime = '2026-11-23T13:58:00Z';
      if (i !== 4) throw new Error('broken case response-before-call: the response moved; update expect.expression');
    },
  },
];

/** The broken bundle of a case, built from its source example now. */
export function brokenBundle(c: BrokenCase): Bundle {
  const bundle = structuredClone(EXAMPLES[c.source]!().bundle);
  c.breakIt(bundle);
  return bundle;
}

/** The sidecar content of a case. */
export function expectationOf(c: BrokenCase): BrokenExpectation {
  const { name: _name, breakIt: _breakIt, ...expectation } = c;
  return expectation;
}
