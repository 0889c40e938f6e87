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

describe('obligation profile elements', () => {
  const OBLIGATION_FLAG = { url: `${CORE}obligation-profile`, valueBoolean: true };
  const RULES = ['SD_OBGLIGATION_PROFILE_UNMATCHED', 'SD_OBGLIGATION_PROFILE_PATH_WRONG', 'SD_OBGLIGATION_PROFILE_ILLEGAL_BINDING', 'SD_OBGLIGATION_PROFILE_INVALID_BINDING_CODE', 'SD_OBGLIGATION_PROFILE_ILLEGAL'];
  const obligations = (elements: unknown[], extra: Sd = {}) => ({ ...patientProfile(elements, { extension: [OBLIGATION_FLAG] }), ...extra });
  const additional = (purpose: string) => ({ url: 'http://hl7.org/fhir/tools/StructureDefinition/additional-binding', extension: [{ url: 'purpose', valueCode: purpose }, { url: 'valueSet', valueCanonical: 'http://example.org/ValueSet/x' }] });

  it('an element the base does not have, a changed path, a new binding, a tightening additional binding', () => {
    const sd = obligations([
      { id: 'Patient.nickname', path: 'Patient.nickname', mustSupport: true },
      { id: 'Patient.gender', path: 'Patient.sex', mustSupport: true },
      { id: 'Patient.active', path: 'Patient.active', binding: { strength: 'example' } },
      { id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', binding: { strength: 'extensible', extension: [additional('preferred'), additional('required')] } },
      { id: 'Patient.birthDate', path: 'Patient.birthDate', short: 'changed' },
    ]);
    expect(at(sd, RULES)).toEqual([
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_UNMATCHED', at: 'StructureDefinition.differential.element[1]' },
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_PATH_WRONG', at: 'StructureDefinition.differential.element[2].path[0]' },
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_ILLEGAL_BINDING', at: 'StructureDefinition.differential.element[3].binding[0]' },
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_INVALID_BINDING_CODE', at: 'StructureDefinition.differential.element[4].binding[0].extension[1]' },
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_ILLEGAL', at: 'StructureDefinition.differential.element[5].short[0]' },
    ]);
  });

  it('only obligation profiles that constrain are held to it', () => {
    const plain = patientProfile([{ id: 'Patient.nickname', path: 'Patient.nickname', mustSupport: true }]);
    expect(at(plain, RULES)).toEqual([]);
    const fine = obligations([{ id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', mustSupport: true, min: 1, binding: { strength: 'extensible', extension: [additional('preferred')] } }]);
    expect(at(fine, RULES)).toEqual([]);
  });
});

describe('extension contexts', () => {
  const extension = (expressions: string[]): Sd => ({
    id: 'ext', url: `${EX}ext`, kind: 'complex-type', type: 'Extension', baseDefinition: `${CORE}Extension`, derivation: 'constraint',
    context: expressions.map((expression) => ({ type: 'element', expression })),
    differential: { element: [{ id: 'Extension', path: 'Extension' }, { id: 'Extension.url', path: 'Extension.url', fixedUri: `${EX}ext` }, { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'string' }] }] },
  });

  it('an element context names an element that exists (SD_CONTEXT_SHOULD_ELEMENT_NOT_FOUND)', () => {
    const valid = ['Patient', 'Element', 'Observation.value[x]', 'Observation.value', 'Patient.birthDate.extension', 'Patient.contact.name.family', 'Questionnaire.item.item.linkId', 'CanonicalResource.url', 'Base'];
    expect(at(extension(valid), ['SD_CONTEXT_SHOULD_ELEMENT_NOT_FOUND'])).toEqual([]);
    const invalid = ['Patient.foo', 'Observation.valueString', 'NoSuchType', 'Patient.name.nickname', 'Observation.value[x].coding'];
    expect(at(extension(['Patient', ...invalid]), ['SD_CONTEXT_SHOULD_ELEMENT_NOT_FOUND'])).toEqual(
      invalid.map((_, i) => ({ severity: 'error', rule: 'SD_CONTEXT_SHOULD_ELEMENT_NOT_FOUND', at: `StructureDefinition.context[${i + 1}]` })),
    );
  });

  it('fhirpath contexts and structures not loaded here are left alone', () => {
    const sd = { ...extension([]), context: [{ type: 'fhirpath', expression: 'Patient.foo' }, { type: 'element', expression: 'http://example.org/StructureDefinition/unknown#Thing.part' }] };
    expect(at(sd, ['SD_CONTEXT_SHOULD_ELEMENT_NOT_FOUND'])).toEqual([]);
  });
});

describe('slices against the element that defines the slicing', () => {
  const observation = (elements: unknown[]): Sd => ({
    url: `${EX}obs`, kind: 'resource', type: 'Observation', baseDefinition: `${CORE}Observation`, derivation: 'constraint',
    differential: { element: [{ id: 'Observation', path: 'Observation' }, ...elements] },
  });
  const slicing = { discriminator: [{ type: 'type', path: '$this' }], rules: 'open' };
  const slice = (code: string) => ({ id: `Observation.value[x]:value${code}`, path: 'Observation.value[x]', sliceName: `value${code}`, type: [{ code }] });

  it('a slice of a type the must-support sliced element does not have (SD_PATH_SLICE_INCONSISTENT_TYPE)', () => {
    const sd = observation([{ id: 'Observation.value[x]', path: 'Observation.value[x]', mustSupport: true, slicing, type: [{ code: 'Quantity' }, { code: 'string' }] }, slice('CodeableConcept'), slice('Quantity')]);
    expect(at(sd, ['SD_PATH_SLICE_INCONSISTENT_TYPE'])).toEqual([{ severity: 'warning', rule: 'SD_PATH_SLICE_INCONSISTENT_TYPE', at: 'StructureDefinition.differential' }]);
    // The sliced element keeps the base's types when the differential does not restate them.
    const inherited = observation([{ id: 'Observation.value[x]', path: 'Observation.value[x]', mustSupport: true, slicing }, slice('CodeableConcept')]);
    expect(at(inherited, ['SD_PATH_SLICE_INCONSISTENT_TYPE'])).toEqual([]);
  });
});
