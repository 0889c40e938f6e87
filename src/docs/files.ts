import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { adsPackageDir, readAdsPackage } from '../builder/ads-package.js';
import { readCoreR4 } from '../packages/core-r4.js';
import type { CanonicalResource, ConformanceResolver } from '../packages/types.js';
import { generateMappingDocs } from './generate.js';
import { withMappingItemCodes } from './mapping-codes.js';
import { resolverFromResources } from './resources-resolver.js';

/**
 * Where the generated pages go, relative to the output folder; `guide` is the mapping-file guide, whose list of
 * allowed codes is regenerated in place when the guide is there.
 */
export const MAPPING_DOC_FILES = { markdown: 'ads-mapping.md', html: 'ads-mapping.html', guide: 'mapping.md' } as const;

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
 * Links from pages in `outDir` to the profile files of the ADS package (`profiles/ads/StructureDefinition-*.json`),
 * by canonical URL: the pages link within the repository, never to a remote address.
 */
export function localProfileLinks(outDir: string, packageDir: string = adsPackageDir()): (profileUrl: string) => string | undefined {
  const files = new Map<string, string>();
  for (const f of readdirSync(packageDir).filter((n) => n.startsWith('StructureDefinition-') && n.endsWith('.json'))) {
    const url = (JSON.parse(readFileSync(join(packageDir, f), 'utf8')) as { url?: string }).url;
    if (url) files.set(url, relative(outDir, join(packageDir, f)).split(sep).join('/'));
  }
  return (profileUrl) => files.get(profileUrl.split('|')[0]!);
}

/**
 * Writes the mapping pages into `outDir`, or with `check` only compares them.
 * @returns the files that were written, or (with `check`) the ones that are missing or stale.
 */
export function writeMappingDocs(outDir: string, resolver: ConformanceResolver = adsDocsResolver(), check = false): string[] {
  const docs = generateMappingDocs(resolver, { profileHref: localProfileLinks(outDir) });
  const wanted: Array<readonly [string, string]> = [
    [join(outDir, MAPPING_DOC_FILES.markdown), docs.markdown],
    [join(outDir, MAPPING_DOC_FILES.html), docs.html],
  ];
  const guide = join(outDir, MAPPING_DOC_FILES.guide);
  if (existsSync(guide)) wanted.push([guide, withMappingItemCodes(readFileSync(guide, 'utf8'))]);
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
