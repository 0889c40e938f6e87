/**
 * A HumanName pattern in a profile (InstanceValidator.checkHumanName, pattern = true): a pattern family needs a
 * family (Fixed_Type_Checks_DT_Name_Family); pattern given, prefix and suffix lists need exactly as many items
 * (Fixed_Type_Checks_DT_Name_Given / _Prefix / _Suffix), each an error at the name, and then equal items in order.
 */
import type { HumanName, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator } from '../src/validation/index.js';

const core = readCoreR4();
const PROFILE = 'http://test.example/StructureDefinition/named-patient';
const RULES = ['Fixed_Type_Checks_DT_Name_Family', 'Fixed_Type_Checks_DT_Name_Given', 'Fixed_Type_Checks_DT_Name_Prefix', 'Fixed_Type_Checks_DT_Name_Suffix', '_DT_Fixed_Wrong'];

function validatorFor(pattern: HumanName): Validator {
  const base = core.find((r) => r.resourceType === 'StructureDefinition' && r.url === 'http://hl7.org/fhir/StructureDefinition/Patient') as StructureDefinition;
  const elements = structuredClone(base.snapshot!.element);
  elements.find((e) => e.id === 'Patient.name')!.patternHumanName = pattern;
  const sd = { ...base, id: 'named-patient', url: PROFILE, derivation: 'constraint', baseDefinition: base.url, snapshot: { element: elements } } as StructureDefinition;
  return new Validator(new MemoryResolver([...core, sd]));
}

function found(v: Validator, name: HumanName): string[][] {
  const patient = { resourceType: 'Patient', meta: { profile: [PROFILE] }, name: [name] };
  return v.validateToIssues(patient).filter((i) => RULES.includes(i.rule)).map((i) => [i.rule, i.severity, i.expression ?? '']);
}

describe('HumanName patterns', () => {
  it('needs a family when the pattern has one (Fixed_Type_Checks_DT_Name_Family)', () => {
    const v = validatorFor({ family: 'Smith' });
    expect(found(v, { given: ['Ann'] })).toEqual([['Fixed_Type_Checks_DT_Name_Family', 'error', 'Patient.name[0]']]);
    expect(found(v, { family: 'Jones' })).toEqual([['_DT_Fixed_Wrong', 'error', 'Patient.name[0].family']]);
    expect(found(v, { family: 'Smith', given: ['Ann'] })).toEqual([]);
  });

  it('needs exactly as many given names, in order (Fixed_Type_Checks_DT_Name_Given)', () => {
    const v = validatorFor({ given: ['Ann'] });
    expect(found(v, { given: ['Ann', 'Marie'] })).toEqual([['Fixed_Type_Checks_DT_Name_Given', 'error', 'Patient.name[0]']]);
    expect(found(v, { family: 'Smith' })).toEqual([['Fixed_Type_Checks_DT_Name_Given', 'error', 'Patient.name[0]']]);
    expect(found(v, { given: ['Ann'], family: 'Smith' })).toEqual([]);
  });

  it('counts prefixes and suffixes the same way (Fixed_Type_Checks_DT_Name_Prefix, Fixed_Type_Checks_DT_Name_Suffix)', () => {
    const v = validatorFor({ prefix: ['Dr'], suffix: ['PhD'] });
    expect(found(v, { prefix: ['Dr', 'Prof'], family: 'Smith' })).toEqual([
      ['Fixed_Type_Checks_DT_Name_Prefix', 'error', 'Patient.name[0]'],
      ['Fixed_Type_Checks_DT_Name_Suffix', 'error', 'Patient.name[0]'],
    ]);
    expect(found(v, { prefix: ['Mr'], suffix: ['PhD'] })).toEqual([['_DT_Fixed_Wrong', 'error', 'Patient.name[0].prefix']]);
    expect(found(v, { prefix: ['Dr'], suffix: ['PhD'], family: 'Smith' })).toEqual([]);
  });
});
