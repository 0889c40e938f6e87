/**
 * StructureDefinition authoring rules of the reference validator (StructureDefinitionValidator), through
 * createValidationService: StructureDefinitions of our own validated as resources, each rule asserted by
 * rule id, severity and location.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, serviceWith } from './helpers.js';

const EX = 'http://example.org/StructureDefinition/';
const EXPERIMENTAL_BASE = `${EX}experimental-base`;
const CODE_SYSTEM = 'http://example.org/CodeSystem/cs';
const MODIFIER_EXT = `${EX}modifier-ext`;
const LOOP_A = `${EX}loop-a`;
const loopA = {
  resourceType: 'StructureDefinition', url: LOOP_A, name: 'LoopA', status: 'draft', kind: 'resource', abstract: false,
  type: 'Patient', baseDefinition: `${EX}loop-b`, derivation: 'constraint', differential: { element: [{ id: 'Patient', path: 'Patient' }] },
};
const EXPERIMENTAL_VS = 'http://example.org/ValueSet/experimental';

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'experimental-base.json': {
      resourceType: 'StructureDefinition', url: EXPERIMENTAL_BASE, name: 'ExperimentalBase', status: 'draft', experimental: true, kind: 'resource', abstract: false,
      type: 'Basic', baseDefinition: `${CORE}Basic`, derivation: 'constraint', differential: { element: [{ id: 'Basic', path: 'Basic' }] },
    },
    'loop-a.json': loopA,
    'loop-b.json': { ...loopA, url: `${EX}loop-b`, name: 'LoopB', baseDefinition: LOOP_A },
    'modifier-ext.json': {
      resourceType: 'StructureDefinition', url: MODIFIER_EXT, name: 'ModifierExt', status: 'draft', kind: 'complex-type', abstract: false, context: [{ type: 'element', expression: 'Patient' }],
      type: 'Extension', baseDefinition: `${CORE}Extension`, derivation: 'constraint',
      differential: { element: [{ id: 'Extension', path: 'Extension', isModifier: true, isModifierReason: 'test' }, { id: 'Extension.url', path: 'Extension.url', fixedUri: MODIFIER_EXT }, { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'boolean' }] }] },
    },
    'cs.json': { resourceType: 'CodeSystem', url: CODE_SYSTEM, status: 'draft', content: 'complete', concept: [{ code: 'a' }] },
    'vs.json': { resourceType: 'ValueSet', url: EXPERIMENTAL_VS, status: 'draft', experimental: true, compose: { include: [{ system: CODE_SYSTEM }] } },
  });
});

type Sd = Record<string, unknown>;
const at = (sd: Sd, rules: string[]) => found(svc.validate({ resourceType: 'StructureDefinition', name: 'Test', status: 'draft', abstract: false, ...sd }), rules);
const patientProfile = (elements: unknown[], extra: Sd = {}): Sd => ({
  url: `${EX}patient`, kind: 'resource', type: 'Patient', baseDefinition: `${CORE}Patient`, derivation: 'constraint',
  differential: { element: [{ id: 'Patient', path: 'Patient' }, ...elements] }, ...extra,
});

describe('the structure against its base', () => {
  const RULES = ['SD_MUST_HAVE_DERIVATION', 'SD_CONSTRAINED_KIND_NO_MATCH', 'SD_CONSTRAINED_TYPE_NO_MATCH', 'SD_DERIVATION_KIND_MISMATCH', 'SD_BASE_EXPERIMENTAL', 'Unable_to_find_base__for_'];

  it('a profile that agrees with its base passes', () => {
    expect(at(patientProfile([]), RULES)).toEqual([]);
  });

  it('a base that cannot be found is a warning (Unable_to_find_base__for_)', () => {
    expect(at(patientProfile([], { baseDefinition: `${EX}nowhere` }), RULES)).toEqual([{ severity: 'warning', rule: 'Unable_to_find_base__for_', at: 'StructureDefinition' }]);
  });

  it('a baseDefinition without a derivation is an error (SD_MUST_HAVE_DERIVATION)', () => {
    expect(at(patientProfile([], { derivation: undefined }), RULES)).toEqual([{ severity: 'error', rule: 'SD_MUST_HAVE_DERIVATION', at: 'StructureDefinition' }]);
  });

  it('a constraint of another kind and type than its base (SD_CONSTRAINED_KIND_NO_MATCH, SD_CONSTRAINED_TYPE_NO_MATCH, SD_DERIVATION_KIND_MISMATCH)', () => {
    expect(at(patientProfile([], { kind: 'complex-type', type: 'Quantity' }), RULES).map((f) => f.rule).sort()).toEqual(['SD_CONSTRAINED_KIND_NO_MATCH', 'SD_CONSTRAINED_TYPE_NO_MATCH', 'SD_DERIVATION_KIND_MISMATCH']);
  });

  it('a specialisation of an abstract base may be of any kind', () => {
    const model = { url: `${EX}Model`, kind: 'logical', type: `${EX}Model`, baseDefinition: `${CORE}Element`, derivation: 'specialization', differential: { element: [{ id: 'Model', path: 'Model' }] } };
    expect(at(model, RULES)).toEqual([]);
  });

  it('a base chain that leads back to the structure is an error (SD_CIRCULAR_DEFINITION)', () => {
    expect(at(loopA, ['SD_CIRCULAR_DEFINITION'])).toEqual([{ severity: 'error', rule: 'SD_CIRCULAR_DEFINITION', at: 'StructureDefinition' }]);
    expect(at(patientProfile([]), ['SD_CIRCULAR_DEFINITION'])).toEqual([]);
    // Naming itself as base is a base that cannot be found, not a circle.
    expect(at({ ...loopA, baseDefinition: LOOP_A }, ['SD_CIRCULAR_DEFINITION', 'Unable_to_find_base__for_'])).toEqual([{ severity: 'warning', rule: 'Unable_to_find_base__for_', at: 'StructureDefinition' }]);
  });

  it('a structure built on an experimental one and not experimental itself is a warning (SD_BASE_EXPERIMENTAL)', () => {
    const sd = { url: `${EX}basic`, kind: 'resource', type: 'Basic', baseDefinition: EXPERIMENTAL_BASE, derivation: 'constraint', differential: { element: [{ id: 'Basic', path: 'Basic' }] } };
    expect(at(sd, RULES)).toEqual([{ severity: 'warning', rule: 'SD_BASE_EXPERIMENTAL', at: 'StructureDefinition' }]);
    expect(at({ ...sd, experimental: true }, RULES)).toEqual([]);
  });
});

describe('extension definitions', () => {
  const RULES = ['SD_CONTEXT_SHOULD_NOT_BE_ELEMENT', 'SD_CONTEXT_SHOULD_NOT_BE_FHIRPATH', 'SD_NO_CONTEXT_WHEN_NOT_EXTENSION', 'SD_NO_CONTEXT_INV_WHEN_NOT_EXTENSION', 'SD_EXTENSION_URL_MISSING', 'SD_EXTENSION_URL_MISMATCH'];
  const URL = `${EX}ext`;
  const extension = (fixedUri: string | undefined, context: unknown[]): Sd => ({
    url: URL, kind: 'complex-type', type: 'Extension', baseDefinition: `${CORE}Extension`, derivation: 'constraint', context,
    differential: { element: [{ id: 'Extension', path: 'Extension' }, { id: 'Extension.url', path: 'Extension.url', ...(fixedUri ? { fixedUri } : {}) }, { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'string' }] }] },
  });

  it('an extension with an element context that fixes its own url passes', () => {
    expect(at(extension(URL, [{ type: 'element', expression: 'Patient' }]), RULES)).toEqual([]);
  });

  it('a context of Element is a warning (SD_CONTEXT_SHOULD_NOT_BE_ELEMENT)', () => {
    expect(at(extension(URL, [{ type: 'element', expression: 'Element' }]), RULES)).toEqual([{ severity: 'warning', rule: 'SD_CONTEXT_SHOULD_NOT_BE_ELEMENT', at: 'StructureDefinition.context[0]' }]);
  });

  it('a FHIRPath context that is a plain element path is a warning (SD_CONTEXT_SHOULD_NOT_BE_FHIRPATH)', () => {
    const contexts = [{ type: 'fhirpath', expression: 'Patient.name' }, { type: 'fhirpath', expression: "Observation.code.where(text = 'x')" }];
    expect(at(extension(URL, contexts), RULES)).toEqual([{ severity: 'warning', rule: 'SD_CONTEXT_SHOULD_NOT_BE_FHIRPATH', at: 'StructureDefinition.context[0]' }]);
  });

  it('Extension.url not fixed, or fixed to another url (SD_EXTENSION_URL_MISSING, SD_EXTENSION_URL_MISMATCH)', () => {
    const context = [{ type: 'element', expression: 'Patient' }];
    expect(at(extension(undefined, context), RULES)).toEqual([{ severity: 'error', rule: 'SD_EXTENSION_URL_MISSING', at: 'StructureDefinition' }]);
    expect(at(extension(`${EX}other`, context), RULES)).toEqual([{ severity: 'error', rule: 'SD_EXTENSION_URL_MISMATCH', at: 'StructureDefinition' }]);
  });

  it('contexts and context invariants on what is not an extension (SD_NO_CONTEXT_WHEN_NOT_EXTENSION, SD_NO_CONTEXT_INV_WHEN_NOT_EXTENSION)', () => {
    const sd = patientProfile([], { context: [{ type: 'element', expression: 'Patient' }], contextInvariant: ['true'] });
    expect(at(sd, RULES)).toEqual([
      { severity: 'error', rule: 'SD_NO_CONTEXT_WHEN_NOT_EXTENSION', at: 'StructureDefinition.context[0]' },
      { severity: 'error', rule: 'SD_NO_CONTEXT_INV_WHEN_NOT_EXTENSION', at: 'StructureDefinition.contextInvariant[0]' },
    ]);
  });
});

describe('logical models', () => {
  const RULES = ['SD_TYPE_NOT_LOCAL', 'SD_TYPE_NOT_MATCH_NS'];
  const model = (type: string): Sd => ({ url: `${EX}Model`, kind: 'logical', type, baseDefinition: `${CORE}Base`, derivation: 'specialization', differential: { element: [{ id: 'Model', path: type.slice(type.lastIndexOf('/') + 1) }] } });

  it('a type named by a url in the namespace of the model passes', () => {
    expect(at(model(`${EX}Model`), RULES)).toEqual([]);
  });

  it('a bare type FHIR does not define is an error (SD_TYPE_NOT_LOCAL)', () => {
    expect(at(model('Model'), RULES)).toEqual([{ severity: 'error', rule: 'SD_TYPE_NOT_LOCAL', at: 'StructureDefinition.type' }]);
  });

  it('a type url outside the namespace of the model is a warning (SD_TYPE_NOT_MATCH_NS)', () => {
    expect(at(model('http://elsewhere.org/Model'), RULES)).toEqual([{ severity: 'warning', rule: 'SD_TYPE_NOT_MATCH_NS', at: 'StructureDefinition.type' }]);
  });
});

describe('element definitions', () => {
  it('a type profile of another type is an error (SD_ED_TYPE_PROFILE_WRONG)', () => {
    const sd = patientProfile([{ id: 'Patient.identifier', path: 'Patient.identifier', type: [{ code: 'Identifier', profile: [`${CORE}SimpleQuantity`] }] }]);
    expect(at(sd, ['SD_ED_TYPE_PROFILE_WRONG'])).toEqual([{ severity: 'error', rule: 'SD_ED_TYPE_PROFILE_WRONG', at: 'StructureDefinition.differential.element[1].type[0].profile[0]' }]);
  });

  it('extension profiles on the wrong kind of extension element (SD_ED_TYPE_PROFILE_NOT_MODIFIER, SD_ED_TYPE_PROFILE_IS_MODIFIER)', () => {
    const RULES = ['SD_ED_TYPE_PROFILE_NOT_MODIFIER', 'SD_ED_TYPE_PROFILE_IS_MODIFIER'];
    const ext = (id: string, profile: string) => ({ id, path: id.split(':')[0], sliceName: id.split(':')[1], type: [{ code: 'Extension', profile: [profile] }] });
    const slicing = (path: string) => ({ id: path, path, slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } });
    const good = patientProfile([slicing('Patient.modifierExtension'), ext('Patient.modifierExtension:m', MODIFIER_EXT)]);
    expect(at(good, RULES)).toEqual([]);
    const bad = patientProfile([slicing('Patient.extension'), ext('Patient.extension:m', MODIFIER_EXT), slicing('Patient.modifierExtension'), ext('Patient.modifierExtension:b', `${CORE}patient-birthPlace`)]);
    expect(at(bad, RULES)).toEqual([
      { severity: 'error', rule: 'SD_ED_TYPE_PROFILE_NOT_MODIFIER', at: 'StructureDefinition.differential.element[2].type[0].profile[0]' },
      { severity: 'error', rule: 'SD_ED_TYPE_PROFILE_IS_MODIFIER', at: 'StructureDefinition.differential.element[4].type[0].profile[0]' },
    ]);
  });

  it('target profiles on a type without targets, and of what is not a resource (SD_ED_TYPE_NO_TARGET_PROFILE, SD_ED_TYPE_PROFILE_WRONG_TARGET)', () => {
    const sd = patientProfile([
      { id: 'Patient.identifier', path: 'Patient.identifier', type: [{ code: 'Identifier', targetProfile: [`${CORE}Organization`] }] },
      { id: 'Patient.generalPractitioner', path: 'Patient.generalPractitioner', type: [{ code: 'Reference', targetProfile: [`${CORE}Practitioner`, `${CORE}HumanName`] }] },
    ]);
    expect(at(sd, ['SD_ED_TYPE_NO_TARGET_PROFILE', 'SD_ED_TYPE_PROFILE_WRONG_TARGET'])).toEqual([
      { severity: 'error', rule: 'SD_ED_TYPE_NO_TARGET_PROFILE', at: 'StructureDefinition.differential.element[1].type[0].targetProfile[0]' },
      { severity: 'error', rule: 'SD_ED_TYPE_PROFILE_WRONG_TARGET', at: 'StructureDefinition.differential.element[2].type[0].targetProfile[0]' },
    ]);
  });

  it('slicing where the base element does not repeat, and pattern discriminators (SD_PATH_NO_SLICING, SD_PATH_SLICING_DEPRECATED)', () => {
    const sd = patientProfile([
      { id: 'Patient.identifier', path: 'Patient.identifier', slicing: { discriminator: [{ type: 'pattern', path: 'type' }], rules: 'open' } },
      { id: 'Patient.gender', path: 'Patient.gender', slicing: { discriminator: [{ type: 'value', path: '$this' }], rules: 'open' } },
    ]);
    expect(at(sd, ['SD_PATH_NO_SLICING', 'SD_PATH_SLICING_DEPRECATED'])).toEqual([
      { severity: 'information', rule: 'SD_PATH_SLICING_DEPRECATED', at: 'StructureDefinition.differential.element[1].slicing.discriminator[0]' },
      { severity: 'error', rule: 'SD_PATH_NO_SLICING', at: 'StructureDefinition.differential.element[2].slicing' },
    ]);
  });

  it('slicing at the root (SD_NO_SLICING_ON_ROOT), with a snapshot and, as a snapshot problem, without one (ERROR_GENERATING_SNAPSHOT)', () => {
    const root = { id: 'Patient', path: 'Patient', slicing: { discriminator: [{ type: 'value', path: 'id' }], rules: 'open' } };
    const sd = { ...patientProfile([]), differential: { element: [root] } };
    expect(at({ ...sd, snapshot: { element: [{ id: 'Patient', path: 'Patient', min: 0, max: '*' }] } }, ['SD_NO_SLICING_ON_ROOT', 'ERROR_GENERATING_SNAPSHOT'])).toEqual([
      { severity: 'error', rule: 'SD_NO_SLICING_ON_ROOT', at: 'StructureDefinition.differential.element[0]' },
    ]);
    expect(at(sd, ['SD_NO_SLICING_ON_ROOT', 'ERROR_GENERATING_SNAPSHOT'])).toEqual([
      { severity: 'error', rule: 'SD_NO_SLICING_ON_ROOT', at: 'StructureDefinition.differential.element[0]' },
      { severity: 'error', rule: 'ERROR_GENERATING_SNAPSHOT', at: 'StructureDefinition' },
    ]);
  });

  it('meaningWhenMissing in a profile, except on extensions (SD_ELEMENT_NOT_IN_CONSTRAINT)', () => {
    const sd = patientProfile([
      { id: 'Patient.extension', path: 'Patient.extension', meaningWhenMissing: 'fine' },
      { id: 'Patient.active', path: 'Patient.active', meaningWhenMissing: 'not here' },
    ]);
    expect(at(sd, ['SD_ELEMENT_NOT_IN_CONSTRAINT'])).toEqual([{ severity: 'error', rule: 'SD_ELEMENT_NOT_IN_CONSTRAINT', at: 'StructureDefinition.differential.element[2]' }]);
  });

  it('bindings to what is not a value set, to experimental value sets and to all of LOINC (SD_ED_BIND_NOT_VS, SD_ED_EXPERIMENTAL_BINDING, SD_ED_BIND_ALL_LOINC_CODES)', () => {
    const bound = (id: string, valueSet: string, strength = 'extensible') => ({ id: `Patient.${id}`, path: `Patient.${id}`, binding: { strength, valueSet } });
    const sd = patientProfile([
      bound('maritalStatus', CODE_SYSTEM), bound('language', EXPERIMENTAL_VS), bound('contact.relationship', EXPERIMENTAL_VS, 'example'), bound('communication.language', 'http://loinc.org/vs'),
      bound('contact.gender', 'http://snomed.info/sct?fhir_vs'), bound('link.type', 'http://hl7.org/fhir/ValueSet/cpt-all'),
    ]);
    expect(at(sd, ['SD_ED_BIND_NOT_VS', 'SD_ED_EXPERIMENTAL_BINDING', 'SD_ED_BIND_ALL_LOINC_CODES', 'SD_ED_BIND_ALLSCT_CODES', 'SD_ED_BIND_ALL_CPT_CODES'])).toEqual([
      { severity: 'error', rule: 'SD_ED_BIND_NOT_VS', at: 'StructureDefinition.differential.element[1].binding' },
      { severity: 'warning', rule: 'SD_ED_EXPERIMENTAL_BINDING', at: 'StructureDefinition.differential.element[2].binding' },
      { severity: 'warning', rule: 'SD_ED_BIND_ALL_LOINC_CODES', at: 'StructureDefinition.differential.element[4].binding' },
      { severity: 'warning', rule: 'SD_ED_BIND_ALLSCT_CODES', at: 'StructureDefinition.differential.element[5].binding' },
      { severity: 'warning', rule: 'SD_ED_BIND_ALL_CPT_CODES', at: 'StructureDefinition.differential.element[6].binding' },
    ]);
  });

  it('a binding on several bindable types is a hint (SD_ED_BIND_MULTIPLE_TYPES)', () => {
    const sd = { ...patientProfile([]), type: 'Observation', baseDefinition: `${CORE}Observation`, differential: { element: [
      { id: 'Observation', path: 'Observation' },
      { id: 'Observation.value[x]', path: 'Observation.value[x]', type: [{ code: 'CodeableConcept' }, { code: 'string' }, { code: 'integer' }], binding: { strength: 'example', valueSet: 'http://hl7.org/fhir/ValueSet/observation-codes' } },
      { id: 'Observation.code', path: 'Observation.code', type: [{ code: 'CodeableConcept' }], binding: { strength: 'example', valueSet: 'http://hl7.org/fhir/ValueSet/observation-codes' } },
    ] } };
    expect(at(sd, ['SD_ED_BIND_MULTIPLE_TYPES'])).toEqual([{ severity: 'information', rule: 'SD_ED_BIND_MULTIPLE_TYPES', at: 'StructureDefinition.differential.element[1].binding' }]);
  });

  it('a fixed value of another type than the one its base fixes (SD_ELEMENT_FIXED_WRONG_TYPE)', () => {
    const BASE = `${CORE}patient-birthPlace`;
    const derived = (fixed: Record<string, unknown>) => ({
      url: `${EX}birth-place`, kind: 'complex-type', type: 'Extension', baseDefinition: BASE, derivation: 'constraint',
      differential: { element: [{ id: 'Extension', path: 'Extension' }, { id: 'Extension.url', path: 'Extension.url', ...fixed }] },
    });
    expect(at(derived({ fixedUri: BASE }), ['SD_ELEMENT_FIXED_WRONG_TYPE'])).toEqual([]);
    expect(at(derived({ fixedString: BASE }), ['SD_ELEMENT_FIXED_WRONG_TYPE'])).toEqual([{ severity: 'error', rule: 'SD_ELEMENT_FIXED_WRONG_TYPE', at: 'StructureDefinition.differential.element[1].fixedString[0]' }]);
  });

  it('invariants without a key or expression, reusing a key, or from another source (ED_INVARIANT_NO_KEY, ED_INVARIANT_NO_EXPRESSION, ED_INVARIANT_KEY_ALREADY_USED, ED_INVARIANT_DIFF_NO_SOURCE)', () => {
    const inv = (c: Record<string, unknown>) => ({ severity: 'error', human: 'h', ...c });
    const sd = patientProfile([
      { id: 'Patient.name', path: 'Patient.name', constraint: [inv({ expression: 'true' }), inv({ key: 'p-1' }), inv({ key: 'pat-1', expression: 'false' })] },
      { id: 'Patient.telecom', path: 'Patient.telecom', constraint: [inv({ key: 'p-2', expression: 'true', source: `${CORE}Patient` }), inv({ key: 'p-3', expression: 'true' }), inv({ key: 'p-3', expression: 'false' })] },
    ]);
    expect(at(sd, ['ED_INVARIANT_NO_KEY', 'ED_INVARIANT_NO_EXPRESSION', 'ED_INVARIANT_KEY_ALREADY_USED', 'ED_INVARIANT_DIFF_NO_SOURCE'])).toEqual([
      { severity: 'warning', rule: 'ED_INVARIANT_NO_KEY', at: 'StructureDefinition.differential.element[1].constraint[0]' },
      { severity: 'information', rule: 'ED_INVARIANT_NO_EXPRESSION', at: 'StructureDefinition.differential.element[1].constraint[1]' },
      { severity: 'error', rule: 'ED_INVARIANT_KEY_ALREADY_USED', at: 'StructureDefinition.differential.element[1].constraint[2]' },
      { severity: 'error', rule: 'ED_INVARIANT_DIFF_NO_SOURCE', at: 'StructureDefinition.differential.element[2].constraint[0]' },
      { severity: 'error', rule: 'ED_INVARIANT_KEY_ALREADY_USED', at: 'StructureDefinition.differential.element[2].constraint[2]' },
    ]);
  });
});

describe('values in the snapshot', () => {
  const RULES = ['SD_NO_TYPES_OR_CONTENTREF', 'SD_VALUE_TYPE_IILEGAL', 'SD_VALUE_TYPE_REPEAT_HINT', 'SD_VALUE_TYPE_REPEAT_WARNING_DOTNET', 'SD_VALUE_COMPLEX_FIXED', 'ED_INVARIANT_EXPRESSION_CONFLICT'];
  const withSnapshot = (elements: unknown[]) => ({ ...patientProfile([]), snapshot: { element: [{ id: 'Patient', path: 'Patient', min: 0, max: '*' }, ...elements] } });

  it('typed elements with values of their type, once, pass (a FHIRPath system type read through its FHIR type)', () => {
    expect(at(withSnapshot([{ id: 'Patient.active', path: 'Patient.active', min: 0, max: '1', type: [{ code: 'boolean' }], fixedBoolean: true }]), RULES)).toEqual([]);
    const systemString = { code: 'http://hl7.org/fhirpath/System.String', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type', valueUrl: 'uri' }] };
    expect(at(withSnapshot([{ id: 'Patient.implicitRules', path: 'Patient.implicitRules', min: 0, max: '1', type: [systemString], fixedUri: 'urn:x' }]), RULES)).toEqual([]);
  });

  it('an element without types, values of another type, on repeats, and complex fixed values', () => {
    const sd = withSnapshot([
      { id: 'Patient.active', path: 'Patient.active', min: 0, max: '1' },
      { id: 'Patient.gender', path: 'Patient.gender', min: 0, max: '1', type: [{ code: 'code' }], defaultValueString: 'x' },
      { id: 'Patient.identifier', path: 'Patient.identifier', min: 0, max: '*', type: [{ code: 'Identifier' }], fixedIdentifier: { system: 'urn:x' } },
      { id: 'Patient.identifier.system', path: 'Patient.identifier.system', min: 0, max: '*', type: [{ code: 'uri' }], patternUri: 'urn:x' },
    ]);
    expect(at(sd, RULES)).toEqual([
      { severity: 'error', rule: 'SD_NO_TYPES_OR_CONTENTREF', at: 'StructureDefinition.snapshot.element[1]' },
      { severity: 'error', rule: 'SD_VALUE_TYPE_IILEGAL', at: 'StructureDefinition.snapshot.element[2].defaultValue.ofType(string)' },
      { severity: 'information', rule: 'SD_VALUE_TYPE_REPEAT_HINT', at: 'StructureDefinition.snapshot.element[3].fixed.ofType(Identifier)' },
      { severity: 'warning', rule: 'SD_VALUE_COMPLEX_FIXED', at: 'StructureDefinition.snapshot.element[3].fixed.ofType(Identifier)' },
      { severity: 'information', rule: 'SD_VALUE_TYPE_REPEAT_HINT', at: 'StructureDefinition.snapshot.element[4].pattern.ofType(uri)' },
      { severity: 'warning', rule: 'SD_VALUE_TYPE_REPEAT_WARNING_DOTNET', at: 'StructureDefinition.snapshot.element[4].pattern.ofType(uri)' },
    ]);
  });

  it('what a snapshot element may and must carry (SD_TABLE_PROHIBITED, SD_TABLE_REQUIRED)', () => {
    const profileRoot = { ...patientProfile([]), snapshot: { element: [{ id: 'Patient', path: 'Patient', min: 0, max: '*', requirements: 'why' }] } };
    expect(at(profileRoot, ['SD_TABLE_PROHIBITED', 'SD_TABLE_REQUIRED'])).toEqual([{ severity: 'error', rule: 'SD_TABLE_PROHIBITED', at: 'StructureDefinition.snapshot.element[0]' }]);
    const model = {
      url: `${EX}Model`, kind: 'logical', type: `${EX}Model`, baseDefinition: `${CORE}Element`, derivation: 'specialization',
      snapshot: { element: [{ id: 'Model', path: 'Model', min: 0, max: '*' }, { id: 'Model.a', path: 'Model.a', max: '1', type: [{ code: 'string' }] }, { id: 'Model.b', path: 'Model.b', min: 0, max: '1', type: [{ code: 'string' }] }] },
    };
    expect(at(model, ['SD_TABLE_PROHIBITED', 'SD_TABLE_REQUIRED'])).toEqual([{ severity: 'error', rule: 'SD_TABLE_REQUIRED', at: 'StructureDefinition.snapshot.element[1]' }]);
  });

  it('one invariant key with two expressions in a snapshot (ED_INVARIANT_EXPRESSION_CONFLICT)', () => {
    const inv = (expression: string) => ({ key: 'p-1', severity: 'error', human: 'h', expression });
    const sd = withSnapshot([
      { id: 'Patient.active', path: 'Patient.active', min: 0, max: '1', type: [{ code: 'boolean' }], constraint: [inv('true')] },
      { id: 'Patient.gender', path: 'Patient.gender', min: 0, max: '1', type: [{ code: 'code' }], constraint: [inv('true'), inv('false')] },
    ]);
    expect(at(sd, RULES)).toEqual([{ severity: 'error', rule: 'ED_INVARIANT_EXPRESSION_CONFLICT', at: 'StructureDefinition.snapshot.element[2].constraint[1]' }]);
  });
});

describe('obligation profiles and claims', () => {
  const OBLIGATION_FLAG = { url: `${CORE}obligation-profile`, valueBoolean: true };
  const RULES = [
    'SD_OBGLIGATION_PROFILE_DERIVATION', 'SD_OBGLIGATION_PROFILE_ILLEGAL', 'SD_OBGLIGATION_PROFILE_ILLEGAL_ON_BINDING', 'SD_OBGLIGATION_PROFILE_INVALID_BINDING_STRENGTH',
    'SD_OBGLIGATION_INHERITS_PROFILE_NOT_RIGHT_TYPE', 'SD_OBGLIGATION_INHERITS_PROFILE_NO_TARGET', 'SD_EXTENSION_COMPLIES_WITH_UNKNOWN',
  ];
  // Over core Patient, whose snapshot the obligation profile is compared with.
  const obligations = (elements: unknown[], extra: Sd = {}) => ({ ...patientProfile(elements, { extension: [OBLIGATION_FLAG] }), ...extra });

  it('an obligation profile that only adds obligations passes', () => {
    expect(at(obligations([{ id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', extension: [{ url: `${CORE}obligation`, extension: [{ url: 'code', valueCode: 'SHALL:populate' }] }] }]), RULES)).toEqual([]);
  });

  it('extensions other than obligations, changed binding strength and other binding properties (SD_OBGLIGATION_PROFILE_ILLEGAL, ..._INVALID_BINDING_STRENGTH, ..._ILLEGAL_ON_BINDING)', () => {
    const sd = obligations([{ id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', extension: [{ url: 'http://example.org/other', valueString: 'x' }], binding: { strength: 'required', description: 'changed', valueSet: 'http://hl7.org/fhir/ValueSet/marital-status' } }]);
    expect(at(sd, RULES)).toEqual([
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_ILLEGAL', at: 'StructureDefinition.differential.element[1].extension[0]' },
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_INVALID_BINDING_STRENGTH', at: 'StructureDefinition.differential.element[1].binding[0].strength[0]' },
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_ILLEGAL_ON_BINDING', at: 'StructureDefinition.differential.element[1].binding[0].description[0]' },
      // As in the reference, only the strength and extensions may be restated on the binding.
      { severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_ILLEGAL_ON_BINDING', at: 'StructureDefinition.differential.element[1].binding[0].valueSet[0]' },
    ]);
  });

  it('an obligation profile that is not a constraint (SD_OBGLIGATION_PROFILE_DERIVATION)', () => {
    expect(at(obligations([], { derivation: 'specialization', type: 'Patient2' }), ['SD_OBGLIGATION_PROFILE_DERIVATION'])).toEqual([{ severity: 'error', rule: 'SD_OBGLIGATION_PROFILE_DERIVATION', at: 'StructureDefinition' }]);
  });

  it('inheriting obligations from, or claiming compliance with, an unknown profile (SD_OBGLIGATION_INHERITS_PROFILE_NOT_RIGHT_TYPE, SD_EXTENSION_COMPLIES_WITH_UNKNOWN)', () => {
    const sd = patientProfile([], {
      extension: [
        { url: `${CORE}inherit-obligations`, valueCanonical: `${EX}nowhere` },
        { url: `${CORE}structuredefinition-compliesWithProfile`, valueCanonical: `${EX}nowhere-else` },
      ],
    });
    // The reference's existence check tests the structure itself, so an unknown target reads as not an obligation profile.
    expect(at(sd, RULES)).toEqual([
      { severity: 'error', rule: 'SD_EXTENSION_COMPLIES_WITH_UNKNOWN', at: 'StructureDefinition' },
      { severity: 'error', rule: 'SD_OBGLIGATION_INHERITS_PROFILE_NOT_RIGHT_TYPE', at: 'StructureDefinition.extension[0]' },
    ]);
  });

  it('inheriting obligations without a value (SD_OBGLIGATION_INHERITS_PROFILE_NO_TARGET)', () => {
    const sd = patientProfile([], { extension: [{ url: `${CORE}inherit-obligations`, extension: [{ url: 'note', valueString: 'no value' }] }] });
    expect(at(sd, RULES)).toEqual([{ severity: 'error', rule: 'SD_OBGLIGATION_INHERITS_PROFILE_NO_TARGET', at: 'StructureDefinition.extension[0]' }]);
  });
});
