import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { MemoryResolver } from '../../validation/core-resolver.js';
import { readCoreR4 } from '../core-r4.js';
import { checkDifferential } from './check.js';

const resolver = new MemoryResolver(readCoreR4());
const patient = resolver.structureDefinition('Patient')!;

function profile(elements: ElementDefinition[]): StructureDefinition {
  return {
    resourceType: 'StructureDefinition',
    url: 'http://test.example/StructureDefinition/p',
    name: 'P',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: patient.url,
    derivation: 'constraint',
    differential: { element: elements },
  };
}

describe('checkDifferential', () => {
  it('accepts a differential in base order', () => {
    expect(checkDifferential(profile([{ id: 'Patient.identifier', path: 'Patient.identifier', min: 1 }, { id: 'Patient.birthDate', path: 'Patient.birthDate', min: 1 }]), patient, resolver)).toEqual([]);
  });

  it('reports an element listed before one that precedes it in the base, as the HL7 generator passes it over', () => {
    const problems = checkDifferential(profile([{ id: 'Patient.birthDate', path: 'Patient.birthDate', min: 1 }, { id: 'Patient.identifier', path: 'Patient.identifier', min: 1 }]), patient, resolver);
    expect(problems.map((p) => p.element)).toEqual([0, undefined]);
    expect(problems[0]!.message).toMatch(/^No match found for Patient\.birthDate in the generated snapshot/);
    expect(problems[1]!.message).toMatch(/has 1 element in the differential \(id: Patient\.birthDate\)/);
  });

  it('reports differentials the generator refuses: empty path parts, root slicing, unknown discriminator types', () => {
    const messages = (els: ElementDefinition[]) => checkDifferential(profile(els), patient, resolver).map((p) => p.message);
    expect(messages([{ id: 'Patient...name', path: 'Patient...name' }])).toEqual([expect.stringMatching(/^Error generating Snapshot: Invalid path 'Patient\.\.\.name'/)]);
    expect(messages([{ id: 'Patient', path: 'Patient', slicing: { rules: 'open' } }])).toEqual([expect.stringMatching(/slicing at the root \('Patient'\)/)]);
    const unknown = { id: 'Patient.identifier', path: 'Patient.identifier', slicing: { discriminator: [{ type: 'expression', path: 'system' }], rules: 'open' } } as unknown as ElementDefinition;
    expect(messages([unknown])).toEqual([expect.stringMatching(/Unknown DiscriminatorType code 'expression'/)]);
  });
});
