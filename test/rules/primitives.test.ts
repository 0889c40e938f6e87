/**
 * Primitive value rules of the reference validator (InstanceValidator.checkPrimitive and the JSON/XML
 * readers), reached through createValidationService with payloads of our own. Only values whose verdict
 * the reference gives the same way under each reading are used (regex failures, ranges, lengths).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, hasErrors, OBS_PROFILE, obsProfile, observation, serviceWith } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({ 'obs.json': obsProfile });
});

/** Issues of `rules` only. */
const only = (input: unknown, rules: string[], profiles?: string[]) => found(svc.validate(input, profiles ? { profiles } : {}), rules);

describe('values that are not of their type', () => {
  const cases: [string, unknown, string][] = [
    ['Type_Specific_Checks_DT_Code_WS', { resourceType: 'Patient', gender: 'fe  male' }, 'Patient.gender'],
    ['Type_Specific_Checks_DT_Date_Valid', { resourceType: 'Patient', birthDate: '2021-13-01' }, 'Patient.birthDate'],
    ['Type_Specific_Checks_DT_DateTime_Valid', observation({ effectiveDateTime: '2021-02-03T10:00' }), 'Observation.effective.ofType(dateTime)'],
    ['Type_Specific_Checks_DT_Integer_Valid', observation({ valueInteger: 1.5 }), 'Observation.value.ofType(integer)'],
    ['Type_Specific_Checks_DT_Base64_Valid', { resourceType: 'Binary', contentType: 'text/plain', data: 'abc$' }, 'Binary.data'],
    ['Type_Specific_Checks_DT_Time_Valid', observation({ valueTime: '25:00:00' }), 'Observation.value.ofType(time)'],
    ['Type_Specific_Checks_DT_URI_WS', { resourceType: 'Patient', identifier: [{ system: 'http://a b.test', value: '1' }] }, 'Patient.identifier[0].system'],
    ['Type_Specific_Checks_DT_UUID_Valid', { resourceType: 'Patient', identifier: [{ system: 'urn:uuid:ABC', value: '1' }] }, 'Patient.identifier[0].system'],
    ['Type_Specific_Checks_DT_OID_Valid', { resourceType: 'Patient', identifier: [{ system: 'urn:oid:1.2.x', value: '1' }] }, 'Patient.identifier[0].system'],
    ['Type_Specific_Checks_DT_Primitive_NotEmpty', { resourceType: 'Patient', name: [{ family: '' }] }, 'Patient.name[0].family'],
    [
      'Type_Specific_Checks_DT_ID_Valid',
      { resourceType: 'ImplementationGuide', url: 'http://x.test/ig', name: 'X', status: 'draft', fhirVersion: ['4.0.1'], packageId: 'a b' },
      'ImplementationGuide.packageId',
    ],
  ];
  for (const [rule, input, where] of cases) {
    it(`${rule} at ${where}`, () => {
      const outcome = svc.validate(input);
      expect(found(outcome, [rule])).toEqual([{ severity: 'error', rule, at: where }]);
      expect(hasErrors(outcome)).toBe(true);
    });
  }

  it('valid values of the same elements pass', () => {
    const patient = {
      resourceType: 'Patient',
      gender: 'female',
      birthDate: '2021-12-01',
      identifier: [
        { system: 'http://a.test', value: '1' },
        { system: 'urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e', value: '2' },
        { system: 'urn:oid:2.16.840.1.113883', value: '3' },
      ],
      name: [{ family: 'Smith' }],
    };
    expect(found(svc.validate(patient))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
    expect(found(svc.validate(observation({ effectiveDateTime: '2021-02-03T10:00:00Z', valueTime: '23:59:59' })))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
    expect(found(svc.validate({ resourceType: 'Binary', contentType: 'text/plain', data: 'aGVsbG8=' }))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });
});

describe('integer ranges', () => {
  it('an unsignedInt below 0 (Type_Specific_Checks_DT_Integer_LT0)', () => {
    const doc = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'text/plain', size: -1 } }] };
    expect(only(doc, ['Type_Specific_Checks_DT_Integer_LT0'])).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_LT0', at: 'DocumentReference.content[0].attachment.size' }]);
  });

  it('a positiveInt below 1 (Type_Specific_Checks_DT_Integer_LT1)', () => {
    const obs = observation({ valueSampledData: { origin: { value: 1 }, period: 1, dimensions: 0 } });
    expect(only(obs, ['Type_Specific_Checks_DT_Integer_LT1'])).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_LT1', at: 'Observation.value.ofType(SampledData).dimensions' }]);
  });

  it("outside a profile's minValue/maxValue (Type_Specific_Checks_DT_Integer_LT / _GT)", () => {
    const obs = (v: number) => observation({ component: [{ code: { text: 'c' }, valueInteger: v }] });
    const RULES = ['Type_Specific_Checks_DT_Integer_LT', 'Type_Specific_Checks_DT_Integer_GT'];
    expect(only(obs(1), RULES, [OBS_PROFILE])).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_LT', at: 'Observation.component[0].value.ofType(integer)' }]);
    expect(only(obs(6), RULES, [OBS_PROFILE])).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_GT', at: 'Observation.component[0].value.ofType(integer)' }]);
    expect(only(obs(2), RULES, [OBS_PROFILE])).toEqual([]);
    expect(only(obs(5), RULES, [OBS_PROFILE])).toEqual([]);
    // The base sets no range.
    expect(only(obs(1), RULES)).toEqual([]);
  });
});

