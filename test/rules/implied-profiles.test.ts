/**
 * Profiles required by content (src/validation/engine/implied-profiles.ts): FHIR R4 requires an Observation carrying
 * a vital signs LOINC or SNOMED CT code to conform to the matching core vital signs profile, claimed or not, and the
 * reference validator applies it wherever the Observation sits. Also: with `reportConsequences`, a top-level resource
 * is walked against its base type and each profile, and each definition's count finding is its own (it names its
 * profile), as the reference reports them. Payloads of our own, through createValidationService.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

const UCUM = 'http://unitsofmeasure.org';
const VITAL_SIGNS = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] };
const RULES = ['Validation_VAL_Profile_Minimum', 'Validation_VAL_Profile_Minimum_SLICE', 'VALIDATION_VAL_PROFILE_MINIMUM_MAGIC', '_DT_Fixed_Wrong', 'Validation_VAL_Profile_Maximum'];

/** A respiratory rate as the core resprate profile wants it. */
const respRate = {
  resourceType: 'Observation',
  status: 'final',
  category: [VITAL_SIGNS],
  code: { coding: [{ system: 'http://loinc.org', code: '9279-1' }] },
  subject: { display: 'a patient' },
  effectiveDateTime: '2026-01-02T10:00:00Z',
  valueQuantity: { value: 18, unit: 'breaths/min', system: UCUM, code: '/min' },
};

let plain: ValidationService;
let consequences: ValidationService;
beforeAll(async () => {
  plain = await service();
  consequences = await createValidationService({ reuse: plain.store, reportConsequences: true });
});

describe('vital signs profiles implied by an Observation code', () => {
  it('an Observation that meets its vital signs profile has no finding', () => {
    expect(found(plain.validate(respRate), RULES)).toEqual([]);
  });

  it('a respiratory rate LOINC code brings in the resprate profile: its category slice and fixed unit', () => {
    expect(found(plain.validate({ ...respRate, category: undefined }), RULES)).toEqual([
      { severity: 'error', rule: 'Validation_VAL_Profile_Minimum', at: 'Observation' },
      { severity: 'error', rule: 'Validation_VAL_Profile_Minimum_SLICE', at: 'Observation' },
    ]);
    const annotated = { ...respRate, valueQuantity: { ...respRate.valueQuantity, code: '{Breaths}/min' } };
    expect(found(plain.validate(annotated), RULES)).toEqual([{ severity: 'error', rule: '_DT_Fixed_Wrong', at: 'Observation.value.ofType(Quantity).code' }]);
  });

  it('an Observation without a vital signs code is held to no vital signs profile', () => {
    expect(found(plain.validate({ ...respRate, category: undefined, code: { text: 'breathing rate' } }), RULES)).toEqual([]);
    const otherLoinc = { ...respRate, category: undefined, code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] }, valueQuantity: { value: 5, unit: 'mmol/L', system: UCUM, code: 'mmol/L' } };
    expect(found(plain.validate(otherLoinc), RULES)).toEqual([]);
    // The code must be in its own system: 9279-1 as a SNOMED CT code says nothing.
    expect(found(plain.validate({ ...respRate, category: undefined, code: { coding: [{ system: 'http://snomed.info/sct', code: '9279-1' }] } }), RULES)).toEqual([]);
  });

  it('a SNOMED CT heart rate code in a Bundle entry brings in the heartrate profile, whose magic LOINC code is then missing', () => {
    const heartRate = { ...respRate, code: { coding: [{ system: 'http://snomed.info/sct', code: '249043002' }] }, valueQuantity: { value: 60, unit: 'beats/min', system: UCUM, code: '/min' } };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:0b4cf2a6-3b3e-4a8e-9d55-6b7b3b0c7a01', resource: heartRate }] };
    expect(found(plain.validate(bundle), RULES)).toEqual([{ severity: 'error', rule: 'VALIDATION_VAL_PROFILE_MINIMUM_MAGIC', at: 'Bundle.entry[0].resource.code' }]);
  });

  it('blood pressure: the bp profile counts its systolic and diastolic components', () => {
    const component = (code: string) => ({ code: { coding: [{ system: 'http://loinc.org', code }] }, valueQuantity: { value: 80, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } });
    const bp = { ...respRate, code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] }, valueQuantity: undefined, component: [component('8462-4'), component('8462-4')] };
    expect(found(plain.validate(bp), RULES)).toEqual([
      { severity: 'error', rule: 'Validation_VAL_Profile_Minimum_SLICE', at: 'Observation' },
      { severity: 'error', rule: 'Validation_VAL_Profile_Maximum', at: 'Observation' },
    ]);
  });
});

