/**
 * Maximum value sets (the elementdefinition-maxValueSet extension of an extensible binding), as the reference's
 * checkMaxValueSet judges them: a value outside the bound value set is an error when it is outside the maximum
 * one too (Terminology_TX_NoValid_8 for a CodeableConcept, _10 for a Coding, _11 for a code), and a
 * CodeableConcept without a coding is an error (Terminology_TX_Code_ValueSetMax). A CodeableConcept keeps the
 * extensible warning; a Coding or code does not. Through createValidationService with profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const CS = 'http://example.org/CodeSystem/sizes';
const SMALL = 'http://example.org/ValueSet/small';
const LARGE = 'http://example.org/ValueSet/large';
const RULES = [
  'Terminology_TX_NoValid_8', 'Terminology_TX_NoValid_10', 'Terminology_TX_NoValid_11', 'Terminology_TX_Code_ValueSetMax', 'Terminology_TX_Code_ValueSet_Ext',
  'Terminology_TX_NoValid_2_CC', 'Terminology_TX_NoValid_13', 'Terminology_TX_NoValid_17', 'Terminology_TX_ValueSet_NotFound',
];
const valueSet = (url: string, codes: string[]) => ({ resourceType: 'ValueSet', url, name: 'Sizes', status: 'active', compose: { include: [{ system: CS, concept: codes.map((code) => ({ code })) }] } });
const binding = (max: string) => ({ strength: 'extensible', valueSet: SMALL, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet', valueCanonical: max }] });
const bind = (name: string, type: string, path: string, max = LARGE) => profile(`${P}${name}`, type, `${CORE}${type}`, [{ id: path, path, binding: binding(max) }]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'cs.json': { resourceType: 'CodeSystem', url: CS, name: 'Sizes', status: 'active', content: 'complete', concept: [{ code: 's' }, { code: 'm' }, { code: 'xl' }] },
    'small.json': valueSet(SMALL, ['s']),
    'large.json': valueSet(LARGE, ['s', 'm']),
    'p1.json': bind('cc', 'Basic', 'Basic.code'),
    'p2.json': bind('coding', 'Encounter', 'Encounter.class'),
    'p3.json': bind('code', 'Patient', 'Patient.gender'),
    'p4.json': bind('cc-unknown-max', 'Basic', 'Basic.code', 'http://example.org/ValueSet/nowhere'),
  });
});

const basic = (name: string, code: Record<string, unknown>) => found(svc.validate({ resourceType: 'Basic', code }, { profiles: [`${P}${name}`] }), RULES);
const encounter = (code: string) => found(svc.validate({ resourceType: 'Encounter', status: 'finished', class: { system: CS, code } }, { profiles: [`${P}coding`] }), RULES);
const patient = (gender: string) => found(svc.validate({ resourceType: 'Patient', gender }, { profiles: [`${P}code`] }), RULES);

describe('a CodeableConcept on an extensible binding with a maximum value set', () => {
  it('outside both value sets: an error, and the extensible warning', () => {
    expect(basic('cc', { coding: [{ system: CS, code: 'xl' }] })).toEqual([
      { severity: 'error', rule: 'Terminology_TX_NoValid_8', at: 'Basic.code' },
      { severity: 'warning', rule: 'Terminology_TX_NoValid_2_CC', at: 'Basic.code' },
    ]);
  });

  it('outside the bound value set but inside the maximum one: the extensible warning only', () => {
    expect(basic('cc', { coding: [{ system: CS, code: 'm' }] })).toEqual([{ severity: 'warning', rule: 'Terminology_TX_NoValid_2_CC', at: 'Basic.code' }]);
    expect(basic('cc', { coding: [{ system: CS, code: 's' }] })).toEqual([]);
  });

  it('without a coding: an error instead of the extensible warning', () => {
    expect(basic('cc', { text: 'extra large' })).toEqual([{ severity: 'error', rule: 'Terminology_TX_Code_ValueSetMax', at: 'Basic.code' }]);
  });

  it('a maximum value set that cannot be found is reported, not judged', () => {
    expect(basic('cc-unknown-max', { coding: [{ system: CS, code: 'xl' }] })).toEqual([
      { severity: 'warning', rule: 'Terminology_TX_ValueSet_NotFound', at: 'Basic.code' },
      { severity: 'warning', rule: 'Terminology_TX_NoValid_2_CC', at: 'Basic.code' },
    ]);
  });
});

describe('a Coding or code on an extensible binding with a maximum value set', () => {
  it('a Coding outside both is an error, without the extensible warning', () => {
    expect(encounter('xl')).toEqual([{ severity: 'error', rule: 'Terminology_TX_NoValid_10', at: 'Encounter.class' }]);
    expect(encounter('m')).toEqual([]);
  });

  it('a code outside both is an error, without the extensible warning', () => {
    expect(patient('xl')).toEqual([{ severity: 'error', rule: 'Terminology_TX_NoValid_11', at: 'Patient.gender' }]);
    expect(patient('m')).toEqual([]);
  });
});
