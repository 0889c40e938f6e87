import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeSystem, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readAdsPackage } from '../builder/ads-package.js';
import { readCoreR4 } from '../packages/core-r4.js';
import type { CanonicalResource } from '../packages/types.js';
import { generateMappingDocs } from './generate.js';
import { localProfileLinks } from './files.js';
import { MAPPING_ITEMS } from '../mapping/items.js';
import { CODES_BLOCK_END, CODES_BLOCK_START, renderMappingItemCodes, withMappingItemCodes } from './mapping-codes.js';
import { ADS_SECTIONS, sectionOf, type MappingRow } from './mapping.js';
import { renderHtml, renderMarkdown } from './render.js';
import { resolverFromResources } from './resources-resolver.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// UK Core as the toolkit ships it (profiles/ukcore, made from the published XML).
const ukCoreDir = path.resolve(repoRoot, 'profiles', 'ukcore');
const ukCore = readdirSync(ukCoreDir)
  .filter((f) => /^(StructureDefinition|ValueSet|CodeSystem)-.*\.json$/.test(f))
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
    // The page's own search script is the only script.
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).toContain('title="https://x/&quot;y"');
  });

  it('puts each item in its data set section: header, call, response, patient contact', () => {
    expect(['ADS0', 'ADS2B', 'DH-C04', 'DH-R02', 'DH-P50'].map((id) => row(withUkCore, id)?.section)).toEqual(['Header', 'Call', 'Call', 'Response', 'Patient contact']);
    expect(sectionOf('ADS1', 'Communication.recipient')).toBe('Call');
    const order = ADS_SECTIONS.map((s) => withUkCore.markdown.indexOf(`\n## ${s}\n`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  it('lists the codes each bound value set allows, with the displays its code system gives', () => {
    const codeSystems = ads.filter((r): r is CodeSystem => r.resourceType === 'CodeSystem');
    for (const [id, vs] of [['ADS2B', 'ADS-CallOrigin'], ['ADS33', 'ADS-TreatmentType'], ['DH-P50', 'ADS-ConveyanceOutcome'], ['DH-R02', 'ADS-VehicleType']] as const) {
      const url = `https://fhir.nhs.uk/R4/ValueSet/${vs}`;
      expect(row(withUkCore, id)?.bindings?.map((b) => b.valueSet)).toContain(url);
      const list = withUkCore.codeLists.get(url)!;
      const system = list.codes[0]!.system;
      const concepts = codeSystems.find((cs) => cs.url === system)!.concept!;
      expect(list.codes.map((c) => [c.code, c.display])).toEqual(concepts.map((c) => [c.code, c.display]));
      expect(list.note).toBeUndefined();
      // Both pages carry every code and display.
      for (const c of concepts) {
        expect(withUkCore.markdown).toContain(`| \`${c.code}\` | ${c.display} |`);
        expect(withUkCore.html).toContain(`<td><code>${c.code}</code></td><td>${c.display}</td>`);
      }
    }
    // The parts of a complex extension are listed one by one.
    expect(row(withUkCore, 'ADS15')?.bindings?.map((b) => b.part)).toEqual(['responseCategoryType', 'responseCategoryCode']);
    // A value set defined by a filter is not listed: the page says why.
    expect(withUkCore.codeLists.get('https://fhir.hl7.org.uk/ValueSet/UKCore-ConditionCode')?.note).toMatch(/snomed/);
  });

  it('tells published and reconstructed items apart in words, not only by style', () => {
    const published = withUkCore.rows.find((r) => r.published)!;
    const reconstructed = withUkCore.rows.find((r) => !r.published)!;
    expect(withUkCore.markdown).toContain(`| ${published.itemId} | published |`);
    expect(withUkCore.markdown).toContain(`| ${reconstructed.itemId} | reconstructed |`);
    expect(withUkCore.html).toMatch(new RegExp(`<th scope="row">${reconstructed.itemId}</th><td><span class="badge reconstructed">reconstructed</span>`));
  });

  it('links only within the repository: profiles to their files in profiles/ads, code lists within the page', () => {
    const docsDir = path.join(repoRoot, 'docs');
    const docs = generateMappingDocs(resolverFromResources([...core, ...ukCore, ...ads]), { profileHref: localProfileLinks(docsDir) });
    const hrefs = [...docs.html.matchAll(/href="([^"]*)"/g), ...docs.markdown.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(50);
    for (const href of hrefs) {
      expect(href).not.toMatch(/^[a-z]+:/);
      if (href.startsWith('#')) expect(docs.html).toContain(`id="${href.slice(1)}"`);
      else expect(existsSync(path.resolve(docsDir, href))).toBe(true);
    }
  });

  it('lists in docs/mapping.md every code each coded mapping item takes, with its display', () => {
    const table = renderMappingItemCodes();
    const coded = Object.entries(MAPPING_ITEMS).filter(([, spec]) => spec.codes);
    expect(coded.length).toBeGreaterThan(10);
    for (const [name, spec] of coded) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      const set = spec.codes!();
      for (const code of set.codes) expect(row).toContain(`\`${code}\` ${set.displays.get(code)}`);
    }
    const guide = readFileSync(path.join(repoRoot, 'docs', 'mapping.md'), 'utf8');
    expect(guide).toContain(`${CODES_BLOCK_START}\n\n${table}\n\n${CODES_BLOCK_END}`);
    expect(() => withMappingItemCodes('# a guide without the markers')).toThrow(/markers/);
  });
});