describe('a top-level resource walked against its base and its profiles (reportConsequences)', () => {
  it('each definition that requires a missing element reports it, naming itself', () => {
    const noStatus = { ...respRate, status: undefined, meta: { profile: ['http://hl7.org/fhir/StructureDefinition/vitalsigns'] } };
    const minimum = { severity: 'error', rule: 'Validation_VAL_Profile_Minimum', at: 'Observation' };
    // Observation, vitalsigns (claimed) and resprate (implied by the code).
    expect(found(consequences.validate(noStatus), RULES)).toEqual([minimum, minimum, minimum]);
    // By default one defect is one finding.
    expect(found(plain.validate(noStatus), RULES)).toEqual([minimum]);
  });
});

describe('a value two profiles fix (reportConsequences)', () => {
  it('is a finding of each profile that fixes it; by default one finding', () => {
    // The ADS respiration rate profile and the core resprate profile (required by the code) both fix the unit.
    const ads = { ...respRate, meta: { profile: ['https://fhir.nhs.uk/R4/StructureDefinition/UKCore-ADS-Observation-RespirationRate'] }, valueQuantity: { ...respRate.valueQuantity, unit: 'per minute', code: '/h' } };
    const wrong = { severity: 'error', rule: '_DT_Fixed_Wrong', at: 'Observation.value.ofType(Quantity).code' };
    expect(found(consequences.validate(ads), ['_DT_Fixed_Wrong'])).toEqual([wrong, wrong]);
    expect(found(plain.validate(ads), ['_DT_Fixed_Wrong'])).toEqual([wrong]);
  });
});

describe('the vital signs units of components, as the reference loads the core profiles', () => {
  // The reference loads the 4.0.1 core vital signs profiles with the component units binding made extensible
  // (PackageHackerR5); UK Core and other packages' profiles are loaded as published.
  const oxygen = {
    ...respRate,
    code: { coding: [{ system: 'http://loinc.org', code: '2708-6' }] },
    valueQuantity: { value: 98, unit: '%', system: UCUM, code: '%' },
  };
  const units = (o: object) => found(plain.validate(o)).filter((f) => f.at?.endsWith('value.ofType(Quantity)'));

  it('a component unit outside the Vital Signs Units is a warning, not an error', () => {
    const withFlow = { ...oxygen, component: [{ code: { coding: [{ system: 'http://loinc.org', code: '3151-8' }] }, valueQuantity: { value: 2, unit: 'L/min', system: UCUM, code: 'L/min' } }] };
    const issues = units(withFlow);
    expect(issues.length).toBe(1);
    expect(issues[0]).toMatchObject({ severity: 'warning', at: 'Observation.component[0].value.ofType(Quantity)' });
  });
});

describe('vs-1 of the implied vital signs profile (evaluated natively)', () => {
  const vs1 = (o: object) => found(plain.validate(o)).filter((f) => f.rule?.endsWith('#vs-1'));
  it('a dateTime effective needs at least the day', () => {
    expect(vs1({ ...respRate, effectiveDateTime: '2026-01' })).toEqual([
      { severity: 'error', rule: 'http://hl7.org/fhir/StructureDefinition/resprate#vs-1', at: 'Observation.effective.ofType(dateTime)' },
    ]);
    expect(vs1({ ...respRate, effectiveDateTime: '2026-01-02' })).toEqual([]);
  });
  it('a Period effective is no dateTime, so vs-1 holds', () => {
    expect(vs1({ ...respRate, effectiveDateTime: undefined, effectivePeriod: { start: '2026' } })).toEqual([]);
  });
});
