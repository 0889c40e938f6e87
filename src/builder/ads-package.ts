import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledPackage } from '../packages/locations.js';
import type { CanonicalResource, PackageManifest } from '../packages/types.js';

/** Name of the reconstructed ADS package shipped in `profiles/ads/` (deliberately not the official name). */
export const ADS_PACKAGE_NAME = 'ads-fhir.reconstructed.ads';

/** Folder of the ADS package shipped with the toolkit (`profiles/ads` in the project root). */
export function adsPackageDir(): string {
  const dir = bundledPackage('ads');
  if (!existsSync(join(dir, 'package.json'))) throw new Error('The ADS package folder profiles/ads was not found beside the toolkit');
  return dir;
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
