/**
 * Slicing rules of the reference validator (InstanceValidator.validateElement's slice assignment and
 * checkCardinalities), through createValidationService and a profile of our own: identifiers sliced by
 * system, closed and ordered, slice 'a' required.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, observation, profile, serviceWith } from './helpers.js';

const SLICED = 'http://example.org/StructureDefinition/obs-slices';
const slicedProfile = profile(SLICED, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.identifier', path: 'Observation.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], ordered: true, rules: 'closed' } },
  { id: 'Observation.identifier:a', path: 'Observation.identifier', sliceName: 'a', min: 1, max: '1' },
  { id: 'Observation.identifier:a.system', path: 'Observation.identifier.system', min: 1, fixedUri: 'urn:a' },
  { id: 'Observation.identifier:b', path: 'Observation.identifier', sliceName: 'b', max: '1' },
  { id: 'Observation.identifier:b.system', path: 'Observation.identifier.system', min: 1, fixedUri: 'urn:b' },
]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({ 'sliced.json': slicedProfile });
});

const RULES = ['Validation_VAL_Profile_Minimum_SLICE', 'Validation_VAL_Profile_NotSlice', 'Validation_VAL_Profile_SliceOrder'];
const ids = (...systems: string[]) => observation({ identifier: systems.map((system, i) => ({ system, value: String(i) })) });
const check = (r: unknown) => found(svc.validate(r, { profiles: [SLICED] }), RULES);

describe('slices', () => {
  it('items in slice order, each in its slice, pass', () => {
    expect(found(svc.validate(ids('urn:a', 'urn:b'), { profiles: [SLICED] }))).toEqual([{ severity: 'information', rule: 'ALL_OK' }]);
    expect(check(ids('urn:a'))).toEqual([]);
  });

  it('a required slice with no item at all (Validation_VAL_Profile_Minimum_SLICE), at the parent', () => {
    expect(check(observation())).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_Minimum_SLICE', at: 'Observation' }]);
  });

  it('an item in no slice of a closed slicing (Validation_VAL_Profile_NotSlice), at the item', () => {
    expect(check(ids('urn:a', 'urn:c'))).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_NotSlice', at: 'Observation.identifier[1]' }]);
  });

  it('items out of the order of the slices of an ordered slicing (Validation_VAL_Profile_SliceOrder), at the item', () => {
    expect(check(ids('urn:b', 'urn:a'))).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_SliceOrder', at: 'Observation.identifier[1]' }]);
  });

  it('none of this without the profile', () => {
    for (const r of [observation(), ids('urn:a', 'urn:c'), ids('urn:b', 'urn:a')]) expect(found(svc.validate(r), RULES)).toEqual([]);
  });
});
