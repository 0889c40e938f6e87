import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readAdsPackage } from '../builder/ads-package.js';
import { readCoreR4 } from '../packages/core-r4.js';
import type { CanonicalResource } from '../packages/types.js';
import { generateMappingDocs } from './generate.js';
import type { MappingRow } from './mapping.js';
import { renderHtml, renderMarkdown } from './render.js';
import { resolverFromResources } from './resources-resolver.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// UK Core as the toolkit ships it (profiles/ukcore, made from the published XML).
const ukCoreDir = path.resolve(repoRoot, 'profiles', 'ukcore');
const ukCore = readdirSync(ukCoreDir)
  .filter((f) => f.startsWith('StructureDefinition-'))
  .map((f) => JSON.parse(readFileSync(path.join(ukCoreDir, f), 'utf8')) as CanonicalResource);
const core = readCoreR4();
const ads = readAdsPackage().resources;

describe('mapped-field docs', () => {
  const withUkCore = generateMappingDocs(resolverFromResources([...core, ...ukCore, ...ads]));
  const row = (docs: typeof withUkCore, id: string, path?: string) => docs.rows.find((r) => r.itemId === id && (!path || r.path === path));

  it('has one row per ads mapping in the package, published ids first', () => {
    const mappings = ads
      .filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition')
      .flatMap((sd) => sd.differential!.element.flatMap((e) => (e.mapping ?? []).filter((m) => m.identity === 'ads')));
    expect(withUkCore.rows.length).toBe(mappings.length);
    expect(withUkCore.rows.slice(0, 3).map((r) => r.itemId)).toEqual(['ADS0', 'ADS1', 'ADS2A']);
    expect(withUkCore.rows.every((r, i, all) => i === 0 || !(all[i - 1]!.itemId.startsWith('DH-') && r.published))).toBe(true);
  });

  it('gives cardinality, type and binding from the profile, its UK Core base and core R4', () => {
    expect(row(withUkCore, 'ADS2B')).toMatchObject({
      cardinality: '1..1', path: 'Communication.extension:aDSCallOrigin', type: 'Extension(Extension-ADS-CallOrigin)',
      binding: 'required: https://fhir.nhs.uk/R4/ValueSet/ADS-CallOrigin', profile: 'UKCore-ADS-Communication', published: true,
    });
    expect(row(withUkCore, 'ADS2A')).toMatchObject({ cardinality: '1..1', type: 'dateTime' });
    // max 1 comes from UK Core's nhsNumber slice, not from the ADS differential
    expect(row(withUkCore, 'DH-P01')).toMatchObject({ cardinality: '0..1', type: 'Identifier', published: false });
    expect(withUkCore.missingBases).toEqual([]);
  });

  it('says which bases were missing instead of silently showing core values', () => {
    const coreOnly = generateMappingDocs(resolverFromResources([...core, ...ads]));
    expect(coreOnly.missingBases).toContain('https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient');
    expect(row(coreOnly, 'DH-P01')?.cardinality).toBe('0..*');
    expect(coreOnly.markdown).toMatch(/Not loaded when generated.*UKCore-Patient/);
  });

  it('escapes Markdown and HTML', () => {
    const r: MappingRow = {
      itemId: 'X1', itemName: 'a | b <script>', published: false, cardinality: '0..1', path: 'P.x', type: 'T', binding: '', profile: 'P', profileUrl: 'https://x/"y',
    };
    expect(renderMarkdown([r])).toContain('a \\| b <script>');
    const page = renderHtml([r]);
    expect(page).toContain('a | b &lt;script&gt;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('href="https://x/&quot;y"');
  });
});
