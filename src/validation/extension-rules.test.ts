/**
 * The extension rules (src/validation/engine/rules/extensions.ts, extension-context.ts, extension-domains.ts,
 * fixed-extensions.ts), each from the R4 specification (extensibility.html, StructureDefinition.context) and
 * the reference validator's InstanceValidator.checkExtension / checkExtensionContext, with definitions and
 * payloads of our own, through the Validator and the validation service.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../index.js';
import { FhirPathInvariantEvaluator } from '../fhirpath/index.js';
import { readCoreR4 } from '../packages/core-r4.js';
import { MemoryResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const core = readCoreR4();
const coreSd = (url: string): StructureDefinition => core.find((r) => r.url === url) as StructureDefinition;
const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const T = 'http://ext.test/StructureDefinition/';

type Context = { type: 'element' | 'extension' | 'fhirpath'; expression: string };

/** A simple (one value type) or complex (sub-extensions) extension definition with a snapshot. */
function extension(name: string, context: Context[], opts: { value?: string[]; subs?: string[]; modifier?: boolean; version?: string; invariants?: string[] } = {}): StructureDefinition {
  const url = `${T}${name}`;
  const base = coreSd(`${CORE}Extension`).snapshot!.element;
  const el = (path: string): ElementDefinition => JSON.parse(JSON.stringify(base.find((e) => e.path === path)));
  const root = { ...el('Extension'), isModifier: opts.modifier === true, ...(opts.modifier ? { isModifierReason: 'test' } : {}) };
  const elements: ElementDefinition[] = [root, el('Extension.id')];
  if (opts.subs) {
    elements.push({ ...el('Extension.extension'), slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } });
    for (const sub of opts.subs) {
      elements.push({ ...el('Extension.extension'), id: `Extension.extension:${sub}`, sliceName: sub, min: 0, max: '1' });
      elements.push({ ...el('Extension.url'), id: `Extension.extension:${sub}.url`, path: 'Extension.extension.url', fixedUri: sub });
      elements.push({ ...el('Extension.value[x]'), id: `Extension.extension:${sub}.value[x]`, path: 'Extension.extension.value[x]', type: [{ code: 'string' }] });
    }
    elements.push({ ...el('Extension.url'), fixedUri: url }, { ...el('Extension.value[x]'), max: '0' });
  } else {
    elements.push({ ...el('Extension.extension'), max: '0' }, { ...el('Extension.url'), fixedUri: url });
    elements.push({ ...el('Extension.value[x]'), min: 1, type: (opts.value ?? ['string']).map((code) => ({ code })) });
  }
  return {
    resourceType: 'StructureDefinition',
    url,
    version: opts.version,
    name,
    status: 'active',
    kind: 'complex-type',
    abstract: false,
    context,
    contextInvariant: opts.invariants,
    type: 'Extension',
    baseDefinition: `${CORE}Extension`,
    derivation: 'constraint',
    snapshot: { element: elements },
  };
}

/** A profile made from a core type's snapshot with some elements changed. */
function profileOf(type: string, url: string, change: (e: ElementDefinition) => ElementDefinition): StructureDefinition {
  const sd = JSON.parse(JSON.stringify(coreSd(`${CORE}${type}`))) as StructureDefinition;
  return { ...sd, id: undefined, url, name: url.split('/').pop()!, derivation: 'constraint', baseDefinition: `${CORE}${type}`, snapshot: { element: sd.snapshot!.element.map(change) } };
}

