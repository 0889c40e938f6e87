import type { StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../packages/core-r4.js';
import { generateSnapshot } from '../packages/index.js';
import type { CanonicalResource } from '../packages/types.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const CORE = 'http://hl7.org/fhir/StructureDefinition/';

function constraint(url: string, type: string, element: StructureDefinition['differential'] extends infer D ? (D extends { element: infer E } ? E : never) : never): StructureDefinition {
  return { resourceType: 'StructureDefinition', url, name: 'Test', status: 'draft', kind: type === 'Patient' ? 'resource' : 'complex-type', abstract: false, type, baseDefinition: `${CORE}${type}`, derivation: 'constraint', differential: { element } };
}

/** Core R4 plus the given profiles, each with a generated snapshot. */
function validatorWith(...profiles: StructureDefinition[]): Validator {
  const resolver = new MemoryResolver(readCoreR4());
  for (const p of profiles) {
    const base = resolver.structureDefinition(p.baseDefinition!)!;
    resolver.add({ ...p, snapshot: { element: generateSnapshot(p, base, resolver) } } as CanonicalResource);
  }
  return new Validator(resolver);
}

describe('type profiles on elements', () => {
  it('builds a snapshot through a type profile that is not loaded, and reports the unknown profile where it is used', () => {
    const patient = constraint('http://example.org/p', 'Patient', [
      { id: 'Patient.identifier', path: 'Patient.identifier', type: [{ code: 'Identifier', profile: ['http://example.org/not-loaded'] }] },
      { id: 'Patient.identifier.system', path: 'Patient.identifier.system', min: 1 },
    ]);
    const issues = validatorWith(patient).validateToIssues({ resourceType: 'Patient', identifier: [{ value: '1' }] }, { profiles: ['http://example.org/p'] });
    const errors = issues.filter((i) => i.severity === 'error').map((i) => `${i.expression}: ${i.message}`);
    expect(errors).toContainEqual(expect.stringMatching(/^Patient.identifier\[0\]: Unknown profile http:\/\/example.org\/not-loaded/));
    expect(errors.some((e) => e.includes('system') && e.includes('minimum required = 1'))).toBe(true);
  });

  it('warns when a value matches more than one of the profiles offered as choices', () => {
    const a = constraint('http://example.org/addr-a', 'Address', [{ id: 'Address.city', path: 'Address.city', min: 1 }]);
    const b = constraint('http://example.org/addr-b', 'Address', [{ id: 'Address.country', path: 'Address.country', min: 1 }]);
    const patient = constraint('http://example.org/p2', 'Patient', [
      { id: 'Patient.address', path: 'Patient.address', type: [{ code: 'Address', profile: ['http://example.org/addr-a', 'http://example.org/addr-b'] }] },
    ]);
    const v = validatorWith(a, b, patient);
    const both = v.validateToIssues({ resourceType: 'Patient', address: [{ city: 'Leeds', country: 'GB' }] }, { profiles: ['http://example.org/p2'] });
    expect(both.filter((i) => i.severity === 'warning').map((i) => i.message)).toContainEqual(expect.stringContaining('Found multiple matching profiles among 2 choices'));
    const one = v.validateToIssues({ resourceType: 'Patient', address: [{ city: 'Leeds' }] }, { profiles: ['http://example.org/p2'] });
    expect(one.filter((i) => i.severity !== 'information')).toEqual([]);
  });
});
