/**
 * JSON shape rules of the reference validator's JSON reader (JsonParser), through createValidationService
 * with payloads of our own: values of the wrong JSON kind, empty arrays and objects, a single value where
 * the element repeats.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

describe('JSON shape', () => {
  const cases: [string, unknown, string][] = [
    ['Error_parsing_JSON_the_primitive_value_must_be_a_boolean', { resourceType: 'Patient', active: 'true' }, 'Patient.active'],
    // The JSON reader names a choice element by its definition's name, as the HL7 validator's JsonParser does.
    ['Error_parsing_JSON_the_primitive_value_must_be_a_number', { resourceType: 'Patient', multipleBirthInteger: '2' }, 'Patient.multipleBirth[x]'],
    ['ARRAY_CANNOT_BE_EMPTY', { resourceType: 'Patient', photo: [] }, 'Patient.photo'],
    ['Object_must_have_some_content', { resourceType: 'Patient', _birthDate: {} }, 'Patient.birthDate'],
    ['This_property_must_be_an_Array_not_', { resourceType: 'Patient', name: { family: 'x' } }, 'Patient.name'],
  ];
  for (const [rule, input, at] of cases) {
    it(`${rule} at ${at}`, () => {
      expect(found(svc.validate(input), [rule])).toEqual([{ severity: 'error', rule, at }]);
    });
  }

  it('the same content in its right shape passes', () => {
    const patient = { resourceType: 'Patient', active: true, multipleBirthInteger: 2, name: [{ family: 'x' }], birthDate: '2000-01-01' };
    expect(found(svc.validate(patient))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });
});

describe('unknown resource names in JSON', () => {
  it('This_does_not_appear_to_be_a_FHIR_resource_unknown_name_ (fatal) at the name for the root', async () => {
    const svc = await service();
    const outcome = svc.validateText(JSON.stringify({ resourceType: 'Foo', id: 'a' })).outcome;
    expect(found(outcome)).toEqual([{ severity: 'fatal', rule: 'This_does_not_appear_to_be_a_FHIR_resource_unknown_name_', at: 'Foo' }]);
  });
  it('Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_ (fatal) for a nested resource, contained or in a Bundle', async () => {
    const svc = await service();
    const contained = svc.validateText(JSON.stringify({ resourceType: 'Patient', contained: [{ resourceType: 'Foo', id: 'a' }] })).outcome;
    expect(found(contained, ['Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_', 'Validation_VAL_Profile_NoDefinition'])).toEqual([
      { severity: 'fatal', rule: 'Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_', at: 'Patient.contained[0]' },
    ]);
    const bundle = svc.validateText(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Foo' } }] })).outcome;
    expect(found(bundle, ['Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_'])).toEqual([
      { severity: 'fatal', rule: 'Contained_resource_does_not_appear_to_be_a_FHIR_resource_unknown_name_', at: 'Bundle.entry[0].resource' },
    ]);
  });
});