describe('lengths', () => {
  it("longer than the profile's maxLength (Type_Specific_Checks_DT_Primitive_Length)", () => {
    const RULES = ['Type_Specific_Checks_DT_Primitive_Length'];
    expect(only(observation({ note: [{ text: 'abcdef' }] }), RULES, [OBS_PROFILE])).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Primitive_Length', at: 'Observation.note[0].text' }]);
    expect(only(observation({ note: [{ text: 'abcde' }] }), RULES, [OBS_PROFILE])).toEqual([]);
  });

  it('shorter than the minLength extension (PRIMITIVE_TOO_SHORT)', () => {
    const RULES = ['PRIMITIVE_TOO_SHORT'];
    expect(only(observation({ note: [{ text: 'ab' }] }), RULES, [OBS_PROFILE])).toEqual([{ severity: 'error', rule: 'PRIMITIVE_TOO_SHORT', at: 'Observation.note[0].text' }]);
    expect(only(observation({ note: [{ text: 'abc' }] }), RULES, [OBS_PROFILE])).toEqual([]);
    expect(only(observation({ note: [{ text: 'ab' }] }), RULES)).toEqual([]);
  });

  it('a string longer than 1 MiB (Type_Specific_Checks_DT_String_Length)', () => {
    const RULES = ['Type_Specific_Checks_DT_String_Length'];
    expect(only({ resourceType: 'Patient', name: [{ family: 'x'.repeat(1024 * 1024 + 1) }] }, RULES)).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_String_Length', at: 'Patient.name[0].family' }]);
    expect(only({ resourceType: 'Patient', name: [{ family: 'x'.repeat(1024 * 1024) }] }, RULES)).toEqual([]);
  });
});

describe('markdown with HTML (TYPE_SPECIFIC_CHECKS_DT_MARKDOWN_HTML)', () => {
  it('is a warning, not an error, by default', () => {
    const cs = (description: string) => ({ resourceType: 'CodeSystem', url: 'http://x.test/cs', status: 'draft', content: 'not-present', description });
    const outcome = svc.validate(cs('hello <b>bold</b>'));
    expect(found(outcome, ['TYPE_SPECIFIC_CHECKS_DT_MARKDOWN_HTML'])).toEqual([{ severity: 'warning', rule: 'TYPE_SPECIFIC_CHECKS_DT_MARKDOWN_HTML', at: 'CodeSystem.description' }]);
    expect(hasErrors(outcome)).toBe(false);
    expect(found(svc.validate(cs('hello **bold** 1 < 2')), ['TYPE_SPECIFIC_CHECKS_DT_MARKDOWN_HTML'])).toEqual([]);
  });
});

