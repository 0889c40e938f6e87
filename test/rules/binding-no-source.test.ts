/**
 * A binding that names no value set (a strength and a description only) cannot be checked: the reference gives
 * the hint Terminology_TX_Binding_NoSource at the coded element, for a CodeableConcept, for a Coding or Quantity
 * with system and code (a Coding inside a CodeableConcept only through the CodeableConcept), and for a code
 * primitive (not for a string). Through createValidationService: a core binding without a value set, and
 * profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const RULES = ['Terminology_TX_Binding_NoSource'];
const NO_SOURCE = { strength: 'example', description: 'Any code the sender finds useful' };
const inputAs = (name: string, type: string) =>
  profile(`${P}${name}`, 'Task', `${CORE}Task`, [{ id: 'Task.input.value[x]', path: 'Task.input.value[x]', type: [{ code: type }], binding: NO_SOURCE }]);

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({ 'p1.json': inputAs('input-coding', 'Coding'), 'p2.json': inputAs('input-code', 'code'), 'p3.json': inputAs('input-string', 'string') });
});

// Task.input.type is itself bound without a value set in core R4: its hint comes with every input.
const TYPE_HINT = { severity: 'information', rule: 'Terminology_TX_Binding_NoSource', at: 'Task.input[0].type' };
const task = (value: Record<string, unknown>) => ({ resourceType: 'Task', status: 'draft', intent: 'order', input: [{ type: { text: 'x' }, ...value }] });

describe('a binding without a value set', () => {
  it('is a hint on a CodeableConcept bound so in the core definition', () => {
    const risk = { resourceType: 'RiskAssessment', status: 'final', subject: { reference: 'Patient/1' }, prediction: [{ outcome: { text: 'recovery' } }] };
    expect(found(svc.validate(risk), RULES)).toEqual([{ severity: 'information', rule: 'Terminology_TX_Binding_NoSource', at: 'RiskAssessment.prediction[0].outcome' }]);
  });

  it('is a hint on a Coding with a system and a code, and nothing without a code', () => {
    const hinted = found(svc.validate(task({ valueCoding: { system: 'http://example.org/cs', code: 'a' } }), { profiles: [`${P}input-coding`] }), RULES);
    expect(hinted).toEqual([TYPE_HINT, { severity: 'information', rule: 'Terminology_TX_Binding_NoSource', at: 'Task.input[0].value.ofType(Coding)' }]);
    expect(found(svc.validate(task({ valueCoding: { system: 'http://example.org/cs' } }), { profiles: [`${P}input-coding`] }), RULES)).toEqual([TYPE_HINT]);
  });

  it('is a hint on a code, never on a string', () => {
    expect(found(svc.validate(task({ valueCode: 'a' }), { profiles: [`${P}input-code`] }), RULES)).toEqual([TYPE_HINT, { severity: 'information', rule: 'Terminology_TX_Binding_NoSource', at: 'Task.input[0].value.ofType(code)' }]);
    expect(found(svc.validate(task({ valueString: 'a' }), { profiles: [`${P}input-string`] }), RULES)).toEqual([TYPE_HINT]);
  });
});
