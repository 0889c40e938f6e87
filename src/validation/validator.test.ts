import { describe, expect, it } from 'vitest';
import type { StructureDefinition } from 'fhir/r4';
import { readCoreR4 } from '../packages/core-r4.js';
import { LocalTerminology, TerminologyBindingChecker } from '../terminology/index.js';
import { MemoryResolver } from './core-resolver.js';
import type { InvariantEvaluator } from '../plugin-types/index.js';
import { isValid, Validator } from './validator.js';

const core = readCoreR4();
const validator = new Validator(new MemoryResolver(core));
const errors = (input: unknown, profiles?: string[]) =>
  validator.validateToIssues(input, { profiles }).filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('Validator against core R4', () => {
  it('accepts a valid patient', () => {
    const out = validator.validate({ resourceType: 'Patient', id: 'p1', name: [{ family: 'Smith', given: ['A'] }], birthDate: '1980-02-29' });
    expect(isValid(out)).toBe(true);
  });

  it('reports unknown elements, JSON types, formats and impossible dates with locations', () => {
    const found = errors({ resourceType: 'Patient', foo: 1, active: 'yes', birthDate: '2021-02-29', name: { family: 'x' } });
    // A string where a boolean belongs is a JSON error, and its text is then checked as a boolean, as the reference reads it.
    expect(found.map((i) => i.expression).sort()).toEqual(['Patient', 'Patient.active', 'Patient.active', 'Patient.birthDate', 'Patient.name']);
  });

  it('checks cardinality, choice types and empty values', () => {
    const found = errors({ resourceType: 'Observation', valueString: '', valueBoolean: true, code: {}, category: [] });
    expect(found.map((i) => `${i.rule} ${i.expression}`).sort()).toEqual([
      'ARRAY_CANNOT_BE_EMPTY Observation.category',
      'Object_must_have_some_content Observation.code',
      'Type_Specific_Checks_DT_Primitive_NotEmpty Observation.value.ofType(string)',
      // The JSON reader takes the first type of a choice and knows no property for the second.
      'Unrecognised_property_ Observation',
      'Validation_VAL_Profile_Minimum Observation',
      // An empty string is no value, so the element has neither a value nor children.
      'http://hl7.org/fhir/StructureDefinition/Element#ele-1 Observation.value.ofType(string)',
    ]);
  });

  it('validates _x primitive extensions and unknown extensions', () => {
    const found = errors({ resourceType: 'Patient', _birthDate: { extension: [{ url: 'http://unknown.test/ext', valueString: 'x' }], foo: 1 } });
    expect(found.map((i) => i.expression)).toEqual(expect.arrayContaining(['Patient.birthDate', 'Patient.birthDate.extension[0]']));
  });

  it('reports a primitive with only an id as empty (ele-1), but not one with an extension', () => {
    const empty = errors({ resourceType: 'Patient', _implicitRules: { id: 'i1' } });
    expect(empty.map((i) => `${i.expression}: ${i.rule}`)).toEqual(['Patient.implicitRules: http://hl7.org/fhir/StructureDefinition/Element#ele-1']);
    const extended = errors({ resourceType: 'Patient', _birthDate: { id: 'b', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1980-02-29T10:00:00Z' }] } });
    expect(extended.filter((i) => i.rule.endsWith('#ele-1'))).toEqual([]);
  });

  it('accepts unseen HL7 extensions, but not core spellings of flags HL7 publishes only as tooling extensions', () => {
    const withExtension = (url: string) => errors({ resourceType: 'Patient', extension: [{ url, valueBoolean: true }] });
    expect(withExtension('http://hl7.org/fhir/StructureDefinition/some-extension-pack-extension')).toEqual([]);
    expect(withExtension('http://hl7.org/fhir/StructureDefinition/obligation-profile').map((i) => i.rule)).toEqual(['Extension_EXT_Unknown_NotHere']);
  });

  it('validates known extensions against their definition and context', () => {
    const ok = errors({ resourceType: 'Patient', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'Leeds' } }] });
    expect(ok).toEqual([]);
    const bad = errors({ resourceType: 'Patient', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueString: 'Leeds' }] });
    // valueString is not one of the definition's value types (Address): the reference reports the extension's type rule only.
    expect(bad.map((i) => `${i.rule} ${i.expression}`)).toEqual(['Extension_EXT_Type Patient.extension[0]']);
  });

  it('checks references inside bundles and to contained resources, with target types', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: { resourceType: 'Practitioner', id: 'x' } },
        {
          fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222',
          resource: { resourceType: 'Observation', status: 'final', code: { text: 't' }, subject: { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' }, performer: [{ reference: 'urn:uuid:33333333-3333-4333-8333-333333333333' }] },
        },
      ],
    };
    // A Practitioner is no subject of an Observation; a urn: reference to no entry has no meaning (a warning).
    const found = validator.validateToIssues(bundle).filter((i) => i.severity !== 'information').map((i) => `${i.severity} ${i.rule} ${i.expression}`);
    expect(found).toEqual([
      'error Reference_REF_BadTargetType Bundle.entry[1].resource.subject',
      'warning Bundle_BUNDLE_Not_Local Bundle.entry[1].resource.performer[0]',
    ]);
    const contained = errors({ resourceType: 'Observation', status: 'final', code: { text: 't' }, contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#q' } });
    expect(contained.map((i) => `${i.rule} ${i.expression}`).sort()).toEqual([
      'CONTAINED_ORPHAN_DOM3 Observation.contained[0]',
      'Reference_REF_CantResolve Observation.subject',
      'http://hl7.org/fhir/StructureDefinition/Reference#ref-1 Observation.subject',
    ].sort());
  });

  it('applies explicit and meta.profile profiles, reporting ones that do not resolve', () => {
    const found = validator.validateToIssues({ resourceType: 'Observation', status: 'final', code: { text: 't' } }, { profiles: ['http://hl7.org/fhir/StructureDefinition/vitalsigns'] });
    expect(found.some((i) => i.severity === 'error' && i.message.includes('Observation.category'))).toBe(true);
    const missing = validator.validateToIssues({ resourceType: 'Patient' }, { profiles: ['http://nowhere.test/p'] });
    expect(missing[0]?.code).toBe('not-found');
  });

  it('slices with value discriminators, closed rules and slice cardinality', () => {
    const profile = slicedProfile();
    const v = new Validator(new MemoryResolver([...core, profile]));
    const okIssues = v.validateToIssues({ resourceType: 'Patient', identifier: [{ system: 'urn:a', value: '1' }] }, { profiles: [profile.url] });
    expect(okIssues.filter((i) => i.severity === 'error')).toEqual([]);
    const bad = v.validateToIssues({ resourceType: 'Patient', identifier: [{ system: 'urn:b', value: '1' }] }, { profiles: [profile.url] });
    expect(bad.filter((i) => i.severity === 'error').map((i) => `${i.rule} ${i.expression}`)).toEqual([
      'Validation_VAL_Profile_NotSlice Patient.identifier[0]',
      'Validation_VAL_Profile_Minimum_SLICE Patient',
    ]);
  });

  it('passes non-core constraints to the InvariantEvaluator with their context', () => {
    const seen: string[] = [];
    const invariants: InvariantEvaluator = {
      evaluate: (a) => {
        seen.push(`${a.key}@${a.path}`);
        return a.key === 'pat-1' ? [{ rule: a.rule ?? a.key, severity: 'error', code: 'invariant', message: 'pat-1 failed', expression: a.path }] : [];
      },
    };
    const found = validator.validateToIssues({ resourceType: 'Patient', contact: [{ gender: 'male' }] }, { invariants });
    expect(seen).toContain('pat-1@Patient.contact[0]');
    expect(seen.some((s) => s.startsWith('ele-1'))).toBe(false);
    // The rule id of an invariant is `<source>#<key>`, as the reference validator reports it.
    expect(found.filter((i) => i.rule === 'http://hl7.org/fhir/StructureDefinition/Patient#pat-1').map((i) => i.expression)).toEqual(['Patient.contact[0]']);
    seen.length = 0;
    validator.validateToIssues({ resourceType: 'Observation', status: 'final', code: { text: 'x' } }, { invariants });
    expect(seen).toContain('obs-6@Observation');
  });

  it('skips a prepared constraint on a node without the keys it reads, and asks evaluate for the issues when its check fails', () => {
    const ran: string[] = [];
    // Timing.repeat carries ten constraints (tim-1...): here tim-1 reads `duration` and fails, the others read `period`.
    const invariants: InvariantEvaluator = {
      prepare: (key) => {
        if (!key.startsWith('tim-')) return undefined;
        return Object.assign(() => (ran.push(`check ${key}`), key !== 'tim-1'), { holdsWithout: key === 'tim-1' ? ['duration'] : ['period'] });
      },
      evaluate: (a) => {
        if (a.key.startsWith('tim-')) ran.push(`evaluate ${a.key}`);
        return a.key === 'tim-1' ? [{ rule: a.rule ?? a.key, severity: 'error', code: 'invariant', message: 'tim-1 failed', expression: a.path }] : [];
      },
    };
    const request = (repeat: object) => ({ resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/1' }, occurrenceTiming: { repeat } });
    expect(validator.validateToIssues(request({ frequency: 1 }), { invariants }).filter((i) => i.rule.endsWith('#tim-1'))).toEqual([]);
    expect(ran).toEqual([]);
    const found = validator.validateToIssues(request({ frequency: 1, duration: 5 }), { invariants });
    expect(ran).toEqual(['check tim-1', 'evaluate tim-1']);
    expect(found.filter((i) => i.rule.endsWith('#tim-1')).map((i) => i.expression)).toEqual(['ServiceRequest.occurrence.ofType(Timing).repeat']);
  });

  it('gives line and column for JSON text input', () => {
    const found = validator.validateToIssues('{\n  "resourceType": "Patient",\n  "active": "no"\n}');
    expect(found[0]).toMatchObject({ expression: 'Patient.active', line: 3, column: 3 });
  });
});

