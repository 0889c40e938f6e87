/**
 * A bound value set whose imports come back to a value set already being processed (a value set that
 * imports itself, or two that import each other): the reference's terminology layer stops there with
 * VALUESET_CIRCULAR_REFERENCE, an error on the bound element whatever the binding strength, and the code
 * counts as outside the value set. A code found in an include before the import is a member, as the
 * reference stops at the first include that holds it. A value set that imports one nobody has: a Coding no
 * other include holds is not said to be outside the value set; the missing import is
 * Unable_to_resolve_value_Set_ (an error on a required binding when it names an HL7 value set, else a
 * warning). Through createValidationService with value sets and
 * profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const V = 'http://example.org/ValueSet/';
const CS = 'http://example.org/CodeSystem/kinds';
const RULES = ['Unable_to_resolve_value_Set_', 'VALUESET_CIRCULAR_REFERENCE', 'Terminology_TX_NoValid_16', 'Terminology_TX_NoValid_18', 'Terminology_TX_NoValid_12', 'UNABLE_TO_INFER_CODESYSTEM', 'Terminology_TX_NoValid_15', 'Terminology_TX_Binding_NoServer'];

const valueSet = (name: string, include: unknown[]) => ({ resourceType: 'ValueSet', url: `${V}${name}`, name, status: 'active', compose: { include } });

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'cs.json': { resourceType: 'CodeSystem', url: CS, name: 'Kinds', status: 'active', content: 'complete', caseSensitive: true, concept: [{ code: 'a' }, { code: 'b' }] },
    'self.json': valueSet('self', [{ valueSet: [`${V}self`] }]),
    'pair-a.json': valueSet('pair-a', [{ valueSet: [`${V}pair-b`] }]),
    'pair-b.json': valueSet('pair-b', [{ valueSet: [`${V}pair-a`] }]),
    'listed-first.json': valueSet('listed-first', [{ system: CS, concept: [{ code: 'a' }] }, { valueSet: [`${V}listed-first`] }]),
    'missing.json': valueSet('missing', [{ system: CS, concept: [{ code: 'a' }] }, { valueSet: [`${V}nowhere`] }]),
    'missing-hl7.json': valueSet('missing-hl7', [{ system: CS, concept: [{ code: 'a' }] }, { valueSet: ['http://terminology.hl7.org/ValueSet/no-such-value-set'] }]),
    'p-missing.json': profile(`${P}coding-missing`, 'Encounter', `${CORE}Encounter`, [{ id: 'Encounter.class', path: 'Encounter.class', binding: { strength: 'required', valueSet: `${V}missing` } }]),
    'p-missing-hl7.json': profile(`${P}coding-missing-hl7`, 'Encounter', `${CORE}Encounter`, [{ id: 'Encounter.class', path: 'Encounter.class', binding: { strength: 'required', valueSet: `${V}missing-hl7` } }]),
    'p-code.json': profile(`${P}code-self`, 'Patient', `${CORE}Patient`, [{ id: 'Patient.language', path: 'Patient.language', binding: { strength: 'required', valueSet: `${V}self` } }]),
    'p-coding.json': profile(`${P}coding-pair`, 'Encounter', `${CORE}Encounter`, [{ id: 'Encounter.class', path: 'Encounter.class', binding: { strength: 'required', valueSet: `${V}pair-a` } }]),
    'p-listed.json': profile(`${P}coding-listed`, 'Encounter', `${CORE}Encounter`, [{ id: 'Encounter.class', path: 'Encounter.class', binding: { strength: 'required', valueSet: `${V}listed-first` } }]),
    'p-preferred.json': profile(`${P}preferred-self`, 'Parameters', `${CORE}Parameters`, [
      { id: 'Parameters.parameter.value[x]', path: 'Parameters.parameter.value[x]', type: [{ code: 'code' }], binding: { strength: 'preferred', valueSet: `${V}self` } },
    ]),
  });
});

const encounter = (name: string, code: string) => found(svc.validate({ resourceType: 'Encounter', status: 'finished', class: { system: CS, code } }, { profiles: [`${P}${name}`] }), RULES);

describe('value set imports that come back on themselves', () => {
  it('a bare code bound to a value set that imports itself', () => {
    expect(found(svc.validate({ resourceType: 'Patient', language: 'a' }, { profiles: [`${P}code-self`] }), RULES)).toEqual([
      { severity: 'error', rule: 'VALUESET_CIRCULAR_REFERENCE', at: 'Patient.language' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_16', at: 'Patient.language' },
    ]);
  });

  it('a Coding bound to one of two value sets that import each other', () => {
    expect(encounter('coding-pair', 'a')).toEqual([
      { severity: 'error', rule: 'VALUESET_CIRCULAR_REFERENCE', at: 'Encounter.class' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_12', at: 'Encounter.class' },
    ]);
  });

  it('is an error on a preferred binding too', () => {
    const parameters = found(svc.validate({ resourceType: 'Parameters', parameter: [{ name: 'p', valueCode: 'a' }] }, { profiles: [`${P}preferred-self`] }), RULES);
    expect(parameters).toEqual([
      { severity: 'error', rule: 'VALUESET_CIRCULAR_REFERENCE', at: 'Parameters.parameter[0].value.ofType(code)' },
      { severity: 'information', rule: 'Terminology_TX_NoValid_18', at: 'Parameters.parameter[0].value.ofType(code)' },
    ]);
  });

  it('a code listed before the import is a member; one that is not reaches the import', () => {
    expect(encounter('coding-listed', 'a')).toEqual([]);
    expect(encounter('coding-listed', 'b')).toEqual([
      { severity: 'error', rule: 'VALUESET_CIRCULAR_REFERENCE', at: 'Encounter.class' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_12', at: 'Encounter.class' },
    ]);
  });
});

describe('value set imports nobody has', () => {
  it('a Coding no other include holds: the missing import, and no binding finding', () => {
    expect(encounter('coding-missing', 'b')).toEqual([{ severity: 'warning', rule: 'Unable_to_resolve_value_Set_', at: 'Encounter.class' }]);
    expect(encounter('coding-missing-hl7', 'b')).toEqual([{ severity: 'error', rule: 'Unable_to_resolve_value_Set_', at: 'Encounter.class' }]);
  });

  it('a Coding another include holds is a member', () => {
    expect(encounter('coding-missing', 'a')).toEqual([]);
  });
});
