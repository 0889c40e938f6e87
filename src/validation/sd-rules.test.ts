import { describe, expect, it } from 'vitest';
import { checkStructureDefinition } from './sd-rules.js';

type Obj = Record<string, unknown>;
type Found = { severity: string; path: string; message: string };

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
    (severity, _code, path, message) => found.push({ severity, path, message }),
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
    expect(found[1]?.message).toContain('must start with the type of the structure Foo');
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
    expect(found[0]?.message).toContain('defines the slicing unordered/open [value=url]');
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
    expect(check(profile)).toEqual([expect.objectContaining({ severity: 'warning', path: 'StructureDefinition.differential', message: expect.stringContaining("The slice 'imei'") })]);
  });

  it('requires inherited obligation profiles to be marked as such and to share the base', () => {
    const flag = { url: `${CORE}obligation-profile`, valueBoolean: true };
    const marked = { url: 'http://example.org/op-a', baseDefinition: `${CORE}Patient`, extension: [flag] };
    const unmarked = { url: 'http://example.org/op-b', baseDefinition: 'http://example.org/base' };
    const sameBase = { url: 'http://example.org/op-c', baseDefinition: 'http://example.org/base', extension: [flag] };
    const inherit = (url: string) => ({ url: `${CORE}inherit-obligations`, valueCanonical: url });
    const sd = { url: 'http://example.org/op', type: 'Patient', baseDefinition: 'http://example.org/base', extension: [inherit(marked.url), inherit(unmarked.url), inherit(sameBase.url)] };
    const found = check(sd, [marked, unmarked, sameBase]);
    expect(found.map((f) => f.path)).toEqual(['StructureDefinition.extension[0]', 'StructureDefinition.extension[1]']);
    expect(found[0]?.message).toContain('has a different base');
    expect(found[1]?.message).toContain('is not marked as an obligation profile');
  });
});
