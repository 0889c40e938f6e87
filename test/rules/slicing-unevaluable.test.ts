/**
 * Slices the reference validator cannot evaluate (engine/rules/slice-evaluability.ts, from InstanceValidator.sliceMatches
 * and checkCardinalities): a slice that states nothing at its discriminator (no fixed or pattern value, no required
 * binding) or an existence discriminator on an element with neither min >= 1 nor max = 0. Each item of the sliced
 * element gets SLICING_CANNOT_BE_EVALUATED, and the counts of the sliced element and its slices become hints that
 * they could not be checked (Validation_VAL_Profile_NoCheckMin / NoCheckMax). Through createValidationService with
 * profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, observation, profile, serviceWith } from './helpers.js';

const LOINC = 'http://loinc.org';
const BY_CODE = 'http://example.org/StructureDefinition/obs-components';
const byCode = profile(BY_CODE, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.component', path: 'Observation.component', max: '2', slicing: { discriminator: [{ type: 'value', path: 'code' }], rules: 'closed' } },
  { id: 'Observation.component:systolic', path: 'Observation.component', sliceName: 'systolic', min: 1, max: '1' },
  { id: 'Observation.component:systolic.code', path: 'Observation.component.code', patternCodeableConcept: { coding: [{ system: LOINC, code: '8480-6' }] } },
  // States nothing about its code: the reference cannot tell its items.
  { id: 'Observation.component:free', path: 'Observation.component', sliceName: 'free', max: '1' },
  { id: 'Observation.component:free.code', path: 'Observation.component.code', short: 'any code' },
]);
const FINE = 'http://example.org/StructureDefinition/obs-components-fine';
const fine = profile(FINE, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.component', path: 'Observation.component', max: '2', slicing: { discriminator: [{ type: 'value', path: 'code' }], rules: 'closed' } },
  { id: 'Observation.component:systolic', path: 'Observation.component', sliceName: 'systolic', min: 1, max: '1' },
  { id: 'Observation.component:systolic.code', path: 'Observation.component.code', patternCodeableConcept: { coding: [{ system: LOINC, code: '8480-6' }] } },
]);
const BY_EXISTENCE = 'http://example.org/StructureDefinition/obs-identifier-exists';
const byExistence = profile(BY_EXISTENCE, 'Observation', `${CORE}Observation`, [
  { id: 'Observation.identifier', path: 'Observation.identifier', slicing: { discriminator: [{ type: 'exists', path: 'system' }], rules: 'open' } },
  { id: 'Observation.identifier:either', path: 'Observation.identifier', sliceName: 'either', min: 1 },
  { id: 'Observation.identifier:either.system', path: 'Observation.identifier.system', short: 'neither required nor banned' },
]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({ 'by-code.json': byCode, 'fine.json': fine, 'by-existence.json': byExistence });
});

const RULES = [
  'SLICING_CANNOT_BE_EVALUATED',
  'Validation_VAL_Profile_NoCheckMin',
  'Validation_VAL_Profile_NoCheckMax',
  'Validation_VAL_Profile_Minimum_SLICE',
  'Validation_VAL_Profile_Maximum',
  'Validation_VAL_Profile_NotSlice',
];
const check = (r: unknown, url: string) => found(svc.validate(r, { profiles: [url] }), RULES);
const component = (code: string) => ({ code: { coding: [{ system: LOINC, code }] }, valueQuantity: { value: 1 } });

describe('slices that cannot be evaluated', () => {
  it('reports each item of the sliced element (SLICING_CANNOT_BE_EVALUATED) and checks no slice count (Validation_VAL_Profile_NoCheckMin)', () => {
    expect(check(observation({ component: [component('1111-1'), component('2222-2')] }), BY_CODE)).toEqual([
      { severity: 'error', rule: 'SLICING_CANNOT_BE_EVALUATED', at: 'Observation.component[0]' },
      { severity: 'error', rule: 'SLICING_CANNOT_BE_EVALUATED', at: 'Observation.component[1]' },
      { severity: 'information', rule: 'Validation_VAL_Profile_NoCheckMin', at: 'Observation' },
    ]);
    // The same items against a profile whose slices can all be evaluated: a closed slicing, a required slice.
    expect(check(observation({ component: [component('1111-1'), component('2222-2')] }), FINE)).toEqual([
      { severity: 'error', rule: 'Validation_VAL_Profile_NotSlice', at: 'Observation.component[0]' },
      { severity: 'error', rule: 'Validation_VAL_Profile_NotSlice', at: 'Observation.component[1]' },
      { severity: 'error', rule: 'Validation_VAL_Profile_Minimum_SLICE', at: 'Observation' },
    ]);
  });

  it('does not check the count of the sliced element either (Validation_VAL_Profile_NoCheckMax)', () => {
    const three = observation({ component: [component('8480-6'), component('1111-1'), component('2222-2')] });
    expect(check(three, BY_CODE).filter((f) => f.rule !== 'SLICING_CANNOT_BE_EVALUATED')).toEqual([
      { severity: 'information', rule: 'Validation_VAL_Profile_NoCheckMax', at: 'Observation' },
    ]);
    expect(check(three, FINE).filter((f) => f.rule === 'Validation_VAL_Profile_Maximum')).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_Maximum', at: 'Observation' }]);
  });

  it('says nothing when the sliced element is absent: the required slice is missing', () => {
    expect(check(observation(), BY_CODE)).toEqual([{ severity: 'error', rule: 'Validation_VAL_Profile_Minimum_SLICE', at: 'Observation' }]);
  });

  it('an existence discriminator needs min >= 1 or max = 0 at its element', () => {
    expect(check(observation({ identifier: [{ system: 'urn:x', value: '1' }] }), BY_EXISTENCE)).toEqual([
      { severity: 'error', rule: 'SLICING_CANNOT_BE_EVALUATED', at: 'Observation.identifier[0]' },
      { severity: 'information', rule: 'Validation_VAL_Profile_NoCheckMin', at: 'Observation' },
    ]);
  });
});
