/**
 * How items are matched to slices (the reference validator's matchSlice and assignChildren), through
 * createValidationService: an item in no slice of an open slicing is reported as information, an item in two
 * slices that both state their discriminator values is an error, and a core Observation profile's required
 * LOINC coding has its own rule id.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, observation, profile, serviceWith } from './helpers.js';

const OPEN = 'http://example.org/StructureDefinition/obs-open';
const openProfile = profile(OPEN, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.identifier', path: 'Observation.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
  { id: 'Observation.identifier:a', path: 'Observation.identifier', sliceName: 'a', max: '1' },
  { id: 'Observation.identifier:a.system', path: 'Observation.identifier.system', min: 1, fixedUri: 'urn:a' },
  { id: 'Observation.category', path: 'Observation.category', slicing: { discriminator: [{ type: 'pattern', path: '$this' }], rules: 'open' } },
  { id: 'Observation.category:lab', path: 'Observation.category', sliceName: 'lab', patternCodeableConcept: { coding: [{ system: 'urn:cat', code: 'lab' }] } },
  { id: 'Observation.category:any', path: 'Observation.category', sliceName: 'any', patternCodeableConcept: { coding: [{ system: 'urn:cat' }] } },
  { id: 'Observation.component', path: 'Observation.component', slicing: { discriminator: [{ type: 'value', path: 'code' }, { type: 'value', path: 'value' }], rules: 'open' } },
  { id: 'Observation.component:x', path: 'Observation.component', sliceName: 'x' },
  { id: 'Observation.component:x.code', path: 'Observation.component.code', patternCodeableConcept: { text: 'x' } },
  { id: 'Observation.component:y', path: 'Observation.component', sliceName: 'y' },
  { id: 'Observation.component:y.code', path: 'Observation.component.code', patternCodeableConcept: { text: 'x' } },
]);

const TYPED = 'http://example.org/StructureDefinition/obs-typed-components';
const typedProfile = profile(TYPED, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.component', path: 'Observation.component', slicing: { discriminator: [{ type: 'exists', path: 'value.ofType(Quantity)' }], rules: 'closed' } },
  { id: 'Observation.component:q', path: 'Observation.component', sliceName: 'q' },
  { id: 'Observation.component:q.value[x]', path: 'Observation.component.value[x]', min: 1, type: [{ code: 'Quantity' }] },
]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({ 'open.json': openProfile, 'typed.json': typedProfile });
});

const RULES = ['This_element_does_not_match_any_known_slice_', 'Validation_VAL_Profile_MatchMultiple', 'Validation_VAL_Profile_NotSlice'];
const check = (r: unknown) => found(svc.validate(r, { profiles: [OPEN] }), RULES);

describe('open slicing', () => {
  it('items in their slices pass', () => {
    expect(check(observation({ identifier: [{ system: 'urn:a', value: '1' }] }))).toEqual([]);
  });

  it('an item in no slice is information at the item (This_element_does_not_match_any_known_slice_), not an error', () => {
    expect(check(observation({ identifier: [{ system: 'urn:a', value: '1' }, { system: 'urn:other', value: '2' }] }))).toEqual([
      { severity: 'information', rule: 'This_element_does_not_match_any_known_slice_', at: 'Observation.identifier[1]' },
    ]);
  });

  it('nothing of this without the profile', () => {
    expect(found(svc.validate(observation({ identifier: [{ system: 'urn:other', value: '2' }] })), RULES)).toEqual([]);
  });
});

describe('an item that matches more than one slice', () => {
  it('is an error at the item when both slices state their values (Validation_VAL_Profile_MatchMultiple)', () => {
    const category = [{ coding: [{ system: 'urn:cat', code: 'lab' }] }, { coding: [{ system: 'urn:cat', code: 'other' }] }];
    expect(check(observation({ category }))).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_MatchMultiple', at: 'Observation.category[0]' }]);
  });

  it('is not reported when a slice states nothing for one of the discriminators', () => {
    // Slices x and y fix component.code alike but say nothing about value: the reference cannot tell them apart either way.
    expect(check(observation({ component: [{ code: { text: 'x' }, valueString: 'v' }] }))).toEqual([]);
  });
});

describe('discriminator paths with a choice type', () => {
  const components = (...values: Record<string, unknown>[]) => observation({ component: values.map((v) => ({ code: { text: 'c' }, ...v })) });
  const typed = (r: unknown) => found(svc.validate(r, { profiles: [TYPED] }), RULES);

  it('value.ofType(Quantity) reads a Quantity value only: a string value is in no slice of the closed slicing', () => {
    expect(typed(components({ valueQuantity: { value: 1 } }))).toEqual([]);
    expect(typed(components({ valueQuantity: { value: 1 } }, { valueString: 'x' }))).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_NotSlice', at: 'Observation.component[1]' }]);
  });
});

describe('core vital signs profiles', () => {
  let defaults: ValidationService;
  beforeAll(async () => {
    const { service } = await import('./helpers.js');
    defaults = await service();
  });
  const heartRate = (coding: unknown[]) =>
    observation({ meta: { profile: [`${CORE}heartrate`] }, category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }], code: { coding }, subject: { reference: 'Patient/p' }, effectiveDateTime: '2024-01-01', valueQuantity: { value: 60, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' } });
  const MAGIC = ['VALIDATION_VAL_PROFILE_MINIMUM_MAGIC', 'Validation_VAL_Profile_Minimum_SLICE', 'This_element_does_not_match_any_known_slice_'];

  it('the LOINC code the profile requires, beside other codes, passes without a slicing hint', () => {
    expect(found(defaults.validate(heartRate([{ system: 'http://loinc.org', code: '8867-4' }, { system: 'urn:local', code: 'hr' }])), MAGIC)).toEqual([]);
  });

  it('without it, the magic code is missing (VALIDATION_VAL_PROFILE_MINIMUM_MAGIC), at the coding holder', () => {
    expect(found(defaults.validate(heartRate([{ system: 'urn:local', code: 'hr' }])), MAGIC)).toEqual([{ severity: 'error', rule: 'VALIDATION_VAL_PROFILE_MINIMUM_MAGIC', at: 'Observation.code' }]);
  });
});
