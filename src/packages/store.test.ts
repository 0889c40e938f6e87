import { join } from 'node:path';
import type { StructureDefinition } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { PackageStore } from './store.js';
import { profile, simpleExtension, tempDir, testCacheDir, writePackageFolder, writePackageTgz } from './test-fixtures.js';

const cacheDir = testCacheDir;
const EXT = 'http://example.org/fhir/StructureDefinition/ext-colour';
const P = 'http://example.org/fhir/StructureDefinition/patient-p';

describe('PackageStore', () => {
  let store: PackageStore;
  let work: string;

  beforeAll(async () => {
    work = tempDir();
    // dependency found through a search path, in the `name#version` layout of the FHIR package cache
    writePackageFolder(join(work, 'search', 'example.dep#1.0.0'), { name: 'example.dep', version: '1.0.0' }, {
      'StructureDefinition-ext-colour.json': simpleExtension(EXT, 'string'),
    });
    const tgz = await writePackageTgz(join(work, 'main.tgz'), { name: 'example.main', version: '2.0.0', dependencies: { 'hl7.fhir.r4.core': '4.0.1', 'example.dep': '1.0.0' } }, {
      'StructureDefinition-patient-p.json': profile(P, 'Patient', 'http://hl7.org/fhir/StructureDefinition/Patient', [
        { id: 'Patient.extension:colour', path: 'Patient.extension', sliceName: 'colour', type: [{ code: 'Extension', profile: [EXT] }] },
      ]),
      'ValueSet-v1.json': { resourceType: 'ValueSet', url: 'http://example.org/vs', version: '1.0.0', status: 'active', name: 'old' },
      'ValueSet-v2.json': { resourceType: 'ValueSet', url: 'http://example.org/vs', version: '1.10.0', status: 'active', name: 'new' },
      'example/Patient-a.json': { resourceType: 'Patient', id: 'a' },
      'other/ignored.json': { resourceType: 'ValueSet', url: 'http://example.org/ignored', status: 'active' },
      'ig-notes.json': { notAResource: true },
    });
    store = await PackageStore.create({ ukCore: false, packages: [tgz], searchPaths: [join(work, 'search')], cacheDir, useFhirPackageCache: false });
  });

  it('loads core R4, the package and its dependency', () => {
    expect(store.packages.map((p) => `${p.name}#${p.version}`)).toEqual(['hl7.fhir.r4.core#4.0.1', 'example.main#2.0.0', 'example.dep#1.0.0']);
    expect(store.packages[1]?.examples).toBe(1);
  });

  it('finds core types by name and by canonical URL', () => {
    expect(store.structureDefinition('Patient')?.url).toBe('http://hl7.org/fhir/StructureDefinition/Patient');
    expect(store.structureDefinition('http://hl7.org/fhir/StructureDefinition/Quantity|4.0.1')?.type).toBe('Quantity');
    expect(store.valueSet('http://hl7.org/fhir/ValueSet/administrative-gender')?.resourceType).toBe('ValueSet');
    expect(store.codeSystem('http://hl7.org/fhir/administrative-gender')?.resourceType).toBe('CodeSystem');
    expect(store.structureDefinition('http://example.org/nothing')).toBeUndefined();
  });

  it('lets the latest version win without a version, and honours url|version', () => {
    expect(store.valueSet('http://example.org/vs')?.name).toBe('new');
    expect(store.valueSet('http://example.org/vs|1.0.0')?.name).toBe('old');
    expect(store.valueSet('http://example.org/vs|1.0')?.name).toBe('old');
  });

  it('keeps examples out of the index but lists them, and ignores package/other', () => {
    expect(store.resolve('http://example.org/ignored')).toBeUndefined();
    expect([...store.examples('example.main')].map((r) => r.id)).toEqual(['a']);
  });

  it('answers a definition\'s type and base from the index, without reading it', () => {
    expect(store.profileType(P)).toBe('Patient');
    expect(store.profileBase(P)).toBe('http://hl7.org/fhir/StructureDefinition/Patient');
    expect(store.profileBase('Patient')).toBe('http://hl7.org/fhir/StructureDefinition/DomainResource');
    expect(store.profileBase('http://hl7.org/fhir/StructureDefinition/Resource')).toBeNull(); // the root of resources
    expect(store.profileBase('http://example.org/vs')).toBeUndefined(); // not a StructureDefinition
    expect(store.profileBase('http://example.org/unknown')).toBeUndefined();
  });

  it('generates snapshots on demand, once', () => {
    const sd = store.structureDefinition(P) as StructureDefinition;
    const ids = sd.snapshot?.element.map((e) => e.id) ?? [];
    expect(ids).toContain('Patient.extension:colour');
    expect(ids.indexOf('Patient.extension:colour')).toBe(ids.indexOf('Patient.extension') + 1);
    expect(store.structureDefinition(P)).toBe(sd);
    const ext = store.structureDefinition(EXT);
    expect(ext?.snapshot?.element.find((e) => e.id === 'Extension.value[x]')?.type?.map((t) => t.code)).toEqual(['string']);
  });

  it('lists every resource of a type', () => {
    const urls = [...store.all<StructureDefinition>('StructureDefinition')].map((s) => s.url);
    expect(urls).toContain(P);
    expect(urls.length).toBeGreaterThan(600);
  });

  it('reads the same content back from the compiled cache in a new store', async () => {
    const again = await PackageStore.create({ ukCore: false, packages: [join(work, 'main.tgz')], searchPaths: [join(work, 'search')], cacheDir, useFhirPackageCache: false });
    expect(again.valueSet('http://example.org/vs')).toEqual(store.valueSet('http://example.org/vs'));
    expect(again.structureDefinition(P)?.snapshot?.element.length).toBe(store.structureDefinition(P)?.snapshot?.element.length);
  });

  it('satisfies a dependency through an alias, with a note', async () => {
    const dir = writePackageFolder(join(work, 'aliased'), { name: 'example.aliased', version: '1.0.0', dependencies: { 'uk.core.r4.v2': '2.0.8' } }, {});
    const ukLike = writePackageFolder(join(work, 'uklike'), { name: 'fhir.r4.ukcore.stu2', version: '2.0.0' }, {});
    const s = await PackageStore.create({ ukCore: false, packages: [ukLike, dir], cacheDir, useFhirPackageCache: false });
    expect(s.warnings).toContain('example.aliased#1.0.0 asks for uk.core.r4.v2#2.0.8; fhir.r4.ukcore.stu2#2.0.0 is loaded and used instead');
    const other = writePackageFolder(join(work, 'other'), { name: 'example.other', version: '1.0.0', dependencies: { 'example.renamed': '1.0.0' } }, {});
    const s2 = await PackageStore.create({ ukCore: false, packages: [ukLike, other], aliases: { 'example.renamed': 'fhir.r4.ukcore.stu2' }, cacheDir, useFhirPackageCache: false });
    expect(s2.packages).toHaveLength(3);
  });

  it('loads a package once, and uses a supplied hl7.fhir.r4.core instead of the built-in one', async () => {
    const core = writePackageFolder(join(work, 'mycore'), { name: 'hl7.fhir.r4.core', version: '4.0.1' }, {
      'vs.json': { resourceType: 'ValueSet', url: 'http://hl7.org/fhir/ValueSet/only-here', status: 'active' },
    });
    const s = await PackageStore.create({ ukCore: false, packages: [core, join(work, 'main.tgz'), join(work, 'main.tgz')], searchPaths: [join(work, 'search')], cacheDir, useFhirPackageCache: false });
    expect(s.packages.map((p) => p.location)).toEqual([core, join(work, 'main.tgz'), join(work, 'search', 'example.dep#1.0.0')]);
    expect(s.valueSet('http://hl7.org/fhir/ValueSet/only-here')).toBeDefined();
    expect(s.structureDefinition('Patient')).toBeUndefined();
    expect(s.warnings.some((w) => w.includes('already loaded'))).toBe(true);
  });

  it('maps a dependency on R5 core to the bundled cross-version package', async () => {
    const dir = writePackageFolder(join(work, 'r5user'), { name: 'example.r5user', version: '1.0.0', dependencies: { 'hl7.fhir.r5.core': '5.0.0' } }, {});
    const s = await PackageStore.create({ ukCore: false, packages: [dir], cacheDir, useFhirPackageCache: false });
    expect(s.packages.map((p) => p.name)).toContain('ads-fhir.xver-r5');
    expect(s.valueSet('http://hl7.org/fhir/ValueSet/observation-triggeredbytype')?.compose?.include[0]?.system).toBe('http://hl7.org/fhir/observation-triggeredbytype');
  });
});
