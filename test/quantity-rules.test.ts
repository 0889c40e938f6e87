/**
 * Quantity rules (the reference validator's checkQuantity): UCUM codes are valid UCUM, UCUM annotations
 * are a best-practice warning, and a profile's minValue/maxValue is compared after UCUM conversion.
 * Payloads and profiles of our own, through the Validator with local terminology as the product wires it.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { generateSnapshot } from '../src/packages/index.js';
import type { CanonicalResource } from '../src/packages/types.js';
import { LocalTerminology, TerminologyBindingChecker } from '../src/terminology/index.js';
import { Validator } from '../src/validation/validator.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';

const UCUM = 'http://unitsofmeasure.org';
const PROFILE = 'http://example.org/StructureDefinition/weighed-observation';

function validatorWith(elements: ElementDefinition[]): Validator {
  const resolver = new MemoryResolver(coreResources());
  const sd = { resourceType: 'StructureDefinition', url: PROFILE, name: 'Weighed', status: 'draft', kind: 'resource', abstract: false, type: 'Observation', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation', derivation: 'constraint', differential: { element: elements } } as StructureDefinition;
  resolver.add({ ...sd, snapshot: { element: generateSnapshot(sd, resolver.structureDefinition('Observation')!, resolver) } } as CanonicalResource);
  return new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)) });
}

const plain = validatorWith([]);
const observation = (valueQuantity: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Observation', status: 'final', code: { text: 'weight' }, valueQuantity });

/** rule@location of every error and warning. */
function found(v: Validator, resource: unknown, profiles: string[] = []): string[][] {
  return v
    .validateToIssues(resource, { profiles })
    .filter((i) => i.severity === 'error' || i.severity === 'warning')
    .map((i) => [i.severity, i.rule, i.expression]);
}

describe('UCUM codes in Quantity', () => {
  it('accepts valid UCUM units, prefixed, with exponents, powers of ten and parentheses', () => {
    for (const code of ['mg', 'kg/m2', '10*9/L', 'mm[Hg]', '/min', 'mg/(kg.d)', 'Cel', '%']) {
      expect(found(plain, observation({ value: 1, system: UCUM, code })), code).toEqual([]);
    }
  });

  it('reports a code that is not UCUM (unknown atom, bad case, dangling operator) at the code', () => {
    for (const code of ['mmHg', 'mEq/L', 'mg/', 'beats/min']) {
      expect(found(plain, observation({ value: 1, system: UCUM, code })), code).toEqual([['error', 'Unknown_Code_in', 'Observation.value.ofType(Quantity).code']]);
    }
  });

  it('leaves codes of other systems alone', () => {
    expect(found(plain, observation({ value: 1, system: 'http://example.org/units', code: 'mmHg' }))).toEqual([]);
  });

  it('warns about UCUM annotations, saying whether Quantity.unit carries the annotation', () => {
    const at = 'Observation.value.ofType(Quantity)';
    expect(found(plain, observation({ value: 3, system: UCUM, code: '{score}' }))).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS_NO_UNIT', `${at}`]]);
    expect(found(plain, observation({ value: 3, unit: 'points', system: UCUM, code: '{score}' }))).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS_NOT_IN_UNIT', `${at}`]]);
    expect(found(plain, observation({ value: 3, unit: 'Score', system: UCUM, code: '{score}' }))).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_UCUM_ANNOTATIONS', `${at}`]]);
  });
});