const definitions: StructureDefinition[] = [
  extension('on-patient', [{ type: 'element', expression: 'Patient' }]),
  extension('on-patient-name', [{ type: 'element', expression: 'Patient.name' }]),
  extension('on-humanname', [{ type: 'element', expression: 'HumanName' }]),
  extension('on-quantity', [{ type: 'element', expression: 'Quantity' }]),
  extension('on-domainresource', [{ type: 'element', expression: 'DomainResource' }, { type: 'element', expression: 'DomainResource.text' }]),
  extension('on-obs-value', [{ type: 'element', expression: 'Observation.value[x]' }]),
  extension('on-item', [{ type: 'element', expression: 'Questionnaire.item' }]),
  extension('on-resource', [{ type: 'element', expression: 'Resource' }]),
  extension('on-element', [{ type: 'element', expression: 'Element' }]),
  extension('parent', [{ type: 'element', expression: 'Patient' }], { subs: ['a', 'b'] }),
  extension('in-parent', [{ type: 'extension', expression: `${T}parent` }]),
  extension('home-address', [{ type: 'fhirpath', expression: "Patient.address.where(use = 'home')" }]),
  extension('inactive-only', [{ type: 'element', expression: 'Patient' }], { invariants: ['active.exists().not() or active = false'] }),
  extension('modifier-on-patient', [{ type: 'element', expression: 'Patient' }], { modifier: true }),
  extension('versioned', [{ type: 'element', expression: 'Patient' }], { version: '1.0.0' }),
  // A definition whose own url holds a '|' (found only by the whole url).
  extension('piped|2', [{ type: 'element', expression: 'Patient' }]),
  extension('by-profile', [{ type: 'element', expression: `${T}active-patient#Patient` }]),
  extension('by-missing-profile', [{ type: 'element', expression: 'http://nowhere.test/StructureDefinition/p#Patient' }]),
  extension('by-other-type-profile', [{ type: 'element', expression: `${T}string-obs#Observation` }]),
  extension('bad-context-type', [{ type: 'resource' as 'element', expression: 'Patient' }]),
  profileOf('Patient', `${T}active-patient`, (e) => (e.path === 'Patient.active' ? { ...e, min: 1 } : e)),
  profileOf('Observation', `${T}string-obs`, (e) => (e.path === 'Observation.value[x]' ? { ...e, type: [{ code: 'string' }] } : e)),
  profileOf('Patient', `${T}modifier-slot-patient`, (e) => (e.path === 'Patient.extension' ? { ...e, isModifier: true, isModifierReason: 'test' } : e)),
  profileOf('Patient', `${T}plain-slot-patient`, (e) => (e.path === 'Patient.modifierExtension' ? { ...e, isModifier: false } : e)),
  profileOf('Patient', `${T}fixed-status`, (e) =>
    e.path === 'Patient.maritalStatus' ? { ...e, fixedCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] } } : e,
  ),
  profileOf('Patient', `${T}fixed-status-ext`, (e) =>
    e.path === 'Patient.maritalStatus' ? { ...e, fixedCodeableConcept: { extension: [{ url: `${T}on-element`, valueString: 'x' }], text: 'married' } } : e,
  ),
];

const validator = new Validator(new MemoryResolver([...core, ...definitions]), { invariants: new FhirPathInvariantEvaluator() });

/** [rule id, severity, location] of every issue except information (and the hint where asked). */
function found(resource: unknown, options: { profiles?: string[]; allowedExtensionDomains?: string[]; hints?: boolean } = {}): string[][] {
  return validator
    .validateToIssues(resource, { profiles: options.profiles, allowedExtensionDomains: options.allowedExtensionDomains })
    .filter((i) => options.hints || i.severity !== 'information')
    .map((i) => [i.rule, i.severity, i.expression]);
}

const ext = (name: string, value: Record<string, unknown> = { valueString: 'x' }) => ({ url: `${T}${name}`, ...value });