function slicedProfile(): StructureDefinition {
  const base = core.find((r) => r.resourceType === 'StructureDefinition' && r.url === 'http://hl7.org/fhir/StructureDefinition/Patient') as StructureDefinition;
  const elements = structuredClone(base.snapshot!.element);
  const idx = elements.findIndex((e) => e.id === 'Patient.identifier');
  const sliced = elements[idx]!;
  sliced.slicing = { discriminator: [{ type: 'value', path: 'system' }], rules: 'closed' };
  const slice = { ...structuredClone(sliced), id: 'Patient.identifier:a', sliceName: 'a', min: 1, max: '1', slicing: undefined };
  const identifier = core.find((r) => r.resourceType === 'StructureDefinition' && r.url === 'http://hl7.org/fhir/StructureDefinition/Identifier') as StructureDefinition;
  const children = identifier.snapshot!.element.slice(1).map((e) => ({
    ...structuredClone(e),
    id: e.id!.replace('Identifier.', 'Patient.identifier:a.'),
    path: e.path.replace('Identifier.', 'Patient.identifier.'),
    ...(e.path === 'Identifier.system' ? { fixedUri: 'urn:a' } : {}),
  }));
  elements.splice(idx + 1, 0, slice, ...children);
  return { ...base, url: 'http://test.example/sliced-patient', derivation: 'constraint', snapshot: { element: elements } };
}

