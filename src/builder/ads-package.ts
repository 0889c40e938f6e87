import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CanonicalResource, PackageManifest } from '../packages/types.js';

/** Name of the reconstructed ADS package shipped in `profiles/ads/` (deliberately not the official name). */
export const ADS_PACKAGE_NAME = 'ads-fhir.reconstructed.ads';

/**
 * Folder of the ADS package shipped with the toolkit (`profiles/ads`).
 * Walks up from this module because the source tree and the bundled `dist/` sit at different depths.
 */
export function adsPackageDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'profiles', 'ads');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('The ADS package folder profiles/ads was not found beside the toolkit');
    dir = parent;
  }
}

/** The ADS package's manifest and resources, read from `profiles/ads`. */
export function readAdsPackage(dir: string = adsPackageDir()): { manifest: PackageManifest; resources: CanonicalResource[] } {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
  const resources = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'package.json')
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CanonicalResource);
  return { manifest, resources };
}
