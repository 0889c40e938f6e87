/**
 * Rules that follow from the profiles a resource is walked against. An element the base type defines but the
 * profile's snapshot leaves out is not allowed by that profile (engine/rules/profile-not-allowed.ts), as the
 * reference validator's InstanceValidator.assignChildren reports it (Validation_VAL_Profile_NotAllowed), while a
 * property no definition knows stays a parse error. A profile imposing another (structuredefinition-imposeProfile)
 * has the resource validated against that one too, and one that cannot be found is a warning
 * (VALIDATION_VAL_PROFILE_DEPENDS_NOT_RESOLVED, engine/profiles.ts), as in InstanceValidator.validateResource.
 * Profiles and payloads of our own, through the Validator.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../packages/core-r4.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const T = 'http://structure.test/';
const core = readCoreR4();

/** A profile on a core type whose snapshot leaves out the elements `drop` matches. */
function without(type: string, name: string, drop: (id: string) => boolean): StructureDefinition {
  const base = core.find((r) => r.url === `${CORE}${type}`) as StructureDefinition;
  const element = base.snapshot!.element.filter((e) => !drop(e.id!)).map((e) => JSON.parse(JSON.stringify(e)));
  return { ...base, id: name, url: `${T}${name}`, name, derivation: 'constraint', baseDefinition: `${CORE}${type}`, snapshot: { element } } as StructureDefinition;
}

const IMPOSE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-imposeProfile';
/** A Patient profile that changes the elements `change` returns a new form for, and imposes the given profiles. */
function patientProfile(name: string, imposes: string[], change: (e: ElementDefinition) => ElementDefinition = (e) => e): StructureDefinition {
  const p = without('Patient', name, () => false);
  return { ...p, extension: imposes.map((valueCanonical) => ({ url: IMPOSE, valueCanonical })), snapshot: { element: p.snapshot!.element.map(change) } };
}

const under = (prefix: string) => (id: string) => id === prefix || id.startsWith(`${prefix}.`);
const profiles = [
  without('Patient', 'NoGenderNoName', (id) => id === 'Patient.gender' || under('Patient.name')(id)),
  without('Observation', 'NoValue', under('Observation.value[x]')),
  without('Patient', 'NoContactGender', (id) => id === 'Patient.contact.gender'),
  patientProfile('ActiveRequired', [], (e) => (e.id === 'Patient.active' ? { ...e, min: 1 } : e)),
  patientProfile('ImposesActive', [`${T}ActiveRequired`]),
  patientProfile('ImposesMissing', ['http://nowhere.test/StructureDefinition/gone']),
];
const validator = new Validator(new MemoryResolver([...core, ...profiles]));

function found(resource: Record<string, unknown>, name: string): string[][] {
  return validator
    .validateToIssues(resource, { profiles: [`${T}${name}`] })
    .filter((i) => i.rule === 'Validation_VAL_Profile_NotAllowed' || i.rule === 'Unrecognised_property_')
    .map((i) => [i.rule, i.severity, i.expression ?? '']);
}

describe('elements a profile leaves out', () => {
  it('reports each item of an element the profile leaves out (Validation_VAL_Profile_NotAllowed)', () => {
    expect(found({ resourceType: 'Patient', gender: 'male', name: [{ family: 'A' }, { family: 'B' }], active: true }, 'NoGenderNoName')).toEqual([
      ['Validation_VAL_Profile_NotAllowed', 'error', 'Patient.gender'],
      ['Validation_VAL_Profile_NotAllowed', 'error', 'Patient.name[0]'],
      ['Validation_VAL_Profile_NotAllowed', 'error', 'Patient.name[1]'],
    ]);
    expect(found({ resourceType: 'Patient', active: true }, 'NoGenderNoName')).toEqual([]);
  });

  it('names a choice element by its type, and finds elements inside backbone elements', () => {
    expect(found({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueString: 'v' }, 'NoValue')).toEqual([
      ['Validation_VAL_Profile_NotAllowed', 'error', 'Observation.value.ofType(string)'],
    ]);
    expect(found({ resourceType: 'Patient', contact: [{ gender: 'female', name: { family: 'C' } }] }, 'NoContactGender')).toEqual([
      ['Validation_VAL_Profile_NotAllowed', 'error', 'Patient.contact[0].gender'],
    ]);
  });

  it('keeps a property no definition knows a parse error (Unrecognised_property_)', () => {
    expect(found({ resourceType: 'Patient', colour: 'blue' }, 'NoGenderNoName')).toEqual([['Unrecognised_property_', 'error', 'Patient']]);
  });
});

describe('profiles a profile imposes', () => {
  const issues = (resource: Record<string, unknown>, profiles: string[]) =>
    validator
      .validateToIssues(resource, { profiles: profiles.map((p) => `${T}${p}`) })
      .filter((i) => i.severity !== 'information')
      .map((i) => [i.rule, i.severity, i.expression ?? '']);

  it('validates the resource against the imposed profile too', () => {
    expect(issues({ resourceType: 'Patient', active: true }, ['ImposesActive'])).toEqual([]);
    expect(issues({ resourceType: 'Patient' }, ['ImposesActive'])).toEqual([['Validation_VAL_Profile_Minimum', 'error', 'Patient']]);
    expect(issues({ resourceType: 'Patient', meta: { profile: [`${T}ImposesActive`] } }, [])).toEqual([['Validation_VAL_Profile_Minimum', 'error', 'Patient']]);
  });

  it('warns where an imposed profile cannot be found (VALIDATION_VAL_PROFILE_DEPENDS_NOT_RESOLVED)', () => {
    expect(issues({ resourceType: 'Patient' }, ['ImposesMissing'])).toEqual([['VALIDATION_VAL_PROFILE_DEPENDS_NOT_RESOLVED', 'warning', 'Patient']]);
    expect(issues({ resourceType: 'Patient', meta: { profile: [`${T}ImposesMissing`] } }, [])).toEqual([
      ['VALIDATION_VAL_PROFILE_DEPENDS_NOT_RESOLVED', 'warning', 'Patient.meta.profile[0]'],
    ]);
  });
});
