/**
 * More StructureDefinition authoring rules of the reference validator (StructureDefinitionValidator and
 * InstanceValidator.checkTypeValue), through createValidationService: type and target profiles that do not
 * resolve or reach no type, must-support inside types, FHIRPath that does not parse (invariants, slicing
 * discriminators, context invariants), what StructureDefinition.type may name, and patterns over a base
 * pattern. Each rule asserted by rule id, severity and location.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, serviceWith } from './helpers.js';

const EX = 'http://example.org/StructureDefinition/';
const ORPHAN = `${EX}orphan`;
const CODED_BASE = `${EX}coded-base`;
const PRACTITIONER_PROFILE = `${EX}practitioner`;
const TYPE_MS = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-type-must-support';
const code = { coding: [{ system: 'http://loinc.org', code: '29463-7' }] };

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    // A constraint on a structure nobody defines: the type it applies to cannot be determined.
    'orphan.json': {
      resourceType: 'StructureDefinition', url: ORPHAN, name: 'Orphan', status: 'draft', kind: 'resource', abstract: false,
      type: 'Patient', baseDefinition: `${EX}nowhere`, derivation: 'constraint', differential: { element: [{ id: 'Patient', path: 'Patient' }] },
    },
    'practitioner.json': {
      resourceType: 'StructureDefinition', url: PRACTITIONER_PROFILE, name: 'MyPractitioner', status: 'draft', kind: 'resource', abstract: false,
      type: 'Practitioner', baseDefinition: `${CORE}Practitioner`, derivation: 'constraint', differential: { element: [{ id: 'Practitioner', path: 'Practitioner' }] },
    },
    // A concrete model built on the abstract one below.
    'concrete.json': {
      resourceType: 'StructureDefinition', url: `${EX}Concrete`, name: 'Concrete', status: 'draft', kind: 'logical', abstract: false,
      type: `${EX}Concrete`, baseDefinition: `${EX}Shape`, derivation: 'specialization', differential: { element: [{ id: 'Concrete', path: 'Concrete' }] },
    },
    'coded-base.json': {
      resourceType: 'StructureDefinition', url: CODED_BASE, name: 'CodedBase', status: 'draft', kind: 'resource', abstract: false,
      type: 'Observation', baseDefinition: `${CORE}Observation`, derivation: 'constraint',
      differential: { element: [{ id: 'Observation', path: 'Observation' }, { id: 'Observation.code', path: 'Observation.code', patternCodeableConcept: code }] },
    },
  });
});

type Sd = Record<string, unknown>;
const at = (sd: Sd, rules: string[]) => found(svc.validate({ resourceType: 'StructureDefinition', name: 'Test', status: 'draft', abstract: false, ...sd }), rules);
const patientProfile = (elements: unknown[], extra: Sd = {}): Sd => ({
  url: `${EX}patient`, kind: 'resource', type: 'Patient', baseDefinition: `${CORE}Patient`, derivation: 'constraint',
  differential: { element: [{ id: 'Patient', path: 'Patient' }, ...elements] }, ...extra,
});
const gp = (type: Sd, extra: Sd = {}) => ({ id: 'Patient.generalPractitioner', path: 'Patient.generalPractitioner', type: [{ code: 'Reference', ...type }], ...extra });

describe('profiles named by types', () => {
  const RULES = ['SD_ED_TYPE_PROFILE_UNKNOWN', 'SD_ED_TYPE_PROFILE_NOTYPE'];

  it('a type or target profile that cannot be resolved is a warning (SD_ED_TYPE_PROFILE_UNKNOWN)', () => {
    const ext = { id: 'Patient.extension', path: 'Patient.extension', type: [{ code: 'Extension', profile: [`${EX}missing-ext`] }] };
    expect(at(patientProfile([ext, gp({ targetProfile: [`${EX}missing-target`] })]), RULES)).toEqual([
      { severity: 'warning', rule: 'SD_ED_TYPE_PROFILE_UNKNOWN', at: 'StructureDefinition.differential.element[1].type[0].profile[0]' },
      { severity: 'warning', rule: 'SD_ED_TYPE_PROFILE_UNKNOWN', at: 'StructureDefinition.differential.element[2].type[0].targetProfile[0]' },
    ]);
  });

  it('known profiles, and HL7 ones the reference may load from elsewhere, pass', () => {
    const ext = { id: 'Patient.extension', path: 'Patient.extension', type: [{ code: 'Extension', profile: ['http://hl7.org/fhir/StructureDefinition/patient-birthPlace'] }] };
    expect(at(patientProfile([ext, gp({ targetProfile: [`${CORE}Practitioner`, 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner'] })]), RULES)).toEqual([]);
  });

  it('a profile whose base chain reaches no type is an error (SD_ED_TYPE_PROFILE_NOTYPE)', () => {
    expect(at(patientProfile([gp({ targetProfile: [ORPHAN] })]), RULES)).toEqual([
      { severity: 'error', rule: 'SD_ED_TYPE_PROFILE_NOTYPE', at: 'StructureDefinition.differential.element[1].type[0].targetProfile[0]' },
    ]);
  });
});

describe('types against the generated snapshot', () => {
  it('a type the generated snapshot does not allow at the path is an error (SD_ED_TYPE_PROFILE_WRONG_TYPE), as in a stale snapshot', () => {
    const deceased = { id: 'Patient.deceased[x]', path: 'Patient.deceased[x]', type: [{ code: 'boolean' }] };
    const stale = { element: [{ id: 'Patient', path: 'Patient', min: 0, max: '*' }, { ...deceased, min: 0, max: '1', type: [{ code: 'boolean' }, { code: 'dateTime' }] }] };
    expect(at(patientProfile([deceased], { snapshot: stale }), ['SD_ED_TYPE_PROFILE_WRONG_TYPE'])).toEqual([
      { severity: 'error', rule: 'SD_ED_TYPE_PROFILE_WRONG_TYPE', at: 'StructureDefinition.snapshot.element[1].type[0]' },
    ]);
    const fresh = { element: [stale.element[0], { ...deceased, min: 0, max: '1' }] };
    expect(at(patientProfile([deceased], { snapshot: fresh }), ['SD_ED_TYPE_PROFILE_WRONG_TYPE'])).toEqual([]);
  });
});

describe('target profiles narrowed by a constraint', () => {
  const RULE = ['Error_at__The_target_profile__is_not__valid_constraint_on_the_base_'];

  it('a target that is not one of the base element\u2019s targets, nor derived from one, is an error at the structure', () => {
    expect(at(patientProfile([gp({ targetProfile: [`${CORE}Patient`] })]), RULE)).toEqual([{ severity: 'error', rule: RULE[0], at: 'StructureDefinition' }]);
  });

  it('a base target, a profile derived from one, or an unknown profile passes', () => {
    expect(at(patientProfile([gp({ targetProfile: [`${CORE}Practitioner`, PRACTITIONER_PROFILE, `${EX}unknown-target`] })]), RULE)).toEqual([]);
  });
});

describe('value sets bound', () => {
  it('a value set that cannot be resolved is a warning (SD_ED_BIND_UNKNOWN_VS); HL7 ones the reference\u2019s server may know pass', () => {
    const bound = (valueSet: string) => ({ id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', binding: { strength: 'extensible', valueSet } });
    expect(at(patientProfile([bound('http://example.org/ValueSet/nowhere')]), ['SD_ED_BIND_UNKNOWN_VS'])).toEqual([
      { severity: 'warning', rule: 'SD_ED_BIND_UNKNOWN_VS', at: 'StructureDefinition.differential.element[1].binding' },
    ]);
    expect(at(patientProfile([bound('http://hl7.org/fhir/ValueSet/marital-status')]), ['SD_ED_BIND_UNKNOWN_VS'])).toEqual([]);
    expect(at(patientProfile([bound('http://terminology.hl7.org/ValueSet/v3-Unknown')]), ['SD_ED_BIND_UNKNOWN_VS'])).toEqual([]);
  });
});

describe('must-support inside types', () => {
  const RULES = ['SD_NESTED_MUST_SUPPORT_DIFF', 'SD_NESTED_MUST_SUPPORT_SNAPSHOT'];
  const flagged = { targetProfile: [`${CORE}Practitioner`], _targetProfile: [{ extension: [{ url: TYPE_MS, valueBoolean: true }] }] };

  it('a must-support target on an element that is not must-support is a hint in the differential (SD_NESTED_MUST_SUPPORT_DIFF)', () => {
    expect(at(patientProfile([gp(flagged)]), RULES)).toEqual([{ severity: 'information', rule: 'SD_NESTED_MUST_SUPPORT_DIFF', at: 'StructureDefinition.differential.element[1]' }]);
    expect(at(patientProfile([gp(flagged, { mustSupport: true })]), RULES)).toEqual([]);
  });

  it('with a snapshot, the snapshot element gets a warning and the differential none (SD_NESTED_MUST_SUPPORT_SNAPSHOT)', () => {
    const snapshot = { element: [{ id: 'Patient', path: 'Patient', min: 0, max: '*' }, gp(flagged, { min: 0, max: '*' })] };
    expect(at(patientProfile([gp(flagged)], { snapshot }), RULES)).toEqual([{ severity: 'warning', rule: 'SD_NESTED_MUST_SUPPORT_SNAPSHOT', at: 'StructureDefinition.snapshot.element[1]' }]);
  });
});

describe('FHIRPath that does not parse', () => {
  const BROKEN = 'name.exists() and (';

  it('an invariant of the snapshot that is the profile\u2019s own (ED_INVARIANT_EXPRESSION_ERROR)', () => {
    const invariant = (expression: string, extra: Sd = {}) => ({ key: 'tst-1', severity: 'error', human: 'test', expression, ...extra });
    const withInvariant = (c: Sd) => patientProfile([], { snapshot: { element: [{ id: 'Patient', path: 'Patient', min: 0, max: '*', constraint: [c] }] } });
    const RULES = ['ED_INVARIANT_EXPRESSION_ERROR'];
    expect(at(withInvariant(invariant(BROKEN)), RULES)).toEqual([{ severity: 'error', rule: 'ED_INVARIANT_EXPRESSION_ERROR', at: 'StructureDefinition.snapshot.element[0].constraint[0]' }]);
    expect(at(withInvariant(invariant('name.exists()')), RULES)).toEqual([]);
    // Inherited from elsewhere: the reference does not re-check it.
    expect(at(withInvariant(invariant(BROKEN, { source: `${EX}other` })), RULES)).toEqual([]);
  });

  it('a slicing discriminator path (SD_PATH_ERROR), where the sliced element states its types', () => {
    const sliced = (extra: Sd) => ({ id: 'Patient.identifier', path: 'Patient.identifier', slicing: { discriminator: [{ type: 'value', path: 'system.(' }], rules: 'open' }, ...extra });
    expect(at(patientProfile([sliced({ type: [{ code: 'Identifier' }] })]), ['SD_PATH_ERROR'])).toEqual([
      { severity: 'error', rule: 'SD_PATH_ERROR', at: 'StructureDefinition.differential.element[1].slicing.discriminator[0]' },
    ]);
    expect(at(patientProfile([sliced({})]), ['SD_PATH_ERROR'])).toEqual([]);
  });

  it('a context invariant (ED_CONTEXT_INVARIANT_EXPRESSION_ERROR), or a hint when no context gives a type (UNABLE_TO_DETERMINE_TYPE_CONTEXT_INV)', () => {
    const url = `${EX}ext`;
    const extension = (context: unknown[], contextInvariant: string[]): Sd => ({
      url, kind: 'complex-type', type: 'Extension', baseDefinition: `${CORE}Extension`, derivation: 'constraint', context, contextInvariant,
      differential: { element: [{ id: 'Extension', path: 'Extension' }, { id: 'Extension.url', path: 'Extension.url', fixedUri: url }, { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'string' }] }] },
    });
    const RULES = ['ED_CONTEXT_INVARIANT_EXPRESSION_ERROR', 'UNABLE_TO_DETERMINE_TYPE_CONTEXT_INV'];
    expect(at(extension([{ type: 'element', expression: 'Patient' }], ['name.exists()', BROKEN]), RULES)).toEqual([
      { severity: 'error', rule: 'ED_CONTEXT_INVARIANT_EXPRESSION_ERROR', at: 'StructureDefinition.contextInvariant[1]' },
    ]);
    expect(at(extension([{ type: 'fhirpath', expression: 'Patient.name.first()' }], ['name.exists()']), RULES)).toEqual([
      { severity: 'information', rule: 'UNABLE_TO_DETERMINE_TYPE_CONTEXT_INV', at: 'StructureDefinition.contextInvariant[0]' },
    ]);
  });
});

describe('what StructureDefinition.type names', () => {
  const RULES = ['SD_TYPE_NOT_LOGICAL', 'SD_TYPE_NOT_DERIVED'];
  const model = (extra: Sd): Sd => ({
    url: `${EX}Model`, kind: 'logical', type: `${EX}Model`, baseDefinition: `${CORE}Element`, derivation: 'specialization',
    differential: { element: [{ id: 'Model', path: 'Model' }] }, ...extra,
  });

  it('a type named by URL needs kind logical (SD_TYPE_NOT_LOGICAL)', () => {
    expect(at(model({ kind: 'complex-type' }), RULES)).toEqual([{ severity: 'error', rule: 'SD_TYPE_NOT_LOGICAL', at: 'StructureDefinition.type' }]);
    expect(at(model({}), RULES)).toEqual([]);
  });

  it('a FHIR type may only be constrained by a structure other than its own definition (SD_TYPE_NOT_DERIVED)', () => {
    const basic = (derivation: string): Sd => ({
      url: `${EX}my-basic`, kind: 'resource', type: 'Basic', baseDefinition: `${CORE}DomainResource`, derivation,
      differential: { element: [{ id: 'Basic', path: 'Basic' }] },
    });
    expect(at(basic('specialization'), RULES)).toEqual([{ severity: 'error', rule: 'SD_TYPE_NOT_DERIVED', at: 'StructureDefinition.type' }]);
    expect(at(patientProfile([]), RULES)).toEqual([]);
  });
});

describe('abstract structures', () => {
  it('an abstract structure nothing loaded derives from is a warning (SD_DERIVATION_NO_CONCRETE)', () => {
    const model = (name: string): Sd => ({
      url: `${EX}${name}`, kind: 'logical', abstract: true, type: `${EX}${name}`, baseDefinition: `${CORE}Element`, derivation: 'specialization',
      differential: { element: [{ id: name, path: name }] },
    });
    expect(at(model('Lonely'), ['SD_DERIVATION_NO_CONCRETE'])).toEqual([{ severity: 'warning', rule: 'SD_DERIVATION_NO_CONCRETE', at: 'StructureDefinition' }]);
    expect(at(model('Shape'), ['SD_DERIVATION_NO_CONCRETE'])).toEqual([]);
  });
});

describe('patterns over a base pattern', () => {
  it('a pattern where the base has a pattern is an error (SD_ELEMENT_PATTERN_NO_FIXED)', () => {
    const derived = (element: Sd): Sd => ({
      url: `${EX}coded`, kind: 'resource', type: 'Observation', baseDefinition: CODED_BASE, derivation: 'constraint',
      differential: { element: [{ id: 'Observation', path: 'Observation' }, { id: 'Observation.code', path: 'Observation.code', ...element }] },
    });
    expect(at(derived({ patternCodeableConcept: code }), ['SD_ELEMENT_PATTERN_NO_FIXED'])).toEqual([
      { severity: 'error', rule: 'SD_ELEMENT_PATTERN_NO_FIXED', at: 'StructureDefinition.differential.element[1].patternCodeableConcept[0]' },
    ]);
    expect(at(derived({ short: 'the code' }), ['SD_ELEMENT_PATTERN_NO_FIXED'])).toEqual([]);
  });
});