describe('minValue and maxValue of a Quantity element', () => {
  const at = 'Observation.value.ofType(Quantity)';
  const ranged = validatorWith([
    { id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity' }], minValueQuantity: { value: 0, system: UCUM, code: 'kg' }, maxValueQuantity: { value: 500, system: UCUM, code: 'kg' } } as ElementDefinition,
  ]);
  const check = (q: Record<string, unknown>): string[][] => found(ranged, observation(q), [PROFILE]);

  it('compares values in the same unit directly', () => {
    expect(check({ value: 70, system: UCUM, code: 'kg' })).toEqual([]);
    expect(check({ value: -1, system: UCUM, code: 'kg' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_WRONG', `${at}`]]);
    expect(check({ value: 501, system: UCUM, code: 'kg' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_WRONG', `${at}`]]);
  });

  it('converts UCUM units before comparing, exactly at the limit included', () => {
    expect(check({ value: 500000, system: UCUM, code: 'g' })).toEqual([]);
    expect(check({ value: 500001, system: UCUM, code: 'g' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_WRONG_UCUM', `${at}`]]);
    expect(check({ value: -1, system: UCUM, code: 'g' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_WRONG_UCUM', `${at}`]]);
    expect(check({ value: 1200, system: UCUM, code: '[lb_av]' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_WRONG_UCUM', `${at}`]]);
  });

  it('reports units that cannot be converted to the limit unit', () => {
    expect(check({ value: 5, system: UCUM, code: 'mL' })).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_MIN_NO_CONVERT', `${at}`], ['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_MIN_NO_CONVERT', `${at}`]]);
  });

  it('warns, once per limit, when the value lacks what the comparison needs', () => {
    expect(check({ system: UCUM, code: 'kg' })).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_NO_VALUE', `${at}`], ['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_NO_VALUE', `${at}`]]);
    expect(check({ value: 5, code: 'kg' })).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_NO_SYSTEM', `${at}`], ['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_NO_SYSTEM', `${at}`]]);
    expect(check({ value: 5, system: 'http://example.org/units', code: 'kg' })).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_SYSTEM_MISMATCH', `${at}`], ['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_SYSTEM_MISMATCH', `${at}`]]);
    expect(check({ value: 5, system: UCUM })).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_VALUE_NO_CODE', `${at}`], ['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_VALUE_NO_CODE', `${at}`]]);
  });

  it('warns when the profile limit itself lacks a system, a code or a value', () => {
    const limits = (min: Record<string, unknown>, max: Record<string, unknown>): Validator =>
      validatorWith([{ id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity' }], minValueQuantity: min, maxValueQuantity: max } as ElementDefinition]);
    const v = (validator: Validator): string[][] => found(validator, observation({ value: 5, system: UCUM, code: 'kg' }), [PROFILE]);
    expect(v(limits({ value: 0, code: 'kg' }, { value: 9, code: 'kg' }))).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_MIN_NO_SYSTEM', `${at}`], ['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_MIN_NO_SYSTEM', `${at}`]]);
    expect(v(limits({ value: 0, system: UCUM }, { value: 9, system: UCUM }))).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_MIN_NO_CODE', `${at}`], ['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_MIN_NO_CODE', `${at}`]]);
    expect(v(limits({ system: UCUM, code: 'kg' }, { system: UCUM, code: 'kg' }))).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_MIN_NO_VALUE', `${at}`], ['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_MIN_NO_VALUE', `${at}`]]);
  });

  it('reports a limit that is not a Quantity', () => {
    const v = validatorWith([{ id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity' }], minValueInteger: 0 } as ElementDefinition]);
    expect(found(v, observation({ value: 5, system: UCUM, code: 'kg' }), [PROFILE])).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_QTY_NO_QTY', at]]);
  });

  it('cannot compare different codes of a system other than UCUM', () => {
    const other = 'http://example.org/units';
    const v = validatorWith([{ id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'Quantity' }], minValueQuantity: { value: 0, system: other, code: 'a' }, maxValueQuantity: { value: 9, system: other, code: 'a' } } as ElementDefinition]);
    expect(found(v, observation({ value: 5, system: other, code: 'b' }), [PROFILE])).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MIN_CODE_MISMATCH', `${at}`], ['warning', 'TYPE_SPECIFIC_CHECKS_DT_QTY_MAX_CODE_MISMATCH', `${at}`]]);
  });
});
