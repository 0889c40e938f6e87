import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PackageStore } from '../store.js';
import { profile, simpleExtension, tempDir, testCacheDir, repoRoot, writePackageFolder } from '../test-fixtures.js';

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const EXT = 'http://example.org/StructureDefinition/ext-code';
const P = 'http://example.org/StructureDefinition/obs';

function byId(sd: StructureDefinition | undefined, id: string): ElementDefinition | undefined {
  return sd?.snapshot?.element.find((e) => e.id === id);
}

describe('snapshot generation', () => {
  let store: PackageStore;
  beforeAll(async () => {
    const dir = writePackageFolder(tempDir(), { name: 'example.snap', version: '1.0.0' }, {
      'ext.json': simpleExtension(EXT, 'code', {
        differential: {
          element: [
            { id: 'Extension', path: 'Extension', max: '1' },
            { id: 'Extension.url', path: 'Extension.url', fixedUri: EXT },
            { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'code' }], binding: { strength: 'required', valueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender' } },
          ],
        },
      }),
      'obs.json': profile(P, 'Observation', `${CORE}Observation`, [
        { id: 'Observation.extension:kind', path: 'Observation.extension', sliceName: 'kind', min: 1, type: [{ code: 'Extension', profile: [EXT] }] },
        { id: 'Observation.extension:kind.value[x]', path: 'Observation.extension.value[x]', fixedCode: 'male' },
        { id: 'Observation.identifier', path: 'Observation.identifier', slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' } },
        { id: 'Observation.identifier:local', path: 'Observation.identifier', sliceName: 'local', max: '1' },
        { id: 'Observation.identifier:local.system', path: 'Observation.identifier.system', min: 1, fixedUri: 'urn:local' },
        { id: 'Observation.identifier:local/strict', path: 'Observation.identifier', sliceName: 'local/strict' },
        { id: 'Observation.identifier:local/strict.value', path: 'Observation.identifier.value', min: 1 },
        { id: 'Observation.subject', path: 'Observation.subject', type: [{ code: 'Reference', targetProfile: [`${CORE}Patient`] }] },
        { id: 'Observation.valueQuantity', path: 'Observation.valueQuantity', min: 1 },
        { id: 'Observation.valueQuantity.system', path: 'Observation.valueQuantity.system', fixedUri: 'http://unitsofmeasure.org' },
        { id: 'Observation.component.referenceRange.low', path: 'Observation.component.referenceRange.low', min: 1 },
        {
          id: 'Observation.status',
          path: 'Observation.status',
          constraint: [{ key: 'ex-1', severity: 'error', human: 'final only', expression: "$this = 'final'" }],
        },
      ]),
    });
    store = await PackageStore.create({ ukCore: false, packages: [dir], cacheDir: testCacheDir, useFhirPackageCache: false });
  });

  it('takes an extension slice\'s children from the extension definition', () => {
    const sd = store.structureDefinition(P);
    expect(byId(sd, 'Observation.extension:kind')?.min).toBe(1);
    expect(byId(sd, 'Observation.extension:kind.url')?.fixedUri).toBe(EXT);
    const value = byId(sd, 'Observation.extension:kind.value[x]');
    expect(value?.type?.map((t) => t.code)).toEqual(['code']);
    expect(value?.binding?.valueSet).toBe('http://hl7.org/fhir/ValueSet/administrative-gender');
    expect(value?.fixedCode).toBe('male');
  });

  it('unfolds datatypes under slices and re-slices', () => {
    const sd = store.structureDefinition(P);
    expect(byId(sd, 'Observation.identifier')?.slicing?.discriminator?.[0]?.path).toBe('system');
    expect(byId(sd, 'Observation.identifier:local')?.max).toBe('1');
    expect(byId(sd, 'Observation.identifier:local.system')).toMatchObject({ path: 'Observation.identifier.system', min: 1, fixedUri: 'urn:local' });
    expect(byId(sd, 'Observation.identifier:local.value')?.min).toBe(0);
    // a re-slice starts from its parent slice
    expect(byId(sd, 'Observation.identifier:local/strict.system')?.fixedUri).toBe('urn:local');
    expect(byId(sd, 'Observation.identifier:local/strict.value')?.min).toBe(1);
    // order: element, its children, then its slices
    const ids = sd?.snapshot?.element.map((e) => e.id) ?? [];
    expect(ids.indexOf('Observation.identifier:local')).toBeGreaterThan(ids.indexOf('Observation.identifier.period'));
    expect(ids.indexOf('Observation.identifier:local/strict')).toBeGreaterThan(ids.indexOf('Observation.identifier:local.assigner'));
  });

  it('renames choice types and follows content references', () => {
    const sd = store.structureDefinition(P);
    expect(byId(sd, 'Observation.value[x]')?.type?.map((t) => t.code)).toEqual(['Quantity']);
    expect(byId(sd, 'Observation.value[x]:valueQuantity.system')?.fixedUri).toBe('http://unitsofmeasure.org');
    expect(byId(sd, 'Observation.subject')?.type?.[0]?.targetProfile).toEqual([`${CORE}Patient`]);
    expect(byId(sd, 'Observation.component.referenceRange.low')?.min).toBe(1);
    expect(byId(sd, 'Observation.component.referenceRange.high')?.path).toBe('Observation.component.referenceRange.high');
    const unfolded = byId(sd, 'Observation.component.referenceRange');
    expect(unfolded?.contentReference).toBeUndefined();
    expect(unfolded?.type?.map((t) => t.code)).toEqual(['BackboneElement']);
    expect(byId(sd, 'Observation.hasMember')).toEqual(byId(store.structureDefinition('Observation'), 'Observation.hasMember'));
  });

  it('adds constraints to the inherited ones', () => {
    const keys = byId(store.structureDefinition(P), 'Observation.status')?.constraint?.map((c) => c.key) ?? [];
    expect(keys).toContain('ele-1');
    expect(keys).toContain('ex-1');
  });

  it('inherits everything the differential leaves alone', () => {
    const sd = store.structureDefinition(P);
    const core = store.structureDefinition('Observation');
    for (const id of ['Observation.code', 'Observation.effective[x]', 'Observation.component.code']) {
      expect(byId(sd, id)).toEqual(byId(core, id));
    }
  });
});

describe('snapshot generation, less common differentials', () => {
  it('handles several renamed choice types, reaching into a choice through its one complex type with that child, and logical models', async () => {
    const M = 'http://example.org/StructureDefinition/Model';
    const dir = writePackageFolder(tempDir(), { name: 'example.rare', version: '1.0.0' }, {
      'max.json': profile('http://example.org/StructureDefinition/max', 'Observation', `${CORE}Observation`, [
        { path: 'Observation.value[x].value', maxValueDecimal: 100 },
      ]),
      'two.json': profile('http://example.org/StructureDefinition/two', 'Observation', `${CORE}Observation`, [
        { id: 'Observation.valueQuantity', path: 'Observation.valueQuantity', min: 1 },
        { id: 'Observation.valueString', path: 'Observation.valueString', maxLength: 10 },
        { id: 'Observation.component.value[x]', path: 'Observation.component.value[x]', type: [{ code: 'CodeableConcept' }, { code: 'boolean' }] },
        { id: 'Observation.component.valueBoolean', path: 'Observation.component.valueBoolean', min: 1 },
      ]),
      'payload.json': profile('http://example.org/StructureDefinition/payload', 'Communication', `${CORE}Communication`, [
        { path: 'Communication.payload', slicing: { discriminator: [{ type: 'type', path: 'content' }], rules: 'closed' } },
        { path: 'Communication.payload', sliceName: 'text' },
        { path: 'Communication.payload.contentString', min: 1 },
        { path: 'Communication.payload', sliceName: 'file', max: '10' },
        { path: 'Communication.payload.contentAttachment' },
      ]),
      'library.json': profile('http://example.org/StructureDefinition/library', 'Composition', `${CORE}Composition`, [
        { id: 'Composition.section', path: 'Composition.section', slicing: { discriminator: [{ type: 'pattern', path: 'code' }], rules: 'open' } },
        { id: 'Composition.section:a', path: 'Composition.section', sliceName: 'a' },
        { id: 'Composition.section:a.code', path: 'Composition.section.code', min: 1, patternCodeableConcept: { text: 'a' } },
        { id: 'Composition.section:a.focus', path: 'Composition.section.focus', min: 1 },
      ]),
      'uses-library.json': profile('http://example.org/StructureDefinition/uses-library', 'Composition', `${CORE}Composition`, [
        { id: 'Composition.section', path: 'Composition.section', slicing: { discriminator: [{ type: 'pattern', path: 'code' }], rules: 'closed' } },
        {
          id: 'Composition.section:first',
          path: 'Composition.section',
          sliceName: 'first',
          type: [
            {
              code: 'BackboneElement',
              profile: ['http://example.org/StructureDefinition/library'],
              _profile: [{ extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/elementdefinition-profile-element', valueString: 'Composition.section:a' }] }],
            },
          ],
        },
      ]),
      'unknown-type-profile.json': profile('http://example.org/StructureDefinition/unknown-type-profile', 'Organization', `${CORE}Organization`, [
        { id: 'Organization.identifier', path: 'Organization.identifier', type: [{ code: 'Identifier', profile: ['http://nowhere.test/StructureDefinition/id'] }] },
        { id: 'Organization.identifier.system', path: 'Organization.identifier.system', min: 1 },
      ]),
      'cats.json': profile('http://example.org/StructureDefinition/cats', 'Observation', `${CORE}Observation`, [
        { path: 'Observation.category', slicing: { discriminator: [{ type: 'value', path: 'text' }], rules: 'open' } },
        { path: 'Observation.category', sliceName: 'one' },
        { path: 'Observation.category.text', fixedString: 'one' },
        { path: 'Observation.category', sliceName: 'two' },
        { path: 'Observation.category.text', fixedString: 'two' },
      ]),
      'params.json': profile('http://example.org/StructureDefinition/params', 'Parameters', `${CORE}Parameters`, [
        { id: 'Parameters.parameter', path: 'Parameters.parameter', slicing: { discriminator: [{ type: 'value', path: 'name' }], rules: 'closed' } },
        { id: 'Parameters.parameter.extension', path: 'Parameters.parameter.extension', max: '0' },
        { id: 'Parameters.parameter:one', path: 'Parameters.parameter', sliceName: 'one', min: 1 },
        { id: 'Parameters.parameter:one.name', path: 'Parameters.parameter.name', fixedString: 'one' },
      ]),
      'model.json': {
        resourceType: 'StructureDefinition',
        url: M,
        name: 'Model',
        status: 'active',
        kind: 'logical',
        abstract: false,
        type: M,
        baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Base',
        derivation: 'specialization',
        differential: {
          element: [
            { id: 'Model', path: 'Model' },
            { id: 'Model.code', path: 'Model.code', min: 1, max: '1', type: [{ code: 'code' }] },
            { id: 'Model.part', path: 'Model.part', min: 0, max: '*', type: [{ code: 'Base' }] },
            { id: 'Model.part.value', path: 'Model.part.value', min: 1, max: '1', type: [{ code: 'uri' }] },
          ],
        },
      },
    });
    const store = await PackageStore.create({ ukCore: false, packages: [dir], cacheDir: testCacheDir, useFhirPackageCache: false });
    const two = store.structureDefinition('http://example.org/StructureDefinition/two');
    expect(byId(two, 'Observation.value[x]')?.type?.map((t) => t.code)).toEqual(['Quantity', 'string']);
    expect(byId(two, 'Observation.value[x]:valueString')?.maxLength).toBe(10);
    expect(byId(two, 'Observation.component.value[x]')?.type?.map((t) => t.code)).toEqual(['CodeableConcept', 'boolean']);
    expect(byId(two, 'Observation.component.value[x]:valueBoolean')?.type?.map((t) => t.code)).toEqual(['boolean']);
    const max = store.structureDefinition('http://example.org/StructureDefinition/max');
    expect(byId(max, 'Observation.value[x].value')).toMatchObject({ maxValueDecimal: 100, path: 'Observation.value[x].value' });
    expect(byId(max, 'Observation.value[x].comparator')).toBeDefined();
    // path-only slices hang off the sliced element, each after the other
    const payload = store.structureDefinition('http://example.org/StructureDefinition/payload');
    expect(byId(payload, 'Communication.payload:file')?.max).toBe('10');
    expect(byId(payload, 'Communication.payload:file.content[x]')?.type?.map((t) => t.code)).toEqual(['Attachment']);
    expect(byId(payload, 'Communication.payload:text.content[x]')?.type?.map((t) => t.code)).toEqual(['string']);
    // a type profile naming one of its elements brings that element's children
    const uses = store.structureDefinition('http://example.org/StructureDefinition/uses-library');
    expect(byId(uses, 'Composition.section:first.code')?.patternCodeableConcept).toEqual({ text: 'a' });
    expect(byId(uses, 'Composition.section:first.focus')?.min).toBe(1);
    // a type profile that is not loaded: the datatype gives the children
    const unknown = store.structureDefinition('http://example.org/StructureDefinition/unknown-type-profile');
    expect(byId(unknown, 'Organization.identifier.system')?.min).toBe(1);
    expect(byId(unknown, 'Organization.identifier')?.type?.[0]?.profile).toEqual(['http://nowhere.test/StructureDefinition/id']);
    // path-only children belong to the slice stated last before them
    const cats = store.structureDefinition('http://example.org/StructureDefinition/cats');
    expect(byId(cats, 'Observation.category:one.text')?.fixedString).toBe('one');
    expect(byId(cats, 'Observation.category:two.text')?.fixedString).toBe('two');
    // a slice carries what the differential said about the sliced element's children, not its own cardinality
    const params = store.structureDefinition('http://example.org/StructureDefinition/params');
    expect(byId(params, 'Parameters.parameter:one.extension')?.max).toBe('0');
    expect(byId(params, 'Parameters.parameter:one')?.slicing).toBeUndefined();
    expect(byId(params, 'Parameters.parameter:one.name')?.fixedString).toBe('one');
    expect(byId(params, 'Parameters.parameter.name')?.fixedString).toBeUndefined();
    const model = store.structureDefinition(M);
    expect(model?.snapshot?.element.map((e) => `${e.id} ${e.min}..${e.max}`)).toEqual(['Model 0..*', 'Model.code 1..1', 'Model.part 0..*', 'Model.part.value 1..1']);
  });
});

describe('UK Core smoke test (the package the toolkit ships, made from the published XML)', () => {
  it('generates a snapshot for every UK Core StructureDefinition', async () => {
    const dir = join(repoRoot, 'profiles', 'ukcore');
    const store = await PackageStore.create({ ukCore: false, packages: [dir], cacheDir: testCacheDir, useFhirPackageCache: false });
    const patient = store.structureDefinition('https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient');
    const nhsNumber = byId(patient, 'Patient.identifier:nhsNumber.system');
    expect(nhsNumber?.fixedUri).toBe('https://fhir.nhs.uk/Id/nhs-number');
    const fetal = byId(patient, 'Patient.extension:fetalStatus');
    expect(fetal?.type?.[0]?.profile).toEqual(['http://hl7.org/fhir/6.0/StructureDefinition/extension-Patient.fetalStatus']);
    let count = 0;
    for (const entry of store.entries('StructureDefinition')) {
      if (entry.package.startsWith('hl7.fhir.r4.core')) continue;
      expect(store.structureDefinition(entry.url as string)?.snapshot?.element.length).toBeGreaterThan(1);
      count++;
    }
    expect(count).toBe(132);
  });
});
