import { describe, expect, it } from 'vitest';
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { readCoreR4 } from '../packages/core-r4.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const core = readCoreR4();

function coreSd(type: string): StructureDefinition {
  return core.find((r) => r.resourceType === 'StructureDefinition' && r.url === `http://hl7.org/fhir/StructureDefinition/${type}`) as StructureDefinition;
}

/** A constraining profile made from the core snapshot with `edit` applied to its elements. */
function constrain(type: string, url: string, edit: (elements: ElementDefinition[]) => void): StructureDefinition {
  const base = coreSd(type);
  const elements = structuredClone(base.snapshot!.element);
  edit(elements);
  return { ...base, url, derivation: 'constraint', baseDefinition: base.url, snapshot: { element: elements } };
}

function errorsWith(profile: StructureDefinition, input: unknown): string[] {
  const v = new Validator(new MemoryResolver([...core, profile]));
  return v
    .validateToIssues(input, { profiles: [profile.url] })
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.expression}: ${i.message}`);
}

describe('profile steps', () => {
  it('rejects a contained resource whose type no type profile on the element allows', () => {
    const profile = constrain('Bundle', 'http://test.example/manifest-bundle', (els) => {
      const res = els.find((e) => e.id === 'Bundle.entry.resource')!;
      res.type = [{ code: 'Resource', profile: ['http://hl7.org/fhir/StructureDefinition/DocumentManifest'] }];
    });
    const found = errorsWith(profile, { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://x.test/Patient/1', resource: { resourceType: 'Patient', id: '1' } }] });
    expect(found).toEqual([expect.stringMatching(/^Bundle\.entry\[0\]\.resource: The type 'Patient' is not valid.*DocumentManifest/)]);
  });

  it('takes the type profile of the resource\'s own type when the element allows several types', () => {
    const profile = constrain('Bundle', 'http://test.example/people-bundle', (els) => {
      const res = els.find((e) => e.id === 'Bundle.entry.resource')!;
      res.type = [
        { code: 'Practitioner', profile: ['http://hl7.org/fhir/StructureDefinition/Practitioner'] },
        { code: 'PractitionerRole', profile: ['http://hl7.org/fhir/StructureDefinition/PractitionerRole'] },
      ];
    });
    const found = errorsWith(profile, { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://x.test/PractitionerRole/1', resource: { resourceType: 'PractitionerRole', id: '1' } }] });
    expect(found).toEqual([]);
  });

  it('reports a rule broken in each of several candidate type profiles once per candidate', () => {
    const cityRequired = (url: string) => constrain('Address', url, (els) => {
      els.find((e) => e.id === 'Address.city')!.min = 1;
    });
    const a = cityRequired('http://test.example/address-a');
    const b = cityRequired('http://test.example/address-b');
    const person = constrain('Person', 'http://test.example/person', (els) => {
      els.find((e) => e.id === 'Person.address')!.type = [{ code: 'Address', profile: [a.url, b.url] }];
    });
    const v = new Validator(new MemoryResolver([...core, a, b, person]));
    const found = v
      .validateToIssues({ resourceType: 'Person', address: [{ text: 'somewhere' }] }, { profiles: [person.url] })
      .filter((i) => i.severity === 'error')
      .map((i) => i.message);
    expect(found).toHaveLength(3);
    expect(found.filter((m) => m.startsWith('Address.city: minimum required = 1'))).toHaveLength(2);
  });
});
