import { describe, expect, it } from 'vitest';
import { checkStructureDefinition } from './sd-rules.js';

type Obj = Record<string, unknown>;
type Found = { rule: string; severity: string; path: string; message: string };

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const extensionType: Obj = {
  url: `${CORE}Extension`,
  type: 'Extension',
  snapshot: { element: [{ path: 'Extension' }, { path: 'Extension.id' }, { path: 'Extension.extension' }, { path: 'Extension.url' }, { path: 'Extension.value[x]' }] },
};

function check(sd: Obj, known: Obj[] = []): Found[] {
  const found: Found[] = [];
  const byUrl = new Map(known.map((r) => [String(r.url), r]));
  checkStructureDefinition(
    sd,
    'StructureDefinition',
    () => false,
    () => undefined,
    () => undefined,
    (url) => byUrl.get(url),
    (rule, severity, _code, path, message) => found.push({ rule, severity, path, message }),
  );
  return found;
}

describe('StructureDefinition authoring rules', () => {
  const foo: Obj = { url: 'http://example.org/StructureDefinition/Foo', type: 'http://example.org/StructureDefinition/Foo', kind: 'logical' };

  it('rejects a specialisation that keeps its base type and paths that do not start with the type', () => {
    const boo = {
      url: 'http://example.org/StructureDefinition/Boo',
      kind: 'logical',
      type: 'http://example.org/StructureDefinition/Foo',
      baseDefinition: foo.url,
      derivation: 'specialization',
      differential: { element: [{ path: 'Boo' }, { path: 'Boo.b' }] },
    };
    const found = check(boo, [foo]);
    expect(found.map((f) => f.path)).toEqual(['StructureDefinition', 'StructureDefinition.differential.element[0]', 'StructureDefinition.differential.element[1]']);
    expect(found.map((f) => f.rule)).toEqual(['SD_SPECIALIZED_TYPE_MATCHES', 'SD_PATH_TYPE_MISMATCH', 'SD_PATH_TYPE_MISMATCH']);
  });

  it('warns when a logical model type lives outside the namespace of its url', () => {
    const boo = { url: 'http://example.org/StructureDefinition/Boo', kind: 'logical', type: 'http://example2.org/Boo', differential: { element: [{ path: 'Boo' }] } };
    expect(check(boo)).toEqual([expect.objectContaining({ severity: 'warning', path: 'StructureDefinition.type' })]);
    expect(check({ ...boo, type: 'http://example.org/StructureDefinition/Boo' })).toEqual([]);
  });

  it('rejects a slice that redefines its slicing and discriminator paths the sliced element lacks', () => {
    const base: Obj = {
      url: `${CORE}AuditEvent`,
      type: 'AuditEvent',
      snapshot: { element: [{ path: 'AuditEvent' }, { path: 'AuditEvent.agent', type: [{ code: 'BackboneElement' }] }, { path: 'AuditEvent.agent.type' }, { path: 'AuditEvent.agent.extension', type: [{ code: 'Extension' }] }] },
    };
    const profile = {
      url: 'http://example.org/StructureDefinition/audit',
      type: 'AuditEvent',
      baseDefinition: base.url,
      derivation: 'constraint',
      differential: {
        element: [
          { id: 'AuditEvent.agent', path: 'AuditEvent.agent', slicing: { discriminator: [{ type: 'pattern', path: 'type' }], rules: 'open' } },
          { id: 'AuditEvent.agent.extension', path: 'AuditEvent.agent.extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], ordered: false, rules: 'open' } },
          { id: 'AuditEvent.agent.extension:other', path: 'AuditEvent.agent.extension', sliceName: 'other', slicing: { discriminator: [{ type: 'value', path: 'type' }], rules: 'open' }, type: [{ code: 'Extension' }] },
        ],
      },
    };
    const found = check(profile, [base, extensionType]);
    expect(found.map((f) => f.path)).toEqual(['StructureDefinition', 'StructureDefinition.differential.element[2].slicing.discriminator[0]']);
    expect(found.map((f) => f.rule)).toEqual(['ATTEMPT_TO_CHANGE_SLICING', 'SD_PATH_NOT_VALID']);
  });

  it('warns when a slice is not must-support but the element that defines the slicing is', () => {
    const profile = {
      url: 'http://example.org/StructureDefinition/device',
      type: 'Device',
      differential: {
        element: [
          { id: 'Device.identifier', path: 'Device.identifier', mustSupport: true, slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
          { id: 'Device.identifier:imei', path: 'Device.identifier', sliceName: 'imei' },
          { id: 'Device.identifier:serial', path: 'Device.identifier', sliceName: 'serial', mustSupport: true },
        ],
      },
    };
    expect(check(profile)).toEqual([expect.objectContaining({ rule: 'SD_PATH_SLICE_INCONSISTENT_MS', severity: 'warning', path: 'StructureDefinition.differential', message: expect.stringContaining("The slice 'imei'") })]);
  });

  it('reports differentials a snapshot cannot be generated from', () => {
    const rootSliced = { url: 'http://example.org/ext', type: 'Extension', differential: { element: [{ id: 'Extension', path: 'Extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } }] } };
    expect(check(rootSliced).map((f) => f.path)).toEqual(['StructureDefinition.differential.element[0]', 'StructureDefinition']);
    const emptySegment = { url: 'http://example.org/obs', type: 'Observation', differential: { element: [{ path: 'Observation...unit' }] } };
    expect(check(emptySegment)).toEqual([expect.objectContaining({ path: 'StructureDefinition', message: expect.stringContaining("name portion missing ('..')") })]);
    const badDiscriminator = { url: 'http://example.org/p', type: 'Patient', differential: { element: [{ path: 'Patient.identifier', slicing: { discriminator: [{ type: 'expression' }], rules: 'closed' } }] } };
    expect(check(badDiscriminator)).toEqual([expect.objectContaining({ message: expect.stringContaining("Unknown DiscriminatorType code 'expression'") })]);
    const withSnapshot = { ...emptySegment, snapshot: { element: [{ path: 'Observation' }] } };
    expect(check(withSnapshot)).toEqual([]);
  });

  it('reports differential elements out of the base order, and bindings on types that cannot be bound', () => {
    const patient: Obj = { url: `${CORE}Patient`, type: 'Patient', snapshot: { element: [{ path: 'Patient' }, { path: 'Patient.identifier' }, { path: 'Patient.deceased[x]' }, { path: 'Patient.birthDate' }] } };
    const profile = {
      url: 'http://example.org/p',
      type: 'Patient',
      baseDefinition: patient.url,
      derivation: 'constraint',
      differential: { element: [{ id: 'Patient.birthDate', path: 'Patient.birthDate', type: [{ code: 'date' }], binding: { strength: 'required' } }, { id: 'Patient.identifier', path: 'Patient.identifier' }] },
    };
    const found = check(profile, [patient]);
    expect(found.map((f) => f.path)).toEqual(['StructureDefinition.differential.element[0]', 'StructureDefinition.differential.element[0]', 'StructureDefinition']);
    expect(found.map((f) => f.rule)).toEqual(['SD_ILLEGAL_CHARACTERISTICS', 'ADSFHIR_SNAPSHOT_UNMATCHED_ELEMENT', 'ADSFHIR_SNAPSHOT_UNMATCHED_DIFFERENTIAL']);
    const ordered = { ...profile, differential: { element: [{ id: 'Patient.identifier', path: 'Patient.identifier' }, { id: 'Patient.deceased[x]', path: 'Patient.deceasedBoolean' }, { id: 'Patient.birthDate', path: 'Patient.birthDate' }] } };
    expect(check(ordered, [patient])).toEqual([]);
  });

  it('allows an obligation profile only to add obligations over its base', () => {
    const base: Obj = { url: 'http://example.org/base', type: 'Patient', snapshot: { element: [{ id: 'Patient', path: 'Patient' }, { id: 'Patient.birthDate', path: 'Patient.birthDate' }, { id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', binding: { strength: 'extensible' } }] } };
    const profile = {
      url: 'http://example.org/op',
      type: 'Patient',
      baseDefinition: base.url,
      derivation: 'constraint',
      extension: [{ url: `${CORE}obligation-profile`, valueBoolean: true }],
      differential: {
        element: [
          { id: 'Patient.birthDate', path: 'Patient.birthDate', mustSupport: true, extension: [{ url: 'http://hl7.org/fhir/tools/StructureDefinition/obligation' }, { url: 'http://example.org/other' }] },
          { id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', binding: { strength: 'example', description: 'changed' } },
        ],
      },
    };
    expect(check(profile, [base]).map((f) => f.path)).toEqual([
      'StructureDefinition.differential.element[0].extension[1]',
      'StructureDefinition.differential.element[1].binding[0].strength[0]',
      'StructureDefinition.differential.element[1].binding[0].description[0]',
    ]);
    expect(check({ ...profile, extension: [] }, [base])).toEqual([]);
  });

  it('requires inherited obligation profiles to be marked as such and to share the base', () => {
    const flag = { url: `${CORE}obligation-profile`, valueBoolean: true };
    const marked = { url: 'http://example.org/op-a', baseDefinition: `${CORE}Patient`, extension: [flag] };
    const unmarked = { url: 'http://example.org/op-b', baseDefinition: 'http://example.org/base' };
    const sameBase = { url: 'http://example.org/op-c', baseDefinition: 'http://example.org/base', extension: [flag] };
    const inherit = (url: string) => ({ url: `${CORE}inherit-obligations`, valueCanonical: url });
    const sd = { url: 'http://example.org/op', type: 'Patient', baseDefinition: 'http://example.org/base', extension: [inherit(marked.url), inherit(unmarked.url), inherit(sameBase.url)] };
    const base = { resourceType: 'StructureDefinition', url: 'http://example.org/base', type: 'Patient' };
    const found = check(sd, [marked, unmarked, sameBase, base]).filter((f) => f.rule.startsWith('SD_OBGLIGATION_INHERITS'));
    expect(found.map((f) => f.path)).toEqual(['StructureDefinition.extension[0]', 'StructureDefinition.extension[1]']);
    expect(found.map((f) => f.rule)).toEqual(['SD_OBGLIGATION_INHERITS_PROFILE_NOT_RIGHT_BASE', 'SD_OBGLIGATION_INHERITS_PROFILE_NOT_RIGHT_TYPE']);
  });
});
