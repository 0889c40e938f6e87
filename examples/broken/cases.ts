import type { Bundle, BundleEntry, Communication, Encounter, Extension, Location, MedicationAdministration, Observation, Patient } from 'fhir/r4';
import { EXAMPLES } from '../index.js';

/** Which layer must report a broken payload. */
export type Detector = 'builder-checks' | 'profile-validation';

/** The issue a broken payload must raise (the `.expect.json` sidecar). */
export interface BrokenExpectation {
  /** The example it was derived from (examples/bundles/<source>.json). */
  readonly source: string;
  readonly description: string;
  readonly detectedBy: readonly Detector[];
  /**
   * Ids of the rules the case breaks, as issues carry them (`operationoutcome-message-id`): the first is reported at
   * `expect.expression` (or `validator.expression`) by every detector named. Empty for profile rules of the engine
   * that carry no id yet; those are matched by `validator.messageIncludes`.
   */
  readonly ruleIds: readonly string[];
  readonly expect: {
    readonly severity: 'error' | 'warning';
    /** OperationOutcome issue type (http://hl7.org/fhir/issue-type). */
    readonly code: string;
    /** Where the issue is: a FHIRPath into the bundle, as in OperationOutcome.issue.expression. */
    readonly expression: string;
    /** The rule broken, in words: an invariant key, a profile element and its constraint, or an ADS/UK rule. */
    readonly rule: string;
  };
  /**
   * How the profile validator (`createValidationService()`) reports it, for `profile-validation` cases: text its
   * message contains, and its location when that differs from `expect.expression` (a slice count is reported on
   * the element that holds the slices).
   */
  readonly validator?: {
    readonly messageIncludes?: string;
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
const UKCORE_TYPED_TIME = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-TypedDateTime';
const TYPED_TIMES = [UKCORE_TYPED_TIME, `${ADS}/StructureDefinition/Extension-ADS-TypedDateTime`];
const STOP_CODE_02 = 'Call closed with clinical advice (hear and treat)';
/** The dateTime part of a resource's typed date-time with this type code. */
const typedTime = (r: Encounter, code: string) =>
  r.extension!.find((x) => TYPED_TIMES.includes(x.url) && x.extension?.some((y) => y.valueCodeableConcept?.coding?.[0]?.code === code))!.extension!.find((y) => y.url === 'dateTime')!;
const nhsNumberOf = (e: BundleEntry) => (e.resource?.resourceType === 'Patient' ? (e.resource as Patient).identifier?.[0]?.value : undefined);
/** Index of the clinical review extension on the call of the cardiac-arrest example. */
const clinicalReviewIndex = () => call(EXAMPLES['cardiac-arrest']!().bundle).extension!.findIndex((x) => x.url === `${ADS}/StructureDefinition/Extension-ADS-ClinicalReview`);
/** Where an entry of a source example is, as the issue expression names it (computed, so new entries move no case). */
const entryPath = (source: string, pick: (e: BundleEntry) => boolean) => `Bundle.entry[${indexOf(EXAMPLES[source]!().bundle, pick)}].resource`;

/** Every broken payload, derived from an example bundle by one deliberate change. */
export const BROKEN_CASES: readonly BrokenCase[] = [
  {
    name: 'missing-call-origin', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
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
    name: 'unknown-call-origin-code', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
    description: 'Call origin code 99 is not in ADS-CallOrigin (required binding).',
    expect: { severity: 'error', code: 'code-invalid', expression: 'Bundle.entry[0].resource.extension[0].value.ofType(CodeableConcept)', rule: 'Extension-ADS-CallOrigin: value[x] required binding to ADS-CallOrigin' },
    validator: { messageIncludes: 'https://fhir.nhs.uk/R4/ValueSet/ADS-CallOrigin' },
    witness: `entry[0].resource.extension.where(url = '${ADS}/StructureDefinition/Extension-ADS-CallOrigin').value.coding.code = '99'`,
    breakIt: (b) => {
      ext(call(b), 'Extension-ADS-CallOrigin')[0]!.valueCodeableConcept!.coding![0]!.code = '99';
    },
  },
  {
    name: 'two-initial-response-categories', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
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
    name: 'stop-code-with-completed-status', source: 'stop-code-no-response', detectedBy: ['profile-validation'], ruleIds: [],
    description: 'A stop code (statusReason) on a call whose status is completed rather than stopped.',
    expect: { severity: 'error', code: 'invariant', expression: 'Bundle.entry[0].resource', rule: 'ads-com-3' },
    validator: { messageIncludes: 'ads-com-3' },
    witness: "entry[0].resource.statusReason.exists() and entry[0].resource.status = 'completed'",
    breakIt: (b) => {
      call(b).status = 'completed';
    },
  },
  {
    name: 'missing-cad-identifier', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
    description: 'The call has no CAD call identifier (ADS3 is 1..1).',
    expect: { severity: 'error', code: 'structure', expression: 'Bundle.entry[0].resource', rule: 'UKCore-ADS-Communication: Communication.identifier min 1' },
    validator: { messageIncludes: 'Communication.identifier: minimum required = 1' },
    witness: 'entry[0].resource.identifier.empty()',
    breakIt: (b) => {
      delete call(b).identifier;
    },
  },
  {
    name: 'wrong-bundle-type', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
    description: 'Bundle.type is transaction; the ADS bundle is a collection.',
    expect: { severity: 'error', code: 'value', expression: 'Bundle.type', rule: 'UKCore-ADS-Bundle: Bundle.type fixed collection' },
    validator: { messageIncludes: "fixed to 'collection'" },
    witness: "type = 'transaction'",
    breakIt: (b) => {
      b.type = 'transaction';
    },
  },
  {
    name: 'non-uuid-fullurl', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
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
    name: 'negative-dose', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
    description: 'A medication dose of -300 mg.',
    expect: { severity: 'error', code: 'value', expression: 'Bundle.entry[17].resource.dosage.dose.value', rule: 'UKCore-ADS-MedicationAdministration: dosage.dose.value minValueDecimal 0' },
    validator: { messageIncludes: 'less than permitted minimum value of 0' },
    witness: 'entry.resource.ofType(MedicationAdministration).dosage.dose.value < 0',
    breakIt: (b) => {
      const i = indexOf(b, ofType('MedicationAdministration'));
      (b.entry![i]!.resource as MedicationAdministration).dosage!.dose!.value = -300;
      if (i !== 17) throw new Error('broken case negative-dose: the medication moved; update expect.expression');
    },
  },
  {
    name: 'respiration-rate-wrong-unit', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
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
    name: 'systolic-with-diastolic-loinc', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
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
    name: 'missing-verification-status', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: [],
    description: 'The NHS number has no verification status extension.',
    expect: { severity: 'error', code: 'structure', expression: 'Bundle.entry[5].resource.identifier[0]', rule: 'UKCore-ADS-Patient: identifier:nhsNumber.extension:nhsNumberVerificationStatus min 1' },
    validator: { messageIncludes: 'nhsNumberVerificationStatus' },
    witness: "entry.resource.ofType(Patient).identifier.where(system = 'https://fhir.nhs.uk/Id/nhs-number').extension.empty()",
    breakIt: (b) => {
      delete (b.entry![indexOf(b, ofType('Patient'))]!.resource as Patient).identifier![0]!.extension;
    },
  },
  {
    name: 'dangling-reference', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_REFERENCE_IN_BUNDLE'],
    description: 'The patient contact points at a patient that is not in the bundle.',
    expect: { severity: 'error', code: 'not-found', expression: 'Bundle.entry[7].resource.subject', rule: 'references resolve inside the bundle' },
    validator: { messageIncludes: 'not found within the bundle' },
    witness: "entry.resource.ofType(Encounter).subject.where(reference = 'urn:uuid:99999999-9999-4999-8999-999999999999').exists()",
    breakIt: (b) => {
      const i = indexOf(b, withProfile('UKCore-ADS-PatientContact-Encounter'));
      (b.entry![i]!.resource as Encounter).subject!.reference = 'urn:uuid:99999999-9999-4999-8999-999999999999';
    },
  },
  {
    name: 'treatment-type-mismatch', source: 'stop-code-no-response', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_TREATMENT_TYPE_CONVEYANCE'],
    description: 'Treatment type see-and-convey-ed on a call nobody was conveyed from.',
    expect: { severity: 'error', code: 'business-rule', expression: 'Bundle.entry[0].resource.category', rule: 'treatment type agrees with conveyance' },
    witness: "entry[0].resource.category.coding.code = 'see-and-convey-ed'",
    breakIt: (b) => {
      const coding = call(b).category![0]!.coding![0]!;
      coding.code = 'see-and-convey-ed';
      coding.display = 'See and convey to an emergency department';
    },
  },
  {
    name: 'two-calls', source: 'stop-code-no-response', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_ONE_CALL'],
    description: 'The call Communication appears twice.',
    expect: { severity: 'error', code: 'required', expression: 'Bundle.entry', rule: 'exactly one call (UKCore-ADS-Bundle entry:call max 1)' },
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
    name: 'response-before-call', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_RESPONSE_BEFORE_CALL'],
    description: 'The vehicle was allocated before the call connected (ADS10).',
    expect: { severity: 'error', code: 'business-rule', expression: 'Bundle.entry[4].resource.extension[0]', rule: 'every response time is after the call connected' },
    witness: "entry.resource.ofType(Encounter).extension.extension.where(url = 'dateTime').value.where($this < %resource.entry[0].resource.sent).exists()",
    breakIt: (b) => {
      const i = indexOf(b, withProfile('UKCore-ADS-Response-Encounter'));
      const allocated = (b.entry![i]!.resource as Encounter).extension![0]!.extension!.find((x) => x.url === 'dateTime')!;
      allocated.valueDateTime = '2026-11-23T13:58:00Z';
      if (i !== 4) throw new Error('broken case response-before-call: the response moved; update expect.expression');
    },
  },
  // ---- ADS business rules (run by the builder and by the validator on every bundle claiming UKCore-ADS-Bundle)
  {
    name: 'response-times-out-of-order', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_RESPONSE_TIME_ORDER'],
    description: 'The response left the scene (14:10) before it arrived there (14:16).',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('conveyed-to-ed', withProfile('UKCore-ADS-Response-Encounter'))}.extension[3]`, rule: 'response times in sequence' },
    witness: `entry.resource.ofType(Encounter).extension.where(extension.where(url = 'dateTimeType').value.coding.code = 'time-resource-left-scene').extension.where(url = 'dateTime').value = @2026-11-23T14:10:00Z`,
    breakIt: (b) => {
      typedTime(b.entry![indexOf(b, withProfile('UKCore-ADS-Response-Encounter'))]!.resource as Encounter, 'time-resource-left-scene').valueDateTime = '2026-11-23T14:10:00Z';
    },
  },
  {
    name: 'response-clear-and-stood-down', source: 'stop-code-no-response', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_RESPONSE_CLEAR_AND_STOOD_DOWN'],
    description: 'A response that was stood down also has a clear time.',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('stop-code-no-response', withProfile('UKCore-ADS-Response-Encounter'))}.extension[2]`, rule: 'stood down or clear, not both' },
    witness: "entry.resource.ofType(Encounter).extension.extension.where(url = 'dateTimeType').value.coding.where(code = 'time-clear').exists()",
    breakIt: (b) => {
      const response = b.entry![indexOf(b, withProfile('UKCore-ADS-Response-Encounter'))]!.resource as Encounter;
      const clear = structuredClone(response.extension![response.extension!.length - 1]!);
      const type = clear.extension!.find((x) => x.url === 'dateTimeType')!.valueCodeableConcept!.coding![0]!;
      Object.assign(type, { code: 'time-clear', display: 'Time Clear' });
      clear.extension!.find((x) => x.url === 'dateTime')!.valueDateTime = '2026-11-23T21:40:00Z';
      response.extension!.push(clear);
    },
  },
  {
    name: 'dispatch-code-before-call', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_CALL_TIME_ORDER'],
    description: 'The dispatch code was established (ADS21) before the call connected (ADS10).',
    expect: { severity: 'error', code: 'business-rule', expression: 'Bundle.entry[0].resource.extension[6]', rule: 'call times after the call connected' },
    witness: `entry[0].resource.extension.where(url = '${UKCORE_TYPED_TIME}').extension.where(url = 'dateTime').value < entry[0].resource.sent`,
    breakIt: (b) => {
      const c = call(b);
      const i = c.extension!.findIndex((x) => x.url === UKCORE_TYPED_TIME);
      if (i !== 6) throw new Error('broken case dispatch-code-before-call: the typed time moved; update expect.expression');
      c.extension![i]!.extension!.find((x) => x.url === 'dateTime')!.valueDateTime = '2026-11-23T14:00:00Z';
    },
  },
  {
    name: 'medication-before-call', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_CLINICAL_BEFORE_CALL'],
    description: 'The aspirin is recorded as given a month before the call.',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('conveyed-to-ed', ofType('MedicationAdministration'))}.effective.ofType(dateTime)`, rule: 'clinical entries after the call connected' },
    witness: 'entry.resource.ofType(MedicationAdministration).effective < %resource.entry[0].resource.sent',
    breakIt: (b) => {
      (b.entry![indexOf(b, ofType('MedicationAdministration'))]!.resource as MedicationAdministration).effectiveDateTime = '2026-10-23T14:24:00Z';
    },
  },
  {
    name: 'observation-after-clear', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_CLINICAL_AFTER_CLEAR'],
    description: 'A respiration rate timed after the response that saw the patient cleared (15:35).',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('conveyed-to-ed', withProfile('UKCore-ADS-Observation-RespirationRate'))}.effective.ofType(dateTime)`, rule: 'clinical entries before the response cleared' },
    witness: "entry.resource.ofType(Observation).where(code.coding.where(code = '9279-1').exists()).effective = @2026-11-23T16:00:00Z",
    breakIt: (b) => {
      (b.entry![indexOf(b, withProfile('UKCore-ADS-Observation-RespirationRate'))]!.resource as Observation).effectiveDateTime = '2026-11-23T16:00:00Z';
    },
  },
  {
    name: 'injury-after-call', source: 'road-traffic-collision', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_INJURY_AFTER_CALL'],
    description: 'The injury is timed after the call about it connected.',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('road-traffic-collision', withProfile('UKCore-ADS-Injury-Observation'))}.effective.ofType(dateTime)`, rule: 'injury before the call' },
    witness: "entry.resource.ofType(Observation).where(code.coding.code = '417746004' and effective > %resource.entry[0].resource.sent).exists()",
    breakIt: (b) => {
      (b.entry![indexOf(b, withProfile('UKCore-ADS-Injury-Observation'))]!.resource as Observation).effectiveDateTime = '2026-11-23T18:30:00Z';
    },
  },
  {
    name: 'birth-date-after-call', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_BIRTH_DATE_AFTER_CALL'],
    description: 'The patient is born the day after the call.',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('conveyed-to-ed', ofType('Patient'))}.birthDate`, rule: 'birth date not after the call' },
    witness: 'entry.resource.ofType(Patient).birthDate = @2026-11-24',
    breakIt: (b) => {
      (b.entry![indexOf(b, ofType('Patient'))]!.resource as Patient).birthDate = '2026-11-24';
    },
  },
  {
    name: 'stop-code-with-conveyance', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_STOP_CODE_WITH_CONVEYANCE'],
    description: 'A call closed with stop code 02 (status stopped), although its patient was conveyed.',
    expect: { severity: 'error', code: 'business-rule', expression: 'Bundle.entry[0].resource.statusReason', rule: 'no stop code on a call with a conveyance' },
    witness: "entry[0].resource.status = 'stopped'",
    breakIt: (b) => {
      const c = call(b);
      c.status = 'stopped';
      c.statusReason = { coding: [{ system: `${ADS}/CodeSystem/ADS-StopCode`, code: '02', display: STOP_CODE_02 }] };
    },
  },
  {
    name: 'conveyed-without-destination', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_CONVEYANCE_DESTINATION'],
    description: 'The patient was conveyed to an emergency department, but the contact names no destination.',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('conveyed-to-ed', withProfile('UKCore-ADS-PatientContact-Encounter'))}.hospitalization`, rule: 'a conveyed patient has a destination' },
    witness: "entry.resource.ofType(Encounter).where(hospitalization.exists() and hospitalization.destination.empty()).exists()",
    breakIt: (b) => {
      delete (b.entry![indexOf(b, withProfile('UKCore-ADS-PatientContact-Encounter'))]!.resource as Encounter).hospitalization!.destination;
    },
  },
  {
    name: 'two-triage-results-of-one-kind', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_TRIAGE_ONE_PER_KIND'],
    description: 'The call carries two AMPDS triage results.',
    expect: { severity: 'error', code: 'business-rule', expression: 'Bundle.entry[0].resource.reasonReference[1]', rule: 'one triage result per category' },
    witness: 'entry[0].resource.reasonReference.count() = 2',
    breakIt: (b) => {
      const copy = structuredClone(b.entry![indexOf(b, withProfile('UKCore-ADS-Triage-Observation'))]!);
      copy.fullUrl = 'urn:uuid:99999999-9999-4999-8999-999999999997';
      copy.resource!.id = '99999999-9999-4999-8999-999999999997';
      b.entry!.push(copy);
      call(b).reasonReference!.push({ reference: copy.fullUrl, type: 'Observation' });
    },
  },
  {
    name: 'dose-without-unit', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_MEDICATION_DOSE_UCUM'],
    description: 'The medication dose is a bare number: no unit at all.',
    expect: { severity: 'error', code: 'required', expression: `${entryPath('conveyed-to-ed', ofType('MedicationAdministration'))}.dosage.dose`, rule: 'a dose has a UCUM unit' },
    witness: 'entry.resource.ofType(MedicationAdministration).dosage.dose.code.empty()',
    breakIt: (b) => {
      (b.entry![indexOf(b, ofType('MedicationAdministration'))]!.resource as MedicationAdministration).dosage!.dose = { value: 300 };
    },
  },
  {
    name: 'call-origin-111-flag-disagree', source: 'conveyed-to-ed', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_CALL_ORIGIN_111_FLAG'],
    description: 'A 999 call (origin 01) flagged as received from NHS 111.',
    expect: { severity: 'warning', code: 'business-rule', expression: 'Bundle.entry[0].resource.extension', rule: 'call origin and 111 flag agree' },
    witness: `entry[0].resource.extension.where(url = '${ADS}/StructureDefinition/Extension-ADS-111Flag').value.coding.code = 'Y'`,
    breakIt: (b) => {
      Object.assign(ext(call(b), 'Extension-ADS-111Flag')[0]!.valueCodeableConcept!.coding![0]!, { code: 'Y', display: 'Received from NHS 111' });
    },
  },
  {
    name: 'duplicate-nhs-number', source: 'road-traffic-collision', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_DUPLICATE_NHS_NUMBER'],
    description: 'Two Patient entries carry the same NHS number: one patient written twice instead of shared by two contacts.',
    expect: { severity: 'warning', code: 'business-rule', expression: `${entryPath('road-traffic-collision', (e) => nhsNumberOf(e) === '9991234039')}.identifier[0]`, rule: 'one Patient per NHS number' },
    witness: "entry.resource.ofType(Patient).identifier.where(system = 'https://fhir.nhs.uk/Id/nhs-number').value.isDistinct().not()",
    breakIt: (b) => {
      const second = b.entry![indexOf(b, (e) => nhsNumberOf(e) === '9991234039')]!.resource as Patient;
      second.identifier![0]!.value = '9991234020';
    },
  },
  {
    name: 'gcs-total-not-sum', source: 'cardiac-arrest', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_GCS_TOTAL'],
    description: 'A Glasgow coma score total of 12 with eye 2, verbal 2 and motor 4 (their sum is 8).',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('cardiac-arrest', withProfile('UKCore-ADS-Observation-GCS'))}.value.ofType(integer)`, rule: 'GCS total is the sum of its parts' },
    witness: "entry.resource.ofType(Observation).where(code.coding.code = '9269-2').value = 12",
    breakIt: (b) => {
      (b.entry![indexOf(b, withProfile('UKCore-ADS-Observation-GCS'))]!.resource as Observation).valueInteger = 12;
    },
  },
  {
    name: 'rosc-time-without-rosc', source: 'cardiac-arrest', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_CARDIAC_ARREST_ROSC'],
    description: 'The cardiac arrest says no ROSC, but gives a ROSC time.',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('cardiac-arrest', withProfile('UKCore-ADS-CardiacArrest-Observation'))}.component[5]`, rule: 'a ROSC time needs ROSC' },
    witness: "entry.resource.ofType(Observation).component.where(code.coding.code = 'rosc').value = false",
    breakIt: (b) => {
      const arrest = b.entry![indexOf(b, withProfile('UKCore-ADS-CardiacArrest-Observation'))]!.resource as Observation;
      arrest.component!.find((c) => c.code.coding?.[0]?.code === 'rosc')!.valueBoolean = false;
    },
  },
  {
    name: 'handover-without-next-contact', source: 'cardiac-arrest', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_HANDOVER_WITHOUT_NEXT_CONTACT'],
    description: 'The rapid response crew handed the patient over, but the second contact names another (unknown) patient.',
    expect: { severity: 'warning', code: 'business-rule', expression: `${entryPath('cardiac-arrest', withProfile('UKCore-ADS-PatientContact-Encounter'))}.hospitalization.dischargeDisposition`, rule: 'a handover is followed by another contact' },
    witness: 'entry.resource.ofType(Encounter).subject.reference.isDistinct()',
    breakIt: (b) => {
      // A second Patient (identity unknown) for the second contact: the handed-over patient is seen by no one else.
      const patient = structuredClone(b.entry!.find(ofType('Patient'))!);
      patient.fullUrl = 'urn:uuid:99999999-9999-4999-8999-999999999996';
      const other = patient.resource as Patient;
      other.id = '99999999-9999-4999-8999-999999999996';
      delete other.identifier;
      other.extension = [{ url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberUnavailableReason',
        valueCodeableConcept: { coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberUnavailableReason', code: 'nhs-number-not-known', display: 'NHS number not known' }] } }];
      b.entry!.push(patient);
      const contacts = (b.entry ?? []).filter(withProfile('UKCore-ADS-PatientContact-Encounter'));
      (contacts[1]!.resource as Encounter).subject!.reference = patient.fullUrl;
    },
  },
  {
    name: 'time-at-patient-before-arrival', source: 'cardiac-arrest', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_TIME_AT_PATIENT_ORDER'],
    description: 'The rapid response crew reached the patient (09:15) before it arrived on scene (09:18:10).',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('cardiac-arrest', withProfile('UKCore-ADS-PatientContact-Encounter'))}.extension[0]`, rule: 'time at patient between arrival and clear' },
    witness: "entry.resource.ofType(Encounter).extension.extension.where(url = 'dateTime' and value = @2026-11-23T09:15:00Z).exists()",
    breakIt: (b) => {
      typedTime(b.entry![indexOf(b, withProfile('UKCore-ADS-PatientContact-Encounter'))]!.resource as Encounter, 'time-at-patient').valueDateTime = '2026-11-23T09:15:00Z';
    },
  },
  {
    name: 'life-extinct-not-deceased', source: 'found-deceased', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_LIFE_EXTINCT_OUTCOME'],
    description: 'Life extinct was recognised, but the conveyance outcome says discharged at scene.',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('found-deceased', withProfile('UKCore-ADS-PatientContact-Encounter'))}.hospitalization.dischargeDisposition`, rule: 'recognition of life extinct means outcome deceased' },
    witness: "entry.resource.ofType(Encounter).hospitalization.dischargeDisposition.coding.code = 'not-conveyed-discharged'",
    breakIt: (b) => {
      const contact = b.entry![indexOf(b, withProfile('UKCore-ADS-PatientContact-Encounter'))]!.resource as Encounter;
      Object.assign(contact.hospitalization!.dischargeDisposition!.coding![0]!, { code: 'not-conveyed-discharged', display: 'Not conveyed: discharged at scene' });
    },
  },
  {
    name: 'time-of-death-after-recognition', source: 'found-deceased', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_TIME_OF_DEATH_AFTER_RECOGNITION'],
    description: 'The time of death (07:20) is after life extinct was recognised (07:02).',
    expect: { severity: 'error', code: 'business-rule', expression: `${entryPath('found-deceased', ofType('Patient'))}.deceased.ofType(dateTime)`, rule: 'time of death not after the recognition' },
    witness: 'entry.resource.ofType(Patient).deceased = @2026-11-24T07:20:00Z',
    breakIt: (b) => {
      (b.entry![indexOf(b, ofType('Patient'))]!.resource as Patient).deceasedDateTime = '2026-11-24T07:20:00Z';
    },
  },
  {
    name: 'estimated-age-with-birth-date', source: 'found-deceased', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_ESTIMATED_AGE_WITH_BIRTH_DATE'],
    description: 'An estimated age for a patient whose date of birth is given.',
    expect: { severity: 'warning', code: 'business-rule', expression: `${entryPath('found-deceased', withProfile('UKCore-ADS-Observation-EstimatedAge'))}.value.ofType(Quantity)`, rule: 'estimated age only without a birth date' },
    witness: 'entry.resource.ofType(Patient).birthDate.exists()',
    breakIt: (b) => {
      (b.entry![indexOf(b, ofType('Patient'))]!.resource as Patient).birthDate = '1966-01-01';
    },
  },
  {
    name: 'clinical-review-before-call', source: 'cardiac-arrest', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_CALL_TIME_ORDER'],
    description: 'The control room clinical review is timed before the call connected.',
    expect: { severity: 'error', code: 'business-rule', expression: `Bundle.entry[0].resource.extension[${clinicalReviewIndex()}]`, rule: 'call times after the call connected' },
    witness: `entry[0].resource.extension.where(url = '${ADS}/StructureDefinition/Extension-ADS-ClinicalReview').extension.where(url = 'reviewedAt').value < entry[0].resource.sent`,
    breakIt: (b) => {
      ext(call(b), 'Extension-ADS-ClinicalReview')[0]!.extension!.find((x) => x.url === 'reviewedAt')!.valueDateTime = '2026-11-23T09:00:00Z';
    },
  },
  {
    name: 'stop-code-with-patient-contact', source: 'transferred-from-111', detectedBy: ['builder-checks', 'profile-validation'], ruleIds: ['ADS_STOP_CODE_WITH_PATIENT_CONTACT'],
    description: 'A call closed with a stop code although a crew saw (and did not convey) the patient.',
    expect: { severity: 'warning', code: 'business-rule', expression: 'Bundle.entry[0].resource.status', rule: 'a stop code means no patient contact' },
    witness: "entry[0].resource.status = 'stopped'",
    breakIt: (b) => {
      const c = call(b);
      c.status = 'stopped';
      c.statusReason = { coding: [{ system: `${ADS}/CodeSystem/ADS-StopCode`, code: '02', display: STOP_CODE_02 }] };
    },
  },
  // ---- UK identifier rules and UCUM (validator only: the builder rejects these values at the call)
  {
    name: 'nhs-number-wrong-check-digit', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: ['UK_NHS_NUMBER_INVALID'],
    description: 'The NHS number 9991234013 fails the Modulus 11 check (its check digit is 2).',
    expect: { severity: 'error', code: 'invariant', expression: `${entryPath('conveyed-to-ed', ofType('Patient'))}.identifier[0]`, rule: 'uk-nhs-1: NHS number check digit' },
    witness: "entry.resource.ofType(Patient).identifier.where(value = '9991234013').exists()",
    breakIt: (b) => {
      (b.entry![indexOf(b, ofType('Patient'))]!.resource as Patient).identifier![0]!.value = '9991234013';
    },
  },
  {
    name: 'ods-site-code-malformed', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: ['UK_ODS_SITE_CODE_INVALID'],
    description: 'The destination site code is written rx1-ra: ODS codes are upper-case letters and digits.',
    expect: { severity: 'error', code: 'invariant', expression: `${entryPath('conveyed-to-ed', withProfile('UKCore-ADS-Receiving-Location'))}.identifier[0]`, rule: 'uk-ods-3: ODS site code format' },
    witness: "entry.resource.ofType(Location).identifier.where(value = 'rx1-ra').exists()",
    breakIt: (b) => {
      (b.entry![indexOf(b, withProfile('UKCore-ADS-Receiving-Location'))]!.resource as Location).identifier![0]!.value = 'rx1-ra';
    },
  },
  {
    name: 'dose-unit-not-ucum', source: 'conveyed-to-ed', detectedBy: ['profile-validation'], ruleIds: ['Unknown_Code_in'],
    description: "The dose unit claims UCUM with the code 'milligram', which is not a UCUM code (mg is).",
    expect: { severity: 'error', code: 'code-invalid', expression: `${entryPath('conveyed-to-ed', ofType('MedicationAdministration'))}.dosage.dose.code`, rule: 'UCUM codes are valid UCUM (the reference validator\'s unknown-code finding)' },
    witness: "entry.resource.ofType(MedicationAdministration).dosage.dose.code = 'milligram'",
    breakIt: (b) => {
      (b.entry![indexOf(b, ofType('MedicationAdministration'))]!.resource as MedicationAdministration).dosage!.dose!.code = 'milligram';
    },
  },
  {
    name: 'ods-organisation-code-malformed', source: 'cardiac-arrest', detectedBy: ['profile-validation'], ruleIds: ['UK_ODS_ORGANISATION_CODE_INVALID'],
    description: "The patient's GP practice is referenced by the ODS code m85063 (lower case): ODS codes are upper-case letters and digits.",
    expect: { severity: 'error', code: 'invariant', expression: `${entryPath('cardiac-arrest', ofType('Patient'))}.generalPractitioner[0].identifier`, rule: 'uk-ods-1: ODS organisation code format' },
    witness: "entry.resource.ofType(Patient).generalPractitioner.identifier.value = 'm85063'",
    breakIt: (b) => {
      (b.entry![indexOf(b, ofType('Patient'))]!.resource as Patient).generalPractitioner![0]!.identifier!.value = 'm85063';
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
