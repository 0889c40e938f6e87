/**
 * Binding findings named as the reference names them by kind of value: what cannot be checked without a
 * terminology service (a CodeableConcept: TERMINOLOGY_TX_NOSVC_BOUND_REQ/EXT, a Coding:
 * Terminology_TX_Binding_NoServer, a bare code: Terminology_TX_NoValid_15), a binding that names a code system
 * where a value set belongs, and codings without a system (of a CodeableConcept, or a Coding of its own, which is
 * then not checked against the value set). Through createValidationService with profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const CS = 'http://example.org/CodeSystem/kinds';
const SCT_VS = 'http://example.org/ValueSet/clinical-findings';
const RULES = ['TERMINOLOGY_TX_NOSVC_BOUND_REQ', 'TERMINOLOGY_TX_NOSVC_BOUND_EXT', 'Terminology_TX_Binding_NoServer', 'Terminology_TX_NoValid_15', 'Terminology_TX_ValueSet_NotFound_CS', 'Terminology_TX_ValueSet_NotFound', 'Coding_has_no_system__cannot_validate', 'TERMINOLOGY_TX_SYSTEM_NO_CODE', 'Terminology_TX_NoValid_12', 'Terminology_TX_NoValid_1_CC', 'Terminology_TX_NoValid_2_CC'];
const bind = (name: string, type: string, path: string, strength: string, valueSet: string) => profile(`${P}${name}`, type, `${CORE}${type}`, [{ id: path, path, binding: { strength, valueSet } }]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'cs.json': { resourceType: 'CodeSystem', url: CS, name: 'Kinds', status: 'active', content: 'complete', concept: [{ code: 'a' }] },
    'vs.json': { resourceType: 'ValueSet', url: SCT_VS, name: 'Findings', status: 'active', compose: { include: [{ system: 'http://snomed.info/sct', filter: [{ property: 'concept', op: 'is-a', value: '404684003' }] }] } },
    'p1.json': bind('cc-required', 'Basic', 'Basic.code', 'required', SCT_VS),
    'p2.json': bind('cc-extensible', 'Basic', 'Basic.code', 'extensible', SCT_VS),
    'p3.json': bind('coding-required', 'Encounter', 'Encounter.class', 'required', SCT_VS),
    'p4.json': bind('code-required', 'Patient', 'Patient.language', 'required', SCT_VS),
    'p5.json': bind('on-code-system', 'Basic', 'Basic.code', 'required', CS),
  });
});

const SCT = 'http://snomed.info/sct';
const basic = (name: string, code: Record<string, unknown>) => found(svc.validate({ resourceType: 'Basic', code }, { profiles: [`${P}${name}`] }), RULES);

describe('what cannot be checked without a terminology service, by kind of value', () => {
  it('a CodeableConcept on a required or extensible binding', () => {
    expect(basic('cc-required', { coding: [{ system: SCT, code: '22298006' }] })).toEqual([{ severity: 'information', rule: 'TERMINOLOGY_TX_NOSVC_BOUND_REQ', at: 'Basic.code' }]);
    expect(basic('cc-extensible', { coding: [{ system: SCT, code: '22298006' }] })).toEqual([{ severity: 'information', rule: 'TERMINOLOGY_TX_NOSVC_BOUND_EXT', at: 'Basic.code' }]);
  });

  it('a Coding, and a bare code', () => {
    const encounter = { resourceType: 'Encounter', status: 'finished', class: { system: SCT, code: '22298006' } };
    expect(found(svc.validate(encounter, { profiles: [`${P}coding-required`] }), RULES)).toEqual([{ severity: 'information', rule: 'Terminology_TX_Binding_NoServer', at: 'Encounter.class' }]);
    expect(found(svc.validate({ resourceType: 'Patient', language: '22298006' }, { profiles: [`${P}code-required`] }), RULES)).toEqual([{ severity: 'information', rule: 'Terminology_TX_NoValid_15', at: 'Patient.language' }]);
  });
});

describe('bindings and codings that cannot be judged', () => {
  it('a binding to a code system where a value set belongs is an error', () => {
    expect(basic('on-code-system', { coding: [{ system: CS, code: 'a' }] })).toEqual([{ severity: 'error', rule: 'Terminology_TX_ValueSet_NotFound_CS', at: 'Basic.code' }]);
  });

  it('a coding of a CodeableConcept without a system cannot be validated, and is in no value set', () => {
    expect(basic('cc-required', { coding: [{ code: '22298006' }] })).toEqual([
      { severity: 'warning', rule: 'Coding_has_no_system__cannot_validate', at: 'Basic.code.coding[0]' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_1_CC', at: 'Basic.code' },
    ]);
    // without a binding that checks it, the warning alone
    expect(found(svc.validate({ resourceType: 'Basic', code: { coding: [{ code: 'x' }] } }), RULES)).toEqual([{ severity: 'warning', rule: 'Coding_has_no_system__cannot_validate', at: 'Basic.code.coding[0]' }]);
  });

  it('a Coding of its own without a system is warned about and not checked against its value set', () => {
    const encounter = { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' } };
    expect(found(svc.validate(encounter), RULES)).toEqual([{ severity: 'warning', rule: 'TERMINOLOGY_TX_SYSTEM_NO_CODE', at: 'Encounter.class' }]);
  });
});
