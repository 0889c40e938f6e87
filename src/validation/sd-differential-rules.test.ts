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

  it('checks discriminator paths against the sliced element and slicing restated differently by a slice', () => {
    const found = errorsOf(
      [
        { id: 'AuditEvent.agent', path: 'AuditEvent.agent', slicing: { discriminator: [{ type: 'pattern', path: 'type' }], rules: 'open' } },
        { id: 'AuditEvent.agent.extension', path: 'AuditEvent.agent.extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], ordered: false, rules: 'open' } },
        { id: 'AuditEvent.agent.extension:other', path: 'AuditEvent.agent.extension', sliceName: 'other', slicing: { discriminator: [{ type: 'value', path: 'type' }], rules: 'open' } },
      ],
      'AuditEvent',
    );
    expect(found).toEqual([
      expect.stringMatching(/^StructureDefinition: The element at AuditEvent\.agent\.extension defines the slicing unordered\/open \[value=url\] but then an element in the slicing AuditEvent\.agent\.extension:other tries to redefine the slicing to \?\?\/open \[value=type\]$/),
      "StructureDefinition.differential.element[2].slicing.discriminator[0]: The discriminator path 'type' does not appear to be valid for the element that is being sliced 'AuditEvent.agent.extension'",
    ]);
  });

  it('does not blame the differential for a definition that is not loaded', () => {
    const found = errorsOf([{ id: 'Patient.extension:x', path: 'Patient.extension', sliceName: 'x', type: [{ code: 'Extension', profile: ['http://nowhere.test/ext'] }] }, { id: 'Patient.extension:x.value[x]', path: 'Patient.extension.value[x]', min: 1 }]);
    expect(found.filter((m) => m.includes('Snapshot'))).toEqual([]);
  });

  it('checks that element paths start with the defined type and a specialisation does not reuse its base type', () => {
    const logical = (type: string, paths: string[]) => ({
      resourceType: 'StructureDefinition',
      url: 'http://test.example/StructureDefinition/Boo',
      name: 'Boo',
      status: 'draft',
      kind: 'logical',
      abstract: false,
      type,
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Element',
      derivation: 'specialization',
      snapshot: { element: paths.map((p) => ({ id: p, path: p, min: 0, max: '1', definition: 'd' })) },
    });
    const issues = (sd: unknown) => validator.validateToIssues(sd).filter((i) => i.severity !== 'information').map((i) => `${i.severity} ${i.expression}: ${i.message}`);
    expect(issues(logical('http://test.example/StructureDefinition/Boo', ['Boo', 'Boo.a']))).toEqual([]);
    expect(issues(logical('http://test.example/StructureDefinition/Foo', ['Boo', 'Foo.a']))).toEqual(['error StructureDefinition.snapshot.element[0]: The path Boo must start with the type of the structure Foo']);
    expect(issues(logical('http://other.test/Boo', ['Boo']))).toEqual([expect.stringMatching(/^warning StructureDefinition\.type: The type namespace of http:\/\/other\.test\/Boo SHOULD match/)]);
    expect(issues({ ...logical('Element', ['Element']), kind: 'complex-type' })).toEqual(expect.arrayContaining([expect.stringMatching(/must not be the same as the type in the base structure/)]));
  });

  it('warns about a slice of a must-support element that is not must-support itself', () => {
    const sd = {
      resourceType: 'StructureDefinition',
      url: 'http://test.example/StructureDefinition/d',
      name: 'D',
      status: 'draft',
      kind: 'resource',
      abstract: false,
      type: 'Device',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Device',
      derivation: 'constraint',
      differential: {
        element: [
          { id: 'Device.identifier', path: 'Device.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' }, mustSupport: true },
          { id: 'Device.identifier:imei', path: 'Device.identifier', sliceName: 'imei', max: '1' },
          { id: 'Device.identifier:serial', path: 'Device.identifier', sliceName: 'serial', max: '1', mustSupport: true },
        ],
      },
    };
    const found = validator.validateToIssues(sd).filter((i) => i.severity === 'warning');
    expect(found.map((i) => `${i.expression}: ${i.message}`)).toEqual([expect.stringMatching(/^StructureDefinition\.differential: The slice 'imei' on path 'Device\.identifier' is not marked as 'must-support'/)]);
  });

  it('inherits obligations only from obligation profiles on the same base', () => {
    const base = 'http://test.example/StructureDefinition/base';
    const sd = (url: string, baseDefinition: string, extension: unknown[] = []) => ({
      resourceType: 'StructureDefinition',
      url,
      name: 'P',
      status: 'draft',
      kind: 'resource',
      abstract: false,
      type: 'Patient',
      baseDefinition,
      derivation: 'constraint',
      extension,
      differential: { element: [{ id: 'Patient', path: 'Patient' }] },
    });
    const marked = [{ url: 'http://hl7.org/fhir/StructureDefinition/obligation-profile', valueBoolean: true }];
    const resources = [
      sd(base, 'http://hl7.org/fhir/StructureDefinition/Patient'),
      sd('http://test.example/StructureDefinition/ok', base, marked),
      sd('http://test.example/StructureDefinition/unmarked', base),
      sd('http://test.example/StructureDefinition/elsewhere', 'http://hl7.org/fhir/StructureDefinition/Patient', marked),
    ];
    const v = new Validator(new MemoryResolver([...readCoreR4(), ...(resources as never[])]));
    const inherit = (canonical: string) => ({ url: 'http://hl7.org/fhir/StructureDefinition/inherit-obligations', valueCanonical: canonical });
    const found = v
      .validateToIssues(sd('http://test.example/StructureDefinition/me', base, [inherit('http://test.example/StructureDefinition/ok'), inherit('http://test.example/StructureDefinition/unmarked'), inherit('http://test.example/StructureDefinition/elsewhere')]))
      .filter((i) => i.severity === 'error' && i.expression.startsWith('StructureDefinition.extension'))
      .map((i) => `${i.expression}: ${i.message}`);
    expect(found).toEqual([
      "StructureDefinition.extension[1]: The profile 'http://test.example/StructureDefinition/unmarked' is not marked as an obligation profile",
      `StructureDefinition.extension[2]: The profile 'http://test.example/StructureDefinition/elsewhere' has a different base 'http://hl7.org/fhir/StructureDefinition/Patient' from that expected '${base}'`,
    ]);
  });
});