describe('Validator required code bindings', () => {
  it('reports a required code given only as extensions (no code at all)', () => {
    const resolver = new MemoryResolver(core);
    const v = new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)) });
    const absent = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    const found = v.validateToIssues({ resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p' }, _category: [absent] }).filter((i) => i.severity === 'error');
    expect(found.map((i) => `${i.expression}: ${i.message}`)).toEqual([expect.stringMatching(/^AllergyIntolerance\.category\[0\]: No code provided, and a code is required from the value set/)]);
  });
});

describe('Validator bundle and extension rules', () => {
  it('reports document entries not linked to the Composition', () => {
    const doc = {
      resourceType: 'Bundle',
      type: 'document',
      identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0f6f0b4c-5d1e-4c3a-9b7e-111111111111' },
      timestamp: '2024-05-01T10:00:00Z',
      entry: [
        {
          fullUrl: 'urn:uuid:aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
          resource: { resourceType: 'Composition', status: 'final', type: { text: 'x' }, date: '2024-05-01', author: [{ reference: 'urn:uuid:bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' }], title: 't' },
        },
        { fullUrl: 'urn:uuid:bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', resource: { resourceType: 'Practitioner' } },
        { fullUrl: 'urn:uuid:cccccccc-cccc-4ccc-8ccc-cccccccccccc', resource: { resourceType: 'Patient' } },
      ],
    };
    expect(errors(doc).map((i) => i.expression)).toEqual(['Bundle.entry[2]']);
  });

  it('resolves document stylesheet links in the bundle and warns about external or insecure ones', () => {
    const doc = {
      resourceType: 'Bundle',
      type: 'document',
      identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0f6f0b4c-5d1e-4c3a-9b7e-111111111111' },
      timestamp: '2024-05-01T10:00:00Z',
      link: [
        { relation: 'stylesheet', url: 'Binary/css' },
        { relation: 'stylesheet', url: 'Binary/missing' },
        { relation: 'stylesheet', url: 'https://hl7.org/fhir/fhir.css' },
        { relation: 'stylesheet', url: 'http://example.org/site.css' },
      ],
      entry: [
        { fullUrl: 'http://example.org/fhir/Composition/c1', resource: { resourceType: 'Composition', id: 'c1', status: 'final', type: { text: 'x' }, date: '2024-05-01', author: [{ display: 'A' }], title: 't' } },
        { fullUrl: 'http://example.org/fhir/Binary/css', resource: { resourceType: 'Binary', id: 'css', contentType: 'text/css' } },
      ],
    };
    const issues = validator.validateToIssues(doc).filter((i) => i.severity !== 'information');
    expect(issues.map((i) => `${i.severity} ${i.expression}`).sort()).toEqual(['error Bundle.link[1].url', 'warning Bundle.link[3].url', 'warning Bundle.link[3].url']);
  });

  it('does not resolve a relative reference that two entries match by type and id only', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:30551ce1-5a28-4356-b684-1e639094ad4d', resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/123' } } },
        { fullUrl: 'urn:uuid:2b90dd2b-2dab-4c75-9bb9-a355e07401e8', resource: { resourceType: 'Patient', id: '123' } },
        { fullUrl: 'urn:uuid:f5452d76-3d4e-4cd0-9fc0-1ac3623e5cbf', resource: { resourceType: 'Patient', id: '123' } },
      ],
    };
    const issues = validator.validateToIssues(bundle).filter((i) => i.expression === 'Bundle.entry[0].resource.subject');
    // Against a urn:uuid base, Patient/123 means urn:uuid:123: neither entry is that, both match by type and id.
    expect(issues.map((i) => `${i.severity} ${i.rule}`)).toEqual([
      'warning BUNDLE_POSSSIBLE_MATCHES',
      'warning BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU',
      'warning BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU',
    ]);
    const single = { ...bundle, entry: bundle.entry.slice(0, 2) };
    expect(validator.validateToIssues(single).filter((i) => i.expression === 'Bundle.entry[0].resource.subject').map((i) => i.rule)).toEqual(['BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU']);
  });

  it('requires search matches to have ids and the type searched for', () => {
    const bundle = (resource: Record<string, unknown>) => ({
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'self', url: 'http://example.org/fhir/Patient?name=test' }],
      entry: [{ fullUrl: 'http://example.org/fhir/x', search: { mode: 'match' }, resource }],
    });
    const rules = (r: Record<string, unknown>) => errors(bundle(r)).map((i) => `${i.rule} ${i.expression}`);
    expect(rules({ resourceType: 'Patient', id: 'x' })).toEqual([]);
    expect(rules({ resourceType: 'Patient' })).toEqual(['BUNDLE_SEARCH_ENTRY_NO_RESOURCE_ID Bundle.entry[0].resource']);
    expect(rules({ resourceType: 'Immunization', id: 'x', status: 'completed', vaccineCode: { text: 'v' }, patient: { reference: 'Patient/p' }, occurrenceDateTime: '2024-01-01' })).toEqual([
      'BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_MODE Bundle.entry[0].resource',
    ]);
  });

  it('warns about relative references that do not read Type/id[/_history/version] when told to trust RESTful references', () => {
    const warned = (reference: string, assumeValidRestReferences = true) =>
      validator
        .validateToIssues({ resourceType: 'List', status: 'current', mode: 'working', entry: [{ item: { reference } }] }, { assumeValidRestReferences })
        .filter((i) => i.severity === 'warning' && i.rule === 'REFERENCE_REF_SUSPICIOUS').length;
    expect(warned('XXX/_history/1')).toBe(1);
    expect(warned('Patient/_history/1')).toBe(1);
    expect(warned('Patient/1/_history/2')).toBe(0);
    expect(warned('Patient?identifier=x')).toBe(1);
    expect(warned('http://example.org/fhir/Patient/1')).toBe(0);
    expect(warned('XXX/_history/1', false)).toBe(0);
  });

  it('checks an extension against its context', () => {
    // patient-birthPlace is defined for Patient only.
    const found = errors({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'Leeds' } }] });
    expect(found.map((i) => `${i.rule} ${i.expression}`)).toEqual(['Extension_EXTP_Context_Wrong Observation']);
  });
});

