import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../packages/core-r4.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const validator = new Validator(new MemoryResolver(readCoreR4()));

function errorsOf(differential: Record<string, unknown>[], type = 'Patient'): string[] {
  const sd = {
    resourceType: 'StructureDefinition',
    url: 'http://test.example/StructureDefinition/p',
    name: 'P',
    status: 'draft',
    kind: type === 'Extension' ? 'complex-type' : 'resource',
    abstract: false,
    type,
    baseDefinition: `http://hl7.org/fhir/StructureDefinition/${type}`,
    derivation: 'constraint',
    differential: { element: differential },
  };
  return validator
    .validateToIssues(sd)
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.expression}: ${i.message}`);
}

describe('StructureDefinition differential rules', () => {
  it('reports differential elements out of base order, and bindings on types that cannot carry one', () => {
    const found = errorsOf([
      { id: 'Patient.birthDate', path: 'Patient.birthDate', type: [{ code: 'date' }], binding: { strength: 'required', valueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender' } },
      { id: 'Patient.identifier', path: 'Patient.identifier', min: 1 },
    ]);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^StructureDefinition\.differential\.element\[0\]: No match found for Patient\.birthDate/),
        expect.stringMatching(/^StructureDefinition: The profile .* has 1 element in the differential/),
        expect.stringMatching(/^StructureDefinition\.differential\.element\[0\]: This element has a Binding but the types \[date\]/),
      ]),
    );
  });

  it('reports slicing at the root of a profile', () => {
    const found = errorsOf([{ id: 'Extension', path: 'Extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } }], 'Extension');
    expect(found).toEqual(expect.arrayContaining(['StructureDefinition.differential.element[0]: Slicing is not allowed at the root of a profile', expect.stringMatching(/^StructureDefinition: Error generating Snapshot: The profile has slicing at the root/)]));
  });

  it('accepts a differential the generator can apply', () => {
    expect(errorsOf([{ id: 'Patient.identifier', path: 'Patient.identifier', min: 1 }])).toEqual([]);
  });
});
