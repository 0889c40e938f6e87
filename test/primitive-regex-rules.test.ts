/**
 * The regex extension on a profile's element definition (InstanceValidator.checkPrimitive): the whole
 * primitive value must match it (Type_Specific_Checks_DT_Primitive_Regex, an error at the element).
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator } from '../src/validation/index.js';

const core = readCoreR4();
const REGEX = 'http://hl7.org/fhir/StructureDefinition/regex';
const PROFILE = 'http://test.example/StructureDefinition/coded-patient';

/** A Patient profile with `edit` applied to its birthDate element. */
function profile(edit: (value: ElementDefinition) => void): StructureDefinition {
  const base = core.find((r) => r.resourceType === 'StructureDefinition' && r.url === 'http://hl7.org/fhir/StructureDefinition/Patient') as StructureDefinition;
  const elements = structuredClone(base.snapshot!.element);
  edit(elements.find((e) => e.id === 'Patient.birthDate')!);
  return { ...base, id: 'coded-patient', url: PROFILE, derivation: 'constraint', baseDefinition: base.url, snapshot: { element: elements } };
}

function found(sd: StructureDefinition, value: string): string[][] {
  const v = new Validator(new MemoryResolver([...core, sd]));
  const patient = { resourceType: 'Patient', meta: { profile: [PROFILE] }, birthDate: value };
  return v.validateToIssues(patient).filter((i) => i.rule === 'Type_Specific_Checks_DT_Primitive_Regex').map((i) => [i.severity, i.expression ?? '']);
}

describe('element regex (Type_Specific_Checks_DT_Primitive_Regex)', () => {
  const coded = profile((e) => { e.extension = [{ url: REGEX, valueString: '19[0-9]{2}-[0-9]{2}' }]; });

  it('rejects a value that does not match the whole regex', () => {
    expect(found(coded, '1970-01-01')).toEqual([['error', 'Patient.birthDate']]);
    expect(found(coded, '2001-01')).toEqual([['error', 'Patient.birthDate']]);
  });

  it('accepts a matching value', () => {
    expect(found(coded, '1970-01')).toEqual([]);
  });

  it('uses a regex on the type in place of the element one, as the reference does, and ignores one on the type alone', () => {
    const both = profile((e) => {
      e.extension = [{ url: REGEX, valueString: '19[0-9]{2}-[0-9]{2}' }];
      e.type = [{ code: 'date', extension: [{ url: REGEX, valueString: '[0-9]{4}' }] }];
    });
    expect(found(both, '2001')).toEqual([]);
    expect(found(both, '1970-01')).toEqual([['error', 'Patient.birthDate']]);
    const typeOnly = profile((e) => { e.type = [{ code: 'date', extension: [{ url: REGEX, valueString: '[0-9]{4}' }] }]; });
    expect(found(typeOnly, '1970-01')).toEqual([]);
  });
});