describe('Validator modifier extensions', () => {
  it('keeps modifier and ordinary extensions in their own slots', () => {
    const ext = { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'Leeds' } };
    const found = errors({ resourceType: 'Patient', modifierExtension: [ext] });
    expect(found.filter((i) => i.rule === 'Extension_EXT_Modifier_Y').map((i) => i.expression)).toEqual(['Patient.modifierExtension[0]']);
  });
});

describe('StructureDefinition.type binding', () => {
  const warnEverywhere = { check: (a: { path: string }) => [{ rule: 'Terminology_TX_NoValid_17', severity: 'warning' as const, code: 'code-invalid', expression: a.path, message: 'not in the value set' }] };
  const typeWarnings = (kind: string) =>
    validator
      .validateToIssues(
        { resourceType: 'StructureDefinition', url: 'http://example.org/StructureDefinition/Boo', name: 'Boo', status: 'draft', kind, abstract: false, type: 'http://example.org/StructureDefinition/Boo' },
        { terminology: warnEverywhere },
      )
      .filter((i) => i.expression === 'StructureDefinition.type' && i.rule === 'Terminology_TX_NoValid_17');

  it('is not checked for a logical model, whose type is a name of its own', () => {
    expect(typeWarnings('logical')).toEqual([]);
    expect(typeWarnings('resource')).toHaveLength(1);
  });
});
