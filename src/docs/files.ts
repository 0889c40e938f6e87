import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { adsPackageDir, readAdsPackage } from '../builder/ads-package.js';
import { readCoreR4 } from '../packages/core-r4.js';
import type { CanonicalResource, ConformanceResolver } from '../packages/types.js';
import { generateMappingDocs } from './generate.js';
import { resolverFromResources } from './resources-resolver.js';

/** Where the generated pages go, relative to the output folder. */
export const MAPPING_DOC_FILES = { markdown: 'ads-mapping.md', html: 'ads-mapping.html' } as const;

/** Every JSON resource under a folder (recursively), or none when the folder does not exist. */
function readResourceFolder(dir: string): CanonicalResource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') && !f.endsWith('package.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CanonicalResource)
    .filter((r) => typeof r?.resourceType === 'string');
}

/**
 * Core R4, UK Core from `profiles/ukcore` when the toolkit ships it, and the ADS package: what the committed
 * mapping docs are generated from.
 */
export function adsDocsResolver(): ConformanceResolver {
  const ukCore = readResourceFolder(join(dirname(adsPackageDir()), 'ukcore'));
  return resolverFromResources([...readCoreR4(), ...ukCore, ...readAdsPackage().resources]);
}

/**
 * Writes the mapping pages into `outDir`, or with `check` only compares them.
 * @returns the files that were written, or (with `check`) the ones that are missing or stale.
 */
export function writeMappingDocs(outDir: string, resolver: ConformanceResolver = adsDocsResolver(), check = false): string[] {
  const docs = generateMappingDocs(resolver);
  const wanted = [
    [join(outDir, MAPPING_DOC_FILES.markdown), docs.markdown],
    [join(outDir, MAPPING_DOC_FILES.html), docs.html],
  ] as const;
  if (check) {
    return wanted.filter(([file, text]) => {
      try {
        return readFileSync(file, 'utf8') !== text;
      } catch {
        return true;
      }
    }).map(([file]) => file);
  }
  mkdirSync(outDir, { recursive: true });
  for (const [file, text] of wanted) writeFileSync(file, text);
  return wanted.map(([file]) => file);
}