describe('extension contexts (Extension_EXTP_Context_Wrong, Extension_EXTM_Context_Wrong)', () => {
  it('matches a resource-type context on that resource only, reported at the element holding the extension', () => {
    expect(found({ resourceType: 'Patient', extension: [ext('on-patient')] })).toEqual([]);
    expect(found({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, extension: [ext('on-patient')] })).toEqual([
      ['Extension_EXTP_Context_Wrong', 'error', 'Observation'],
    ]);
  });

  it('checks resources inside a Bundle and contained resources against their own type', () => {
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, extension: [ext('on-patient')] };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0', resource: { resourceType: 'Patient', extension: [ext('on-patient')] } }, { fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e1', resource: obs }] };
    expect(found(bundle)).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Bundle.entry[1].resource']]);
    const contained = { resourceType: 'Patient', contained: [{ ...obs, id: 'o1' }], generalPractitioner: [{ reference: '#o1' }] };
    expect(found(contained).filter((i) => i[0] === 'Extension_EXTP_Context_Wrong')).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient.contained[0]']]);
  });

  it('matches element paths against the definition path, ignoring indexes', () => {
    expect(found({ resourceType: 'Patient', name: [{ family: 'A' }, { family: 'B', extension: [ext('on-patient-name')] }] })).toEqual([]);
    expect(found({ resourceType: 'Patient', address: [{ city: 'Leeds', extension: [ext('on-patient-name')] }] })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient.address[0]']]);
  });

  it('matches a datatype context wherever that type is used, and base types of the host', () => {
    expect(found({ resourceType: 'Patient', contact: [{ name: { family: 'A', extension: [ext('on-humanname')] } }] })).toEqual([]);
    // Age is a Quantity: a Quantity context admits it (the reference reads the host type's base types).
    expect(found({ resourceType: 'Condition', subject: { reference: 'Patient/1' }, onsetAge: { value: 3, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a', extension: [ext('on-quantity')] } })).toEqual([]);
    expect(found({ resourceType: 'Patient', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>', extension: [ext('on-domainresource')] }, extension: [ext('on-domainresource')] })).toEqual([]);
    expect(found({ resourceType: 'Patient', name: [{ family: 'A', extension: [ext('on-quantity')] }] })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient.name[0]']]);
  });

  it('matches a choice element context on the chosen type, primitive values included', () => {
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'x' } };
    expect(found({ ...obs, valueQuantity: { value: 1, extension: [ext('on-obs-value')] } })).toEqual([]);
    expect(found({ ...obs, valueString: 'a', _valueString: { extension: [ext('on-obs-value')] } })).toEqual([]);
    expect(found({ ...obs, valueString: 'a', _status: { extension: [ext('on-obs-value')] } })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Observation.status']]);
  });

  it('matches an element reached through a content reference as the element it refers to', () => {
    const item = (extra: Record<string, unknown>) => ({ linkId: 'a', type: 'group', ...extra });
    const q = { resourceType: 'Questionnaire', status: 'draft', item: [item({ item: [item({ linkId: 'b', type: 'string', extension: [ext('on-item')] })] })] };
    expect(found(q)).toEqual([]);
    expect(found({ resourceType: 'Questionnaire', status: 'draft', extension: [ext('on-item')] })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Questionnaire']]);
  });

  it('admits Resource contexts on resources and Element contexts anywhere', () => {
    expect(found({ resourceType: 'Patient', extension: [ext('on-resource')], name: [{ extension: [ext('on-element')], family: 'A' }] })).toEqual([]);
    expect(found({ resourceType: 'Patient', name: [{ family: 'A', extension: [ext('on-resource')] }] })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient.name[0]']]);
  });

  it('matches an extension context on the extension holding it', () => {
    const inside = { url: `${T}parent`, extension: [{ url: 'a', valueString: 'x' }, ext('in-parent')] };
    expect(found({ resourceType: 'Patient', extension: [inside] })).toEqual([]);
    expect(found({ resourceType: 'Patient', extension: [ext('in-parent')] })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient']]);
    const elsewhere = { url: 'http://example.org/other', extension: [ext('in-parent')] };
    expect(found({ resourceType: 'Patient', extension: [elsewhere] })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient.extension[0]']]);
  });

  it('evaluates a FHIRPath context on the resource: the host must be among the elements it selects', () => {
    const patient = { resourceType: 'Patient', address: [{ use: 'home', city: 'A', extension: [ext('home-address')] }, { use: 'work', city: 'B', extension: [ext('home-address')] }] };
    expect(found(patient)).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient.address[1]']]);
  });

  it('reports a modifier extension out of its context under its own rule id', () => {
    expect(found({ resourceType: 'Patient', modifierExtension: [ext('modifier-on-patient')] })).toEqual([]);
    expect(found({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, modifierExtension: [ext('modifier-on-patient')] })).toEqual([
      ['Extension_EXTM_Context_Wrong', 'error', 'Observation'],
    ]);
  });

  it('checks context invariants on the host once the context admits it (Profile_EXT_Not_Here)', () => {
    expect(found({ resourceType: 'Patient', active: false, extension: [ext('inactive-only')] })).toEqual([]);
    expect(found({ resourceType: 'Patient', active: true, extension: [ext('inactive-only')] })).toEqual([['Profile_EXT_Not_Here', 'error', 'Patient']]);
  });

  it('checks a profile#path context by validating the resource against the profile', () => {
    expect(found({ resourceType: 'Patient', active: true, extension: [ext('by-profile')] })).toEqual([]);
    expect(found({ resourceType: 'Patient', extension: [ext('by-profile')] })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient']]);
    expect(found({ resourceType: 'Patient', extension: [ext('by-missing-profile')] })).toEqual([
      ['EXTENSION_CONTEXT_UNABLE_TO_FIND_PROFILE', 'error', 'Patient'],
      ['Extension_EXTP_Context_Wrong', 'error', 'Patient'],
    ]);
    expect(found({ resourceType: 'Patient', extension: [ext('by-other-type-profile')] })).toEqual([
      ['EXTENSION_CONTEXT_UNABLE_TO_CHECK_PROFILE', 'warning', 'Patient'],
      ['Extension_EXTP_Context_Wrong', 'error', 'Patient'],
    ]);
  });

  it('reports a context of a type R4 does not have (Unrecognised_extension_context_)', () => {
    expect(found({ resourceType: 'Patient', extension: [ext('bad-context-type')] })).toEqual([['Unrecognised_extension_context_', 'error', 'Patient']]);
  });

  it('bans extensions on Resource.id (FHIR_RESOURCE_ID_CANT_BE_EXTENDED)', () => {
    expect(found({ resourceType: 'Patient', id: 'p1', _id: { extension: [ext('on-element')] } })).toEqual([['FHIR_RESOURCE_ID_CANT_BE_EXTENDED', 'error', 'Patient.id']]);
  });
});

describe('contexts the reference adjusts (fixContexts) and paths where any extension goes', () => {
  const sd = (element: Record<string, unknown>[]) => ({
    resourceType: 'StructureDefinition',
    url: 'http://ext.test/StructureDefinition/p',
    name: 'P',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: `${CORE}Patient`,
    derivation: 'constraint',
    differential: { element },
  });
  const contextErrors = (r: unknown) => found(r).filter((i) => i[0]!.includes('Context_Wrong'));

  it('admits regex on ElementDefinition.type and normative-version anywhere', () => {
    const regex = { url: `${CORE}regex`, valueString: '[a-z]+' };
    const normative = { url: `${CORE}structuredefinition-normative-version`, valueCode: '4.0.0' };
    const element = { id: 'Patient.id', path: 'Patient.id', extension: [normative], type: [{ code: 'id', extension: [regex] }] };
    expect(contextErrors(sd([element]))).toEqual([]);
    expect(contextErrors({ resourceType: 'ValueSet', status: 'draft', extension: [normative] })).toEqual([]);
    // Still a context: regex is no more allowed on a Patient than before.
    expect(contextErrors({ resourceType: 'Patient', extension: [regex] })).toEqual([['Extension_EXTP_Context_Wrong', 'error', 'Patient']]);
  });

  it('admits capabilitystatement-expectation on any element (R4)', () => {
    const cs = {
      resourceType: 'CapabilityStatement',
      status: 'draft',
      date: '2020-01-01',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [{ mode: 'server', resource: [{ type: 'Patient', interaction: [{ code: 'read', extension: [{ url: `${CORE}capabilitystatement-expectation`, valueCode: 'SHALL' }] }] }] }],
    };
    expect(contextErrors(cs)).toEqual([]);
  });

  it('admits any extension in ElementDefinition fixed, pattern and example values', () => {
    const element = { id: 'Patient.gender', path: 'Patient.gender', fixedCode: 'male', _fixedCode: { extension: [ext('on-patient')] } };
    expect(contextErrors(sd([element]))).toEqual([]);
  });
});

describe('extension urls and definitions', () => {
  it('requires a url, absolute outside a complex extension', () => {
    expect(found({ resourceType: 'Patient', extension: [{ valueString: 'x' }] })).toContainEqual(['Extension_EXT_Url_NotFound', 'error', 'Patient.extension[0]']);
    expect(found({ resourceType: 'Patient', extension: [{ url: 'relative', valueString: 'x' }] })).toEqual([['Extension_EXT_URL_Absolute', 'error', 'Patient.extension[0]']]);
    // Sub-extensions are named by relative urls.
    expect(found({ resourceType: 'Patient', extension: [{ url: 'http://example.org/ext', extension: [{ url: 'part', valueString: 'x' }] }] })).toEqual([]);
    // Only under an extension that has a url: without it, or inside a value of the extension, they must be absolute.
    const absolute = (f: string[]) => f[0] === 'Extension_EXT_URL_Absolute';
    expect(found({ resourceType: 'Patient', extension: [{ extension: [{ url: 'part', valueString: 'x' }] }] }).filter(absolute)).toEqual([
      ['Extension_EXT_URL_Absolute', 'error', 'Patient.extension[0].extension[0]'],
    ]);
    const inValue = { url: 'http://example.org/ext', valueCodeableConcept: { extension: [{ url: 'part', valueString: 'x' }], text: 't' } };
    expect(found({ resourceType: 'Patient', extension: [inValue] }).filter(absolute)).toEqual([
      ['Extension_EXT_URL_Absolute', 'error', 'Patient.extension[0].value.ofType(CodeableConcept).extension[0]'],
    ]);
  });

  it('requires sub-extension urls to be ones the definition has (Extension_EXT_SubExtension_Invalid)', () => {
    const bad = { url: `${T}parent`, extension: [{ url: 'a', valueString: 'x' }, { url: 'c', valueString: 'y' }] };
    expect(found({ resourceType: 'Patient', extension: [bad] })).toEqual([['Extension_EXT_SubExtension_Invalid', 'error', 'Patient.extension[0].extension[1]']]);
  });

  it('reports unresolvable extensions unless their domain is allowed (Extension_EXT_Unknown_NotHere, Extension_EXT_Unknown)', () => {
    const patient = (url: string) => ({ resourceType: 'Patient', extension: [{ url, valueString: 'x' }] });
    expect(found(patient('http://unknown.test/ext'))).toEqual([['Extension_EXT_Unknown_NotHere', 'error', 'Patient.extension[0]']]);
    expect(found(patient('http://unknown.test/ext'), { allowedExtensionDomains: ['http://unknown.test/'] })).toEqual([]);
    // Domains the reference always accepts: nema.org (DICOM), HL7 tooling, examples.
    expect(found(patient('http://nema.org/fhir/extensions#0010:1010'))).toEqual([]);
    expect(found(patient('http://hl7.org/fhir/tools/StructureDefinition/anything'))).toEqual([]);
    expect(found(patient('http://example.org/fhir/ext'))).toEqual([]);
    // `any` accepts every extension, with a hint naming the unknown one.
    expect(found(patient('http://unknown.test/ext'), { allowedExtensionDomains: ['any'], hints: true })).toEqual([['Extension_EXT_Unknown', 'information', 'Patient.extension[0]']]);
  });

  it('rejects versions in extension urls (EXT_VER_URL_*)', () => {
    // The url is also not the definition's fixed Extension.url (as the reference reports too).
    expect(found({ resourceType: 'Patient', extension: [{ url: `${T}versioned|1.0.0`, valueString: 'x' }] })).toEqual([
      ['EXT_VER_URL_NOT_ALLOWED', 'error', 'Patient.extension[0]'],
      ['_DT_Fixed_Wrong', 'error', 'Patient.extension[0].url'],
    ]);
    expect(found({ resourceType: 'Patient', extension: [{ url: `${T}versioned|0.9`, valueString: 'x' }] })).toEqual([
      ['EXT_VER_URL_REVERSION', 'error', 'Patient.extension[0]'],
      ['_DT_Fixed_Wrong', 'error', 'Patient.extension[0].url'],
    ]);
    expect(found({ resourceType: 'Patient', extension: [{ url: 'http://unknown.test/ext|2', valueString: 'x' }] })).toEqual([
      ['EXT_VER_URL_NO_MATCH', 'warning', 'Patient.extension[0]'],
      ['Extension_EXT_Unknown_NotHere', 'error', 'Patient.extension[0]'],
    ]);
    // Found only by the whole url: the version is ignored, the extension processed against that definition.
    expect(found({ resourceType: 'Patient', extension: [{ url: `${T}piped|2`, valueString: 'x' }] })).toEqual([['EXT_VER_URL_IGNORE', 'error', 'Patient.extension[0]']]);
    expect(found({ resourceType: 'Patient', extension: [{ url: `${T}piped|2`, valueInteger: 1 }] })).toEqual([
      ['EXT_VER_URL_IGNORE', 'error', 'Patient.extension[0]'],
      ['Extension_EXT_Type', 'error', 'Patient.extension[0]'],
    ]);
  });
});

describe('extension values and modifiers', () => {
  const birthPlace = `${CORE}patient-birthPlace`;

  it('checks the value type against the definition (Extension_EXT_Type)', () => {
    expect(found({ resourceType: 'Patient', extension: [{ url: birthPlace, valueAddress: { city: 'Leeds' } }] })).toEqual([]);
    expect(found({ resourceType: 'Patient', extension: [{ url: birthPlace, valueString: 'Leeds' }] })).toEqual([['Extension_EXT_Type', 'error', 'Patient.extension[0]']]);
  });

  it('takes a value the JSON reader drops for its shape as no value: Extension_EXT_Simple_ABSENT and ext-1', () => {
    const twoPlaces = { resourceType: 'Patient', extension: [{ url: birthPlace, valueAddress: [{ city: 'Leeds' }, { city: 'York' }] }] };
    expect(found(twoPlaces).sort()).toEqual([
      ['Extension_EXT_Simple_ABSENT', 'error', 'Patient.extension[0]'],
      ['Validation_VAL_Profile_Minimum', 'error', 'Patient.extension[0]'],
      [`${CORE}Extension#ext-1`, 'error', 'Patient.extension[0]'],
      ['This_property_must_be__not_', 'error', 'Patient.extension[0].value[x]'],
    ].sort());
    // A primitive value given as an object is dropped too; one given as a number is read as its text.
    expect(found({ resourceType: 'Patient', extension: [{ url: `${T}anything`, valueString: { text: 'x' } }] }).map((f) => f[0])).toContain(`${CORE}Extension#ext-1`);
    expect(found({ resourceType: 'Patient', extension: [{ url: birthPlace, valueAddress: { city: 'Leeds' } }] })).toEqual([]);
  });

  it('requires a value in a simple extension (Extension_EXT_Simple_ABSENT, Extension_EXT_Simple_WRONG)', () => {
    expect(found({ resourceType: 'Patient', extension: [{ url: birthPlace }] })).toContainEqual(['Extension_EXT_Simple_ABSENT', 'error', 'Patient.extension[0]']);
    expect(found({ resourceType: 'Patient', extension: [{ url: birthPlace, extension: [{ url: 'city', valueString: 'Leeds' }] }] })).toContainEqual(
      ['Extension_EXT_Simple_WRONG', 'error', 'Patient.extension[0]'],
    );
  });

  it('requires a value or sub-extensions, not both and not neither (ext-1)', () => {
    const ext1 = 'http://hl7.org/fhir/StructureDefinition/Extension#ext-1';
    expect(found({ resourceType: 'Patient', extension: [{ url: 'http://example.org/empty' }] })).toEqual([[ext1, 'error', 'Patient.extension[0]']]);
    const both = { url: 'http://example.org/both', valueString: 'x', extension: [{ url: 'a', valueString: 'y' }] };
    expect(found({ resourceType: 'Patient', extension: [both] })).toEqual([[ext1, 'error', 'Patient.extension[0]']]);
  });

  it('checks a sub-extension value against its slice in the definition (Extension_PROF_Type)', () => {
    const nationality = { url: `${CORE}patient-nationality`, extension: [{ url: 'code', valueString: 'GB' }] };
    expect(found({ resourceType: 'Patient', extension: [nationality] })).toEqual([['Extension_PROF_Type', 'error', 'Patient.extension[0].extension[0].value.ofType(string)']]);
  });

  it('keeps modifier extensions in modifierExtension and others out of it (Extension_EXT_Modifier_N/Y)', () => {
    expect(found({ resourceType: 'Patient', extension: [ext('modifier-on-patient')] })).toEqual([['Extension_EXT_Modifier_N', 'error', 'Patient.extension[0]']]);
    expect(found({ resourceType: 'Patient', modifierExtension: [ext('on-patient')] })).toEqual([['Extension_EXT_Modifier_Y', 'error', 'Patient.modifierExtension[0]']]);
  });

  it('reports a profile whose extension slot disagrees with its name about being a modifier (Extension_EXT_Modifier_MismatchN/Y)', () => {
    expect(found({ resourceType: 'Patient', extension: [ext('on-patient')] }, { profiles: [`${T}modifier-slot-patient`] })).toContainEqual(
      ['Extension_EXT_Modifier_MismatchN', 'error', 'Patient.extension[0]'],
    );
    expect(found({ resourceType: 'Patient', modifierExtension: [ext('modifier-on-patient')] }, { profiles: [`${T}plain-slot-patient`] })).toContainEqual(
      ['Extension_EXT_Modifier_MismatchY', 'error', 'Patient.modifierExtension[0]'],
    );
  });

  it('reports a value type a profile excluded from an element that is not an extension (Extension_PROF_Type)', () => {
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueBoolean: true };
    expect(found(obs, { profiles: [`${T}string-obs`] })).toEqual([['Extension_PROF_Type', 'error', 'Observation.value.ofType(boolean)']]);
  });
});

describe('extensions on fixed values (Extension_EXT_Fixed_Banned, Extension_EXT_Count_Mismatch, Extension_EXT_Count_NotFound)', () => {
  const married = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] };

  it('bans extensions the fixed value does not have', () => {
    expect(found({ resourceType: 'Patient', maritalStatus: married }, { profiles: [`${T}fixed-status`] })).toEqual([]);
    expect(found({ resourceType: 'Patient', maritalStatus: { ...married, extension: [ext('on-element')] } }, { profiles: [`${T}fixed-status`] })).toEqual([
      ['Extension_EXT_Fixed_Banned', 'error', 'Patient.maritalStatus'],
    ]);
  });

  it('requires the fixed value extensions, found by url', () => {
    const profiles = [`${T}fixed-status-ext`];
    expect(found({ resourceType: 'Patient', maritalStatus: { text: 'married', extension: [ext('on-element')] } }, { profiles })).toEqual([]);
    expect(found({ resourceType: 'Patient', maritalStatus: { text: 'married', extension: [ext('on-element'), ext('on-element')] } }, { profiles })).toEqual([
      ['Extension_EXT_Count_Mismatch', 'error', 'Patient.maritalStatus'],
    ]);
    expect(found({ resourceType: 'Patient', maritalStatus: { text: 'married', extension: [ext('on-resource')] } }, { profiles })).toContainEqual(
      ['Extension_EXT_Count_NotFound', 'error', 'Patient.maritalStatus'],
    );
  });
});

describe('through the validation service (core R4, UK Core, ADS)', () => {
  let service: ValidationService;
  beforeAll(async () => {
    service = await createValidationService();
  }, 120_000);

  const issues = (r: unknown) =>
    (service.validate(r).issue ?? [])
      .filter((i) => i.severity === 'error')
      .map((i) => [i.details?.coding?.find((c) => c.system === 'urn:ads-fhir:rule')?.code, i.expression?.[0]]);

  it('accepts core extensions where their R4 context allows them, and only there', () => {
    const mothers = { url: `${CORE}humanname-mothers-family`, valueString: 'B' };
    expect(issues({ resourceType: 'Patient', name: [{ family: 'A', _family: { extension: [mothers] } }] })).toEqual([]);
    expect(issues({ resourceType: 'Patient', name: [{ family: 'A', extension: [mothers] }] })).toEqual([['Extension_EXTP_Context_Wrong', 'Patient.name[0]']]);
  });

  it('accepts unresolvable nema.org extensions and rejects other unknown domains', () => {
    expect(issues({ resourceType: 'Patient', extension: [{ url: 'http://nema.org/fhir/extensions#0010:1010', valueString: '042Y' }] })).toEqual([]);
    expect(issues({ resourceType: 'Patient', extension: [{ url: 'http://unknown.test/x', valueString: '1' }] })).toEqual([['Extension_EXT_Unknown_NotHere', 'Patient.extension[0]']]);
  });
});
