import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The ads-fhir project (or installed package) root: the nearest folder up with our package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'ads-fhir') return dir;
      } catch {
        // keep looking upwards
      }
    }
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** The packages the project ships in `profiles/`. */
export function bundledPackage(name: 'ukcore' | 'xver-r5' | 'ads'): string {
  return join(projectRoot(), 'profiles', name);
}

/** Default folder of the compiled index cache: `ADS_FHIR_CACHE_DIR`, else `.cache/packages` in the project. */
export function defaultCacheDir(): string {
  return process.env.ADS_FHIR_CACHE_DIR || join(projectRoot(), '.cache', 'packages');
}

/** The FHIR package cache other FHIR tools fill: `$FHIR_PACKAGE_CACHE` when set, else `~/.fhir/packages`. */
export function fhirPackageCache(): string {
  return process.env.FHIR_PACKAGE_CACHE || join(homedir(), '.fhir', 'packages');
}

/**
 * Finds package `name` (version `version`) in a search folder: `name#version/`, `name#version.tgz`,
 * `name-version.tgz`, `name/`, or any package folder there whose manifest has that name.
 */
export function findPackageIn(folder: string, name: string, version: string): string | undefined {
  if (!existsSync(folder)) return undefined;
  for (const candidate of [`${name}#${version}`, `${name}#${version}.tgz`, `${name}-${version}.tgz`, name]) {
    const p = join(folder, candidate);
    if (existsSync(p)) return p;
  }
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const manifest of [join(folder, entry.name, 'package.json'), join(folder, entry.name, 'package', 'package.json')]) {
      if (!existsSync(manifest)) continue;
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return join(folder, entry.name);
      } catch {
        // an unrelated broken folder is not this dependency
      }
    }
  }
  return undefined;
}
