/**
 * More per-element StructureDefinition authoring rules of the reference validator (validateElementDefinition,
 * validateBinding, validateSDElement), through createValidationService: each rule asserted by rule id, severity
 * and location, with a payload that must pass beside each one that must fail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, service } from './helpers.js';

const EX = 'http://example.org/StructureDefinition/';
let svc: ValidationService;
beforeAll(async () => {
  svc = await service();
});

type Sd = Record<string, unknown>;
const at = (sd: Sd, rules: string[]) => found(svc.validate({ resourceType: 'StructureDefinition', name: 'Test', status: 'draft', abstract: false, ...sd }), rules);
const patientProfile = (elements: unknown[], extra: Sd = {}): Sd => ({
  id: 'pat', url: `${EX}patient`, kind: 'resource', type: 'Patient', baseDefinition: `${CORE}Patient`, derivation: 'constraint',
  differential: { element: [{ id: 'Patient', path: 'Patient' }, ...elements] }, ...extra,
});
const withSnapshot = (elements: unknown[]): Sd => patientProfile([], { snapshot: { element: [{ id: 'Patient', path: 'Patient', min: 0, max: '*' }, ...elements] } });

describe('element types and bindings', () => {
  it('a type whose code element has no value is an error (SD_NO_TYPE_CODE_ON_CODE)', () => {
    const bad = patientProfile([{ id: 'Patient.active', path: 'Patient.active', type: [{ _code: { extension: [{ url: 'http://example.org/note', valueString: 'x' }] } }] }]);
    expect(at(bad, ['SD_NO_TYPE_CODE_ON_CODE'])).toEqual([{ severity: 'error', rule: 'SD_NO_TYPE_CODE_ON_CODE', at: 'StructureDefinition.differential.element[1]' }]);
    expect(at(patientProfile([{ id: 'Patient.active', path: 'Patient.active', type: [{ code: 'boolean' }] }]), ['SD_NO_TYPE_CODE_ON_CODE'])).toEqual([]);
  });

  it('a snapshot binding whose value set has no value is a warning (SD_ED_SHOULD_BIND_WITH_VS)', () => {
    const gender = (binding: unknown) => ({ id: 'Patient.gender', path: 'Patient.gender', min: 0, max: '1', type: [{ code: 'code' }], binding });
    const noValue = withSnapshot([gender({ strength: 'required', _valueSet: { extension: [{ url: 'http://example.org/note', valueString: 'x' }] } })]);
    expect(at(noValue, ['SD_ED_SHOULD_BIND_WITH_VS'])).toEqual([{ severity: 'warning', rule: 'SD_ED_SHOULD_BIND_WITH_VS', at: 'StructureDefinition.snapshot.element[1].binding' }]);
    const bound = withSnapshot([gender({ strength: 'required', valueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1' })]);
    expect(at(bound, ['SD_ED_SHOULD_BIND_WITH_VS'])).toEqual([]);
  });

  it('a snapshot binding on types that cannot be bound is an error (SD_ED_BIND_NO_BINDABLE)', () => {
    const binding = { strength: 'example', valueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender' };
    const onBoolean = withSnapshot([{ id: 'Patient.active', path: 'Patient.active', min: 0, max: '1', type: [{ code: 'boolean' }], binding }]);
    expect(at(onBoolean, ['SD_ED_BIND_NO_BINDABLE'])).toEqual([{ severity: 'error', rule: 'SD_ED_BIND_NO_BINDABLE', at: 'StructureDefinition.snapshot.element[1].binding' }]);
    const onCode = withSnapshot([{ id: 'Patient.gender', path: 'Patient.gender', min: 0, max: '1', type: [{ code: 'code' }], binding }]);
    expect(at(onCode, ['SD_ED_BIND_NO_BINDABLE'])).toEqual([]);
    // Only the snapshot is held to it.
    const inDifferential = patientProfile([{ id: 'Patient.active', path: 'Patient.active', type: [{ code: 'boolean' }], binding }]);
    expect(at(inDifferential, ['SD_ED_BIND_NO_BINDABLE'])).toEqual([]);
  });
});
