/**
 * Pattern values on CodeableConcepts, Codings and Addresses as the reference validator reports them
 * (InstanceValidator.checkCodeableConcept / checkCoding / checkAddress with a pattern), and meta.profile entries that name
 * a version-specific core URL, through createValidationService with a profile of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, observation, profile, serviceWith } from './helpers.js';

const OBS = 'http://example.org/StructureDefinition/obs-patterns';
const PAT = 'http://example.org/StructureDefinition/patient-patterns';
const CAT = 'http://terminology.hl7.org/CodeSystem/observation-category';
const obsProfile = profile(OBS, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.category', path: 'Observation.category', patternCodeableConcept: { coding: [{ system: CAT, code: 'vital-signs' }] } },
  { id: 'Observation.method', path: 'Observation.method', patternCodeableConcept: { coding: [{ system: 'urn:m', code: 'm', userSelected: true }], text: 'method' } },
  { id: 'Observation.code.coding', path: 'Observation.code.coding', patternCoding: { system: 'urn:c', code: 'c1' } },
]);
const patientProfile = profile(PAT, 'Patient', `${CORE}Patient`, [
  { id: 'Patient.address', path: 'Patient.address', patternAddress: { city: 'Leeds', line: ['1 Street'] } },
]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({ 'obs.json': obsProfile, 'patient.json': patientProfile });
});

const RULES = ['TYPE_CHECKS_PATTERN_CC', 'TYPE_CHECKS_PATTERN_CC_US', 'Terminology_TX_Coding_Count', '_DT_Fixed_Wrong', 'Profile_VAL_MissingElement', 'PATTERN_CHECK_STRING', 'Fixed_Type_Checks_DT_Address_Line', 'ADSFHIR_PATTERN_MISMATCH'];
const checkObs = (extra: Record<string, unknown>) => found(svc.validate(observation(extra), { profiles: [OBS] }), RULES);
const checkPatient = (address: unknown[]) => found(svc.validate({ resourceType: 'Patient', address }, { profiles: [PAT] }), RULES);

describe('CodeableConcept patterns', () => {
  it('a value holding the pattern, with more, passes', () => {
    expect(checkObs({ category: [{ coding: [{ system: 'urn:other', code: 'x' }, { system: CAT, code: 'vital-signs', display: 'Vital Signs' }], text: 'vitals' }] })).toEqual([]);
  });

  it("a pattern coding no coding matches (TYPE_CHECKS_PATTERN_CC), at the CodeableConcept", () => {
    expect(checkObs({ category: [{ coding: [{ system: CAT, code: 'laboratory' }] }] })).toEqual([{ severity: 'error', rule: 'TYPE_CHECKS_PATTERN_CC', at: 'Observation.category[0]' }]);
  });

  it('fewer codings than the pattern has (Terminology_TX_Coding_Count), at the CodeableConcept', () => {
    expect(checkObs({ category: [{ text: 'vitals' }] })).toEqual([{ severity: 'error', rule: 'Terminology_TX_Coding_Count', at: 'Observation.category[0]' }]);
  });

  it('a pattern coding with userSelected (TYPE_CHECKS_PATTERN_CC_US), and a text that differs (_DT_Fixed_Wrong), at the text', () => {
    expect(checkObs({ method: { coding: [{ system: 'urn:m', code: 'm' }], text: 'other' } })).toEqual([
      { severity: 'error', rule: '_DT_Fixed_Wrong', at: 'Observation.method.text' },
      { severity: 'error', rule: 'TYPE_CHECKS_PATTERN_CC_US', at: 'Observation.method' },
    ]);
  });
});

describe('Address patterns', () => {
  it('a value holding the pattern passes', () => {
    expect(checkPatient([{ line: ['Flat 2', '1 Street'], city: 'Leeds', postalCode: 'LS1 1AA' }])).toEqual([]);
  });

  it('a part that differs is reported at the part; a line not found (PATTERN_CHECK_STRING) at the address', () => {
    expect(checkPatient([{ line: ['2 Street'], city: 'York' }])).toEqual([
      { severity: 'error', rule: '_DT_Fixed_Wrong', at: 'Patient.address[0].city' },
      { severity: 'error', rule: 'PATTERN_CHECK_STRING', at: 'Patient.address[0]' },
    ]);
  });

  it('fewer lines than the pattern has (Fixed_Type_Checks_DT_Address_Line), and a missing part (Profile_VAL_MissingElement)', () => {
    expect(checkPatient([{ text: 'somewhere' }])).toEqual([
      { severity: 'error', rule: 'Profile_VAL_MissingElement', at: 'Patient.address[0].city' },
      { severity: 'error', rule: 'Fixed_Type_Checks_DT_Address_Line', at: 'Patient.address[0]' },
    ]);
  });
});

describe('meta.profile naming a version-specific core URL', () => {
  const claim = (url: string) => found(svc.validate({ resourceType: 'Patient', meta: { profile: [url] } }), ['VALIDATION_VAL_PROFILE_OTHER_VERSION', 'VALIDATION_VAL_PROFILE_THIS_VERSION_OTHER', 'Validation_VAL_Profile_Unknown']);

  it('a profile of another FHIR version is ignored, as information (VALIDATION_VAL_PROFILE_OTHER_VERSION)', () => {
    expect(claim('http://hl7.org/fhir/3.0/StructureDefinition/Patient')).toEqual([{ severity: 'information', rule: 'VALIDATION_VAL_PROFILE_OTHER_VERSION', at: 'Patient.meta.profile[0]' }]);
  });

  it("R4's own URL for the resource's type is fine; for another type it is an error (VALIDATION_VAL_PROFILE_THIS_VERSION_OTHER)", () => {
    expect(claim('http://hl7.org/fhir/4.0/StructureDefinition/Patient')).toEqual([]);
    expect(claim('http://hl7.org/fhir/4.0/StructureDefinition/Observation')).toEqual([{ severity: 'error', rule: 'VALIDATION_VAL_PROFILE_THIS_VERSION_OTHER', at: 'Patient.meta.profile[0]' }]);
  });
});

describe('Coding patterns', () => {
  const withCoding = (coding: unknown) => checkObs({ code: { coding: [coding] } });

  it('a coding holding the pattern, with more, passes', () => {
    expect(withCoding({ system: 'urn:c', code: 'c1', display: 'C one' })).toEqual([]);
  });

  it('a part that differs (_DT_Fixed_Wrong) and a part that is missing (Profile_VAL_MissingElement), each at the part', () => {
    expect(withCoding({ system: 'urn:c', code: 'c2' })).toEqual([{ severity: 'error', rule: '_DT_Fixed_Wrong', at: 'Observation.code.coding[0].code' }]);
    expect(withCoding({ code: 'c1' })).toEqual([{ severity: 'error', rule: 'Profile_VAL_MissingElement', at: 'Observation.code.coding[0].system' }]);
  });

  it('a part of the wrong JSON shape was dropped by the reader: it is missing', () => {
    const issues = found(svc.validate(observation({ code: { coding: [{ system: 'urn:c', code: ['c1'] }] } }), { profiles: [OBS] }));
    expect(issues).toContainEqual({ severity: 'error', rule: 'Profile_VAL_MissingElement', at: 'Observation.code.coding[0].code' });
    expect(issues.map((i) => i.rule)).not.toContain('_DT_Fixed_Wrong');
  });
});