describe('primitives without a value', () => {
  it('a null array item with no extension in its place (ELEMENT_CANNOT_BE_NULL)', () => {
    expect(only({ resourceType: 'Patient', name: [{ given: ['a', null] }] }, ['ELEMENT_CANNOT_BE_NULL'])).toEqual([{ severity: 'error', rule: 'ELEMENT_CANNOT_BE_NULL', at: 'Patient.name[0].given[1]' }]);
  });

  it('a null array item with an extension in its place is fine', () => {
    const dar = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    expect(found(svc.validate({ resourceType: 'Patient', name: [{ given: ['a', null], _given: [null, dar] }] }))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });

  it('an extension in place of a value the profile requires (PRIMITIVE_MUSTHAVEVALUE_MESSAGE)', () => {
    const dar = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    expect(only(observation({ _issued: dar }), ['PRIMITIVE_MUSTHAVEVALUE_MESSAGE'], [OBS_PROFILE])).toEqual([{ severity: 'error', rule: 'PRIMITIVE_MUSTHAVEVALUE_MESSAGE', at: 'Observation.issued' }]);
    expect(found(svc.validate(observation({ issued: '2020-01-01T00:00:00Z' }), { profiles: [OBS_PROFILE] }))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
    expect(only(observation({ _issued: dar }), ['PRIMITIVE_MUSTHAVEVALUE_MESSAGE'])).toEqual([]);
  });

  it('only the listed extensions may stand in for a value (PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE)', () => {
    const RULES = ['PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE'];
    const dar = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    const nullFlavor = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/iso21090-nullFlavor', valueCode: 'UNK' }] };
    expect(only(observation({ _effectiveDateTime: nullFlavor }), RULES, [OBS_PROFILE])).toEqual([{ severity: 'error', rule: 'PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE', at: 'Observation.effective.ofType(dateTime)' }]);
    expect(only(observation({ _effectiveDateTime: dar }), RULES, [OBS_PROFILE])).toEqual([]);
  });

  it('an XML primitive with neither value nor extension (Type_Specific_Checks_DT_Primitive_ValueExt)', () => {
    const outcome = svc.validateText('<Patient xmlns="http://hl7.org/fhir"><birthDate/></Patient>').outcome;
    expect(found(outcome, ['Type_Specific_Checks_DT_Primitive_ValueExt'])).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Primitive_ValueExt', at: 'Patient.birthDate' }]);
  });
});

describe('XML values that are not of their type', () => {
  it('a boolean other than true/false is one error (Type_Specific_Checks_DT_Boolean_Value)', () => {
    const outcome = svc.validateText('<Patient xmlns="http://hl7.org/fhir"><active value="yes"/></Patient>').outcome;
    expect(found(outcome)).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Boolean_Value', at: 'Patient.active' }]);
  });

  it('a decimal that is not a number is one error (Type_Specific_Checks_DT_Decimal_Valid)', () => {
    const xml = '<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="x"/></code><valueQuantity><value value="1,5"/></valueQuantity></Observation>';
    expect(found(svc.validateText(xml).outcome)).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Decimal_Valid', at: 'Observation.valueQuantity.value' }]);
  });

  it('an integer that is not one is one error (Type_Specific_Checks_DT_Integer_Valid)', () => {
    const xml = '<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="x"/></code><valueInteger value="two"/></Observation>';
    expect(found(svc.validateText(xml).outcome)).toEqual([{ severity: 'error', rule: 'Type_Specific_Checks_DT_Integer_Valid', at: 'Observation.valueInteger' }]);
  });
});
