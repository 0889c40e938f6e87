/**
 * Resource structure rules of the reference validator (InstanceValidator.validateResource, validateElement,
 * the XML reader's order and cardinality), reached through createValidationService with payloads of our own:
 * the clean outcome, resource ids, element ids, cardinality, choice types a profile excludes, XML element
 * order and profiles for another resource type.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { found, hasErrors, OBS_PROFILE, obsProfile, observation, serviceWith } from './helpers.js';

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({ 'obs.json': obsProfile });
});

const withProfile = (r: unknown) => svc.validate(r, { profiles: [OBS_PROFILE] });

describe('the outcome of a resource with no findings', () => {
  it('is one information issue with the reference key ALL_OK', () => {
    const outcome = svc.validate({ resourceType: 'Patient', id: 'p1', active: true });
    expect(found(outcome)).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
    expect(hasErrors(outcome)).toBe(false);
  });

  it('is not given when there is any finding', () => {
    expect(found(svc.validate({ resourceType: 'Patient', id: 'a_b' }), ['ALL_OK'])).toEqual([]);
  });
});

describe('resource ids (Resource_RES_ID_Malformed_*)', () => {
  const RULES = ['Resource_RES_ID_Malformed_Chars', 'Resource_RES_ID_Malformed_Length'];

  it('accepts letters, digits, - and . up to 64 characters', () => {
    expect(found(svc.validate({ resourceType: 'Patient', id: 'A-b.9' }), RULES)).toEqual([]);
    expect(found(svc.validate({ resourceType: 'Patient', id: 'x'.repeat(64) }), RULES)).toEqual([]);
  });

  it('rejects other characters, at the id', () => {
    for (const id of ['a_b', 'a b', 'é', 'a/b']) {
      expect(found(svc.validate({ resourceType: 'Patient', id }), RULES), id).toEqual([{ severity: 'error', rule: 'Resource_RES_ID_Malformed_Chars', at: 'Patient.id' }]);
    }
  });

  it('rejects more than 64 characters with the length rule only', () => {
    expect(found(svc.validate({ resourceType: 'Patient', id: 'x'.repeat(65) }), RULES)).toEqual([{ severity: 'error', rule: 'Resource_RES_ID_Malformed_Length', at: 'Patient.id' }]);
    expect(found(svc.validate({ resourceType: 'Patient', id: '_'.repeat(70) }), RULES)).toEqual([{ severity: 'error', rule: 'Resource_RES_ID_Malformed_Length', at: 'Patient.id' }]);
  });

  it('applies to contained resources as well', () => {
    const patient = { resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'o_1', name: 'x' }], managingOrganization: { reference: '#o_1' } };
    expect(found(svc.validate(patient), RULES)).toEqual([{ severity: 'error', rule: 'Resource_RES_ID_Malformed_Chars', at: 'Patient.contained[0].id' }]);
  });
});

describe('element ids (DUPLICATE_ID)', () => {
  it('are unique within a resource: the second use is an error where it is', () => {
    const patient = { resourceType: 'Patient', name: [{ id: 'n1', family: 'a' }, { id: 'n1', family: 'b' }], telecom: [{ id: 'n2', system: 'phone', value: '1' }] };
    expect(found(svc.validate(patient), ['DUPLICATE_ID'])).toEqual([{ severity: 'error', rule: 'DUPLICATE_ID', at: 'Patient.name[1]' }]);
  });

  it('distinct ids are fine', () => {
    const patient = { resourceType: 'Patient', name: [{ id: 'n1', family: 'a' }, { id: 'n2', family: 'b' }] };
    expect(found(svc.validate(patient))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });
});

describe('cardinality (Validation_VAL_Profile_Maximum)', () => {
  it('reports more items than the profile allows at the parent, once', () => {
    const obs = observation({ note: [{ text: 'abc' }, { text: 'abcd' }] });
    expect(found(withProfile(obs), ['Validation_VAL_Profile_Maximum'])).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_Maximum', at: 'Observation' }]);
    // The base allows any number of notes.
    expect(found(svc.validate(obs), ['Validation_VAL_Profile_Maximum'])).toEqual([]);
  });

  it('reports a repeated single element in XML', () => {
    const xml = '<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="x"/></code><issued value="2020-01-01T00:00:00Z"/><issued value="2020-01-02T00:00:00Z"/></Observation>';
    const outcome = svc.validateText(xml).outcome;
    expect(found(outcome, ['Validation_VAL_Profile_Maximum']).map((i) => i.rule)).toEqual(['Validation_VAL_Profile_Maximum']);
  });
});

describe('choice types a profile excludes (Validation_VAL_Profile_NoType)', () => {
  it('a type the base allows but the profile does not is an error on the resource', () => {
    expect(found(withProfile(observation({ valueString: 'x' })), ['Validation_VAL_Profile_NoType', 'Unrecognised_property_'])).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_NoType', at: 'Observation' }]);
    expect(found(withProfile(observation({ valueQuantity: { value: 1 } })))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });

  it('a type the base does not allow either is an unknown property, with or without the profile', () => {
    const obs = observation({ valueAttachment: { size: 1 } });
    expect(found(svc.validate(obs), ['Validation_VAL_Profile_NoType', 'Unrecognised_property_'])).toEqual([{ severity: 'error', rule: 'Unrecognised_property_', at: 'Observation' }]);
    expect(found(withProfile(obs), ['Validation_VAL_Profile_NoType', 'Unrecognised_property_'])).toEqual([{ severity: 'error', rule: 'Unrecognised_property_', at: 'Observation' }]);
  });
});

describe('XML element order (Validation_VAL_Profile_OutOfOrder)', () => {
  it('an element after one the definition puts later is out of order, at the element', () => {
    const xml = '<Observation xmlns="http://hl7.org/fhir"><code><text value="x"/></code><status value="final"/></Observation>';
    expect(found(svc.validateText(xml).outcome, ['Validation_VAL_Profile_OutOfOrder'])).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_OutOfOrder', at: 'Observation.status' }]);
  });

  it('definition order is fine, and JSON has no order', () => {
    const xml = '<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="x"/></code></Observation>';
    expect(found(svc.validateText(xml).outcome, ['Validation_VAL_Profile_OutOfOrder'])).toEqual([]);
    expect(found(svc.validateText('{"code":{"text":"x"},"status":"final","resourceType":"Observation"}').outcome)).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
  });
});

describe('a profile for another resource type (Validation_VAL_Profile_WrongType)', () => {
  it('asked for by the caller', () => {
    expect(found(svc.validate({ resourceType: 'Patient' }, { profiles: [OBS_PROFILE] }), ['Validation_VAL_Profile_WrongType'])).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_WrongType', at: 'Patient' }]);
  });

  it('claimed in meta.profile', () => {
    expect(found(svc.validate({ resourceType: 'Patient', meta: { profile: [OBS_PROFILE] } }), ['Validation_VAL_Profile_WrongType'])).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_WrongType', at: 'Patient' }]);
  });

  it('not for a profile of the same type', () => {
    expect(found(withProfile(observation()), ['Validation_VAL_Profile_WrongType'])).toEqual([]);
  });
});
