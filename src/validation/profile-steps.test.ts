import { describe, expect, it } from 'vitest';
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { readCoreR4 } from '../packages/core-r4.js';
import { MemoryResolver } from './core-resolver.js';
import type { BindingChecker } from '../plugin-types/index.js';
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

  it('checks where a reference\'s target lives against the aggregation modes', () => {
    const profile = constrain('Encounter', 'http://test.example/bundled-subject', (els) => {
      els.find((e) => e.id === 'Encounter.subject')!.type = [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Patient'], aggregation: ['bundled'] }];
    });
    const encounter = (ref: string) => ({ resourceType: 'Encounter', id: 'e', status: 'planned', class: { code: 'AMB' }, subject: { reference: ref } });
    const bundle = (ref: string) => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'http://x.test/Encounter/e', resource: encounter(ref) },
        { fullUrl: 'http://x.test/Patient/p', resource: { resourceType: 'Patient', id: 'p' } },
      ],
    });
    const v = new Validator(new MemoryResolver([...core, profile]));
    const run = (input: unknown, fetched?: Record<string, unknown>) =>
      v
        .validateToIssues(input, { bundleProfiles: [{ rule: 'Encounter', profile: profile.url }], fetchReference: () => fetched })
        .filter((i) => i.severity === 'error')
        .map((i) => `${i.expression}: ${i.message}`);
    expect(run(bundle('Patient/p'))).toEqual([]);
    expect(v.validateToIssues(bundle('Patient/q'), { bundleProfiles: [{ rule: 'Encounter', profile: profile.url }] }).filter((i) => i.severity === 'error').map((i) => `${i.rule} ${i.expression}`)).toEqual([
      'Reference_REF_NotFound_Bundle Bundle.entry[0].resource.subject',
    ]);
    // Where references outside the instance can be fetched, one that cannot be is an error of its own.
    expect(run(bundle('Patient/q'))).toContainEqual(expect.stringMatching(/subject: Unable to resolve resource with reference 'Patient\/q'/));
    expect(run(bundle('Patient/q'), { resourceType: 'Patient', id: 'q' })).toEqual([expect.stringMatching(/subject: Reference is external which isn't supported by the specified aggregation mode\(s\) for the reference \(bundled\)/)]);
  });

  it('reports a target profile that cannot be found when the reference resolves', () => {
    const profile = constrain('Encounter', 'http://test.example/unknown-target', (els) => {
      els.find((e) => e.id === 'Encounter.subject')!.type = [{ code: 'Reference', targetProfile: ['http://nowhere.test/StructureDefinition/special-patient'] }];
    });
    const found = errorsWith(profile, { resourceType: 'Encounter', status: 'planned', class: { code: 'AMB' }, contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#p' } });
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^Encounter\.subject: Unable to resolve the profile reference 'http:\/\/nowhere\.test\/StructureDefinition\/special-patient'/);
    expect(found[1]).toMatch(/^Encounter\.subject: Invalid Resource target type\. Found Patient/);
  });

  it('tells extension slices apart by their definition URL even when the definition is unknown', () => {
    const url = 'http://nowhere.test/StructureDefinition/version';
    const profile = constrain('Endpoint', 'http://test.example/versioned-endpoint', (els) => {
      const i = els.findIndex((e) => e.id === 'Endpoint.extension');
      els[i]!.slicing = { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' };
      els.splice(i + 1, 0, { ...structuredClone(els[i]!), id: 'Endpoint.extension:version', sliceName: 'version', min: 1, slicing: undefined, type: [{ code: 'Extension', profile: [url] }] });
    });
    const endpoint = { resourceType: 'Endpoint', status: 'active', connectionType: { code: 'hl7-fhir-rest' }, payloadType: [{ text: 'x' }], address: 'http://x.test', extension: [{ url, valueCode: '4.0.1' }] };
    const v = new Validator(new MemoryResolver([...core, profile]), { allowedExtensionDomains: ['http://nowhere.test/'] });
    const found = v.validateToIssues(endpoint, { profiles: [profile.url] }).filter((i) => i.severity === 'error');
    expect(found).toEqual([]);
  });

  it('puts a value in a slice told apart by a binding only when the value set admits it', () => {
    const vs = 'http://test.example/ValueSet/kinds';
    const profile = constrain('Organization', 'http://test.example/typed-org', (els) => {
      const i = els.findIndex((e) => e.id === 'Organization.type');
      els[i]!.slicing = { discriminator: [{ type: 'value', path: '$this' }], rules: 'open' };
      els.splice(i + 1, 0, { ...structuredClone(els[i]!), id: 'Organization.type:kind', sliceName: 'kind', slicing: undefined, binding: { strength: 'required', valueSet: vs } });
    });
    const checked: string[] = [];
    const terminology: BindingChecker = {
      check: ({ valueSet, path }) => {
        checked.push(path);
        return valueSet === vs ? [{ rule: 'Terminology_TX_ValueSet_NotFound', severity: 'warning', code: 'not-found', expression: path, message: `The value set ${vs} is not known` }] : [];
      },
    };
    const v = new Validator(new MemoryResolver([...core, profile]), { terminology });
    const found = v.validateToIssues({ resourceType: 'Organization', type: [{ coding: [{ system: 'urn:x', code: 'a' }] }] }, { profiles: [profile.url] });
    expect(found.filter((i) => i.severity !== 'information')).toEqual([]);
  });

  it('reports a count both the type and the profile of a resource inside another require once; with reportConsequences, once each, naming the profile', () => {
    const encounter = constrain('Encounter', 'http://test.example/encounter', () => undefined);
    const bundle = constrain('Bundle', 'http://test.example/encounter-bundle', (els) => {
      els.find((e) => e.id === 'Bundle.entry.resource')!.type = [{ code: 'Resource', profile: [encounter.url] }];
    });
    const v = new Validator(new MemoryResolver([...core, encounter, bundle]));
    const errorsWhen = (reportConsequences: boolean) =>
      v
        .validateToIssues({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://x.test/Encounter/e', resource: { resourceType: 'Encounter', id: 'e', status: 'planned' } }] }, { profiles: [bundle.url], reportConsequences })
        .filter((i) => i.severity === 'error')
        .map((i) => i.message);
    expect(errorsWhen(false)).toEqual([expect.stringMatching(/^Encounter\.class: minimum required = 1, but only found 0$/)]);
    expect(errorsWhen(true)).toEqual([expect.stringMatching(/^Encounter\.class: minimum required = 1, but only found 0$/), expect.stringMatching(/^Encounter\.class: minimum required = 1, but only found 0 \(from http:\/\/test\.example\/encounter\)$/)]);
  });

  it('treats a chain of references back to the resource being validated as a circle, not a target mismatch', () => {
    const url = 'http://test.example/other-gender';
    const profile = constrain('Patient', url, (els) => {
      els.find((e) => e.id === 'Patient.gender')!.fixedCode = 'other';
      els.find((e) => e.id === 'Patient.link.other')!.type = [{ code: 'Reference', targetProfile: [url] }];
    });
    const patient = (id: string, gender: string, other: string) => ({ resourceType: 'Patient', id, gender, link: [{ other: { reference: `Patient/${other}` }, type: 'seealso' }] });
    const folder: Record<string, Record<string, unknown>> = { 'Patient/source': patient('source', 'male', 'relay'), 'Patient/relay': patient('relay', 'other', 'source') };
    const v = new Validator(new MemoryResolver([...core, profile]));
    const found = v
      .validateToIssues(patient('source', 'male', 'relay'), { profiles: [url], fetchReference: (ref) => folder[ref] })
      .filter((i) => i.severity === 'error')
      .map((i) => i.expression);
    expect(found).toEqual(['Patient.gender']);
  });

  it('warns when a value matches more than one of several candidate type profiles', () => {
    const loose = (url: string) => constrain('Address', url, () => undefined);
    const a = loose('http://test.example/address-loose-a');
    const b = loose('http://test.example/address-loose-b');
    const person = constrain('Person', 'http://test.example/person-loose', (els) => {
      els.find((e) => e.id === 'Person.address')!.type = [{ code: 'Address', profile: [a.url, b.url] }];
    });
    const v = new Validator(new MemoryResolver([...core, a, b, person]));
    const found = v.validateToIssues({ resourceType: 'Person', address: [{ text: 'somewhere' }] }, { profiles: [person.url] }).filter((i) => i.severity !== 'information');
    expect(found.map((i) => `${i.severity} ${i.expression}: ${i.message}`)).toEqual([expect.stringMatching(/^warning Person\.address\[0\]: Found multiple matching profiles among 2 choices/)]);
  });

  it('accepts unseen HL7 extensions but not those of separately published implementation guides', () => {
    const v = new Validator(new MemoryResolver(core));
    const withExtension = (url: string) => v.validateToIssues({ resourceType: 'Patient', extension: [{ url, valueString: 'x' }] }).filter((i) => i.severity === 'error');
    expect(withExtension('http://hl7.org/fhir/StructureDefinition/some-pack-extension')).toEqual([]);
    expect(withExtension('http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-launchContext').map((i) => i.message)).toEqual([expect.stringMatching(/could not be found so is not allowed here/)]);
  });

  it('lets a slice that says nothing about one discriminator match items without that value', () => {
    const profile = constrain('Observation', 'http://test.example/ranges', (els) => {
      const i = els.findIndex((e) => e.id === 'Observation.referenceRange');
      els[i]!.slicing = { discriminator: [{ type: 'pattern', path: 'type' }, { type: 'pattern', path: 'appliesTo' }], rules: 'open' };
      const children = els.filter((e) => e.id!.startsWith('Observation.referenceRange.'));
      const slice = (name: string, type: string, appliesTo?: string): ElementDefinition[] => [
        { ...structuredClone(els[i]!), id: `Observation.referenceRange:${name}`, sliceName: name, min: 1, max: '1', slicing: undefined },
        ...children.map((c) => {
          const copy = { ...structuredClone(c), id: c.id!.replace('referenceRange.', `referenceRange:${name}.`) };
          if (c.id === 'Observation.referenceRange.type') Object.assign(copy, { min: 1, patternCodeableConcept: { coding: [{ code: type }] } });
          if (c.id === 'Observation.referenceRange.appliesTo' && appliesTo) Object.assign(copy, { min: 1, patternCodeableConcept: { coding: [{ code: appliesTo }] } });
          return copy;
        }),
      ];
      const end = i + 1 + children.length;
      els.splice(end, 0, ...slice('a', 'normal', 'x'), ...slice('b', 'treatment'));
    });
    const found = errorsWith(profile, {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 't' },
      referenceRange: [
        { type: { coding: [{ code: 'normal' }] }, appliesTo: [{ coding: [{ code: 'x' }] }], text: 'a' },
        { type: { coding: [{ code: 'treatment' }] }, text: 'b' },
      ],
    });
    expect(found).toEqual([]);
  });

  it('tells slices apart by profiles on primitive elements, whatever kind the profile declares', () => {
    const fixedText = (url: string, text: string): StructureDefinition => {
      const string = coreSd('string');
      const elements = structuredClone(string.snapshot!.element);
      elements[0]!.fixedString = text;
      return { ...string, url, kind: 'resource', derivation: 'constraint', baseDefinition: string.url, snapshot: { element: elements } };
    };
    const a = fixedText('http://test.example/text-a', 'A');
    const profile = constrain('Observation', 'http://test.example/texts', (els) => {
      const i = els.findIndex((e) => e.id === 'Observation.category');
      els[i]!.slicing = { discriminator: [{ type: 'profile', path: 'text' }], rules: 'closed' };
      els.splice(
        i + 1,
        0,
        { ...structuredClone(els[i]!), id: 'Observation.category:a', sliceName: 'a', min: 1, slicing: undefined },
        { id: 'Observation.category:a.text', path: 'Observation.category.text', min: 0, max: '1', type: [{ code: 'string', profile: [a.url] }] },
      );
    });
    const v = new Validator(new MemoryResolver([...core, a, profile]));
    const errors = (text: string) => v.validateToIssues({ resourceType: 'Observation', status: 'final', code: { text: 'c' }, category: [{ text }] }, { profiles: [profile.url] }).filter((i) => i.severity === 'error');
    expect(errors('A')).toEqual([]);
    // 'B' conforms to no text profile: it matches no slice of the closed slicing, and slice a (1..) is missing.
    expect(errors('B').map((i) => `${i.rule} ${i.expression}`)).toEqual(['Validation_VAL_Profile_NotSlice Observation.category[0]', 'Validation_VAL_Profile_Minimum_SLICE Observation']);
  });

  it('follows a discriminator path through an element sliced once to the values that slice fixes', () => {
    const v = new Validator(new MemoryResolver(core));
    const component = (code: string, value: number) => ({ code: { coding: [{ system: 'http://loinc.org', code }] }, valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } });
    const bp = {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      subject: { reference: 'Patient/p' },
      effectiveDateTime: '2020-01-01',
      component: [component('8480-6', 120), component('8462-4', 80)],
    };
    const found = v.validateToIssues(bp, { profiles: ['http://hl7.org/fhir/StructureDefinition/bp'] }).filter((i) => i.severity === 'error');
    expect(found.filter((i) => /SystolicBP|DiastolicBP/.test(i.message))).toEqual([]);
  });

  it('reports a choice type the profile excluded as such, not as an unknown property', () => {
    const narrowed = (types: string[]) =>
      constrain('Observation', `http://test.example/value-${types.join('-')}`, (els) => {
        els.find((e) => e.id === 'Observation.value[x]')!.type = types.map((code) => ({ code }));
        els.find((e) => e.id === 'Observation.value[x]')!.min = 1;
      });
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'c' }, valueString: 'x' };
    expect(errorsWith(narrowed(['Quantity']), obs)).toEqual([expect.stringMatching(/^Observation\.value\.ofType\(string\): The profile allows only the type Quantity for Observation\.value\[x\], but found type string$/)]);
    expect(errorsWith(narrowed(['Quantity', 'CodeableConcept']), obs)).toEqual([expect.stringMatching(/^Observation: The type of element valueString is not allowed by the profile: valid types at this point are Quantity, CodeableConcept$/)]);
  });

  it('checks a profiled resource against the profile\'s bindings only, resolving a binding to a value set the profile contains', () => {
    const url = 'http://test.example/StructureDefinition/marital';
    const contained = { resourceType: 'ValueSet', id: 'vs', url: `${url}#vs`, status: 'active', compose: { include: [{ system: 'urn:x', concept: [{ code: 'a' }] }] } };
    const profile = {
      ...constrain('Patient', url, (els) => {
        els.find((e) => e.id === 'Patient.maritalStatus')!.binding = { strength: 'required', valueSet: '#vs' };
      }),
      contained: [contained],
    } as StructureDefinition;
    const checked: string[] = [];
    const terminology: BindingChecker = {
      check: ({ valueSet }) => {
        checked.push(valueSet);
        return [];
      },
    };
    const resolver = new MemoryResolver([...core, profile]);
    const v = new Validator(resolver, { terminology });
    v.validateToIssues({ resourceType: 'Patient', maritalStatus: { coding: [{ system: 'urn:x', code: 'a' }] } }, { profiles: [url] });
    expect(checked).toEqual([`${url}#vs`]);
    expect(resolver.valueSet(`${url}#vs`)).toBe(contained);
  });

  it('reports a datatype profile the element names that cannot be found', () => {
    const profile = constrain('Organization', 'http://test.example/org-unknown-id', (els) => {
      els.find((e) => e.id === 'Organization.identifier')!.type = [{ code: 'Identifier', profile: ['http://nowhere.test/StructureDefinition/id'] }];
    });
    const found = errorsWith(profile, { resourceType: 'Organization', name: 'x', identifier: [{ value: '1' }] });
    expect(found).toEqual([expect.stringMatching(/^Organization\.identifier\[0\]: Unknown profile http:\/\/nowhere\.test\/StructureDefinition\/id/)]);
  });
});
