import type { Bundle, Communication, Encounter, MedicationAdministration, Observation, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { conveyedToEd } from '../../examples/conveyed-to-ed.js';
import { ruleOf } from '../validation/validator.js';
import { checkAdsBundle } from './checks.js';
import { PROFILES } from './systems.js';

const fresh = (): Bundle => structuredClone(conveyedToEd().bundle);
const call = (b: Bundle) => b.entry![0]!.resource as Communication;
const found = (b: Bundle, options?: { structure?: boolean }) => checkAdsBundle(b, options).map((i) => `${i.severity} ${ruleOf(i)} ${i.expression?.[0]}`);
const entry = <T>(b: Bundle, profile: string) => {
  const i = b.entry!.findIndex((e) => e.resource?.meta?.profile?.includes(profile));
  return { i, r: b.entry![i]!.resource as T };
};
const timeOf = (e: Encounter, code: string) => e.extension!.find((x) => x.extension?.some((y) => y.valueCodeableConcept?.coding?.[0]?.code === code))!.extension!.find((y) => y.url === 'dateTime')!;

describe('checkAdsBundle (the ADS rules, with their ids)', () => {
  it('finds nothing wrong with a consistent bundle', () => {
    expect(checkAdsBundle(fresh())).toEqual([]);
  });

  it('warns when the call origin and the 111 flag disagree', () => {
    const b = fresh();
    call(b).extension!.find((x) => x.url.endsWith('Extension-ADS-CallOrigin'))!.valueCodeableConcept!.coding![0]!.code = '02';
    expect(found(b)).toEqual(['warning ADS_CALL_ORIGIN_111_FLAG Bundle.entry[0].resource.extension']);
  });

  it('errs on a stop code with a conveyed patient; warns on one with patients not conveyed', () => {
    const b = fresh();
    call(b).status = 'stopped';
    expect(found(b)).toEqual(['error ADS_STOP_CODE_WITH_CONVEYANCE Bundle.entry[0].resource.statusReason']);
    const contact = entry<Encounter>(b, PROFILES.patientContact);
    contact.r.hospitalization!.dischargeDisposition!.coding![0]!.code = 'not-conveyed-discharged';
    delete contact.r.hospitalization!.destination;
    call(b).category![0]!.coding![0]!.code = 'see-and-treat';
    expect(found(b)).toEqual(['warning ADS_STOP_CODE_WITH_PATIENT_CONTACT Bundle.entry[0].resource.status']);
  });

  it('flags hear-and-treat with a patient contact, and two triage results of one kind', () => {
    const b = fresh();
    call(b).category![0]!.coding![0]!.code = 'hear-and-treat';
    const triage = b.entry!.find((e) => e.resource?.meta?.profile?.[0]?.endsWith('Triage-Observation'))!;
    const copy = structuredClone(triage);
    copy.fullUrl = 'urn:uuid:99999999-9999-4999-8999-999999999999';
    (copy.resource as Observation).id = '99999999-9999-4999-8999-999999999999';
    b.entry!.push(copy);
    call(b).reasonReference!.push({ reference: copy.fullUrl });
    expect(found(b)).toEqual([
      'error ADS_TRIAGE_ONE_PER_KIND Bundle.entry[0].resource.reasonReference[1]',
      'error ADS_TREATMENT_TYPE_CONVEYANCE Bundle.entry[0].resource.category',
    ]);
  });

  it('checks every response time against the call and against each other', () => {
    const b = fresh();
    const { i, r } = entry<Encounter>(b, PROFILES.response);
    timeOf(r, 'time-resource-mobilised').valueDateTime = '2026-11-23T13:00:00Z';
    expect(found(b)).toEqual([`error ADS_RESPONSE_BEFORE_CALL Bundle.entry[${i}].resource.extension[1]`]);
    timeOf(r, 'time-resource-mobilised').valueDateTime = '2026-11-23T15:50:00Z';
    // One time out of place is one finding, on the step after it.
    expect(found(b)).toEqual([`error ADS_RESPONSE_TIME_ORDER Bundle.entry[${i}].resource.extension[2]`]);
  });

  it('checks clinical times against the call and the clear time, injury against the call, birth date against the call', () => {
    const b = fresh();
    const med = entry<MedicationAdministration>(b, PROFILES.medicationAdministration);
    med.r.effectiveDateTime = '2026-10-23T14:30:00Z';
    const obs = entry<Observation>(b, PROFILES.respirationRate);
    obs.r.effectiveDateTime = '2026-11-23T23:00:00Z';
    const patient = entry<Patient>(b, PROFILES.patient);
    patient.r.birthDate = '2026-11-24';
    expect(found(b).sort()).toEqual([
      `error ADS_BIRTH_DATE_AFTER_CALL Bundle.entry[${patient.i}].resource.birthDate`,
      `error ADS_CLINICAL_AFTER_CLEAR Bundle.entry[${obs.i}].resource.effective.ofType(dateTime)`,
      `error ADS_CLINICAL_BEFORE_CALL Bundle.entry[${med.i}].resource.effective.ofType(dateTime)`,
    ]);
    // A date without a time cannot be said to be before a call on the same day.
    med.r.effectiveDateTime = '2026-11-23';
    expect(found(b).some((f) => f.includes('ADS_CLINICAL_BEFORE_CALL'))).toBe(false);
  });

  it('needs a UCUM unit on a medication dose', () => {
    const b = fresh();
    const med = entry<MedicationAdministration>(b, PROFILES.medicationAdministration);
    med.r.dosage!.dose = { value: 300, unit: 'milligram' };
    expect(found(b)).toEqual([`error ADS_MEDICATION_DOSE_UCUM Bundle.entry[${med.i}].resource.dosage.dose`]);
    med.r.dosage!.dose = { value: 300, unit: 'milligram', system: 'http://example.org/units', code: 'mg' };
    expect(found(b)).toEqual([`error ADS_MEDICATION_DOSE_UCUM Bundle.entry[${med.i}].resource.dosage.dose.system`]);
  });

  it('adds the structural checks (one call, references resolve) unless told not to', () => {
    const b = fresh();
    b.entry!.splice(0, 1);
    expect(found(b)).toEqual(['error ADS_ONE_CALL Bundle.entry']);
    (b.entry![0]!.resource as Encounter).subject = { reference: 'urn:uuid:99999999-9999-4999-8999-999999999999' };
    expect(found(b)).toEqual(['error ADS_REFERENCE_IN_BUNDLE Bundle.entry[0].resource.subject', 'error ADS_ONE_CALL Bundle.entry']);
    expect(found(b, { structure: false })).toEqual([]);
  });
});
