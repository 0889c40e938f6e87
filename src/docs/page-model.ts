import type { CodeList } from './code-lists.js';
import { ADS_SECTIONS, type AdsSection, type MappingRow, type RowBinding } from './mapping.js';

/** What both pages (Markdown and HTML) are made from. */
export interface MappingPage {
  readonly rows: readonly MappingRow[];
  /** Base profiles that were not loaded when the pages were generated. */
  readonly missingBases: readonly string[];
  /** The code list of every value set a row is bound to, by canonical URL (without version). */
  readonly codeLists: ReadonlyMap<string, CodeList>;
  /** A link to a profile's file beside the pages (relative), or undefined to show its name only. */
  readonly profileHref: (profileUrl: string) => string | undefined;
}

export const TITLE = 'ADS data items in FHIR';

export const INTRO = [
  'Which Ambulance Data Set item lands in which FHIR element, generated from the mappings (identity `ads`) of the',
  'profiles in `profiles/ads`, grouped by the four sections of the data set. Regenerate with `ads-fhir docs`; do not',
  'edit by hand.',
  'What is checked where: each item\'s cardinality, type and binding by profile validation (`ads-fhir validate`);',
  'NHS numbers, ODS codes and UCUM units by the UK rules (docs/uk-rules.md); rules across items (time order, treatment',
  'type against conveyance, stop codes, GCS total, ROSC, recognition of life extinct) by the ADS rules, which the',
  'validator and the builder both run (docs/builder.md); impossible values at the builder call. Which codes are SNOMED',
  'CT or LOINC, and how they were checked: profiles/ads/README.md.',
];

/** Said plainly next to every item: whether the guide publishes it or ads-fhir reconstructed it. */
export const SOURCE_TEXT = { published: 'published', reconstructed: 'reconstructed' } as const;

export const SOURCE_LEGEND =
  '**published**: the item id and its place follow the published ADS guide. **reconstructed**: an item with a `DH-` id, ' +
  'designed by ads-fhir because the published guide does not show it; the official package may place it differently.';

export const SECTION_TEXT: Readonly<Record<AdsSection, string>> = {
  Header: 'Once per submission: who submits it. Held on the Communication with the call.',
  Call: 'Once per call: origin, categories, times, triage and outcome of the call (Communication and triage Observations).',
  Response: 'Once per vehicle sent: its call sign, type and times (Encounter and Location).',
  'Patient contact': 'Once per patient seen: demographics, observations, medication, impression, conveyance, safeguarding and public health.',
};

export const anchorOfSection = (section: AdsSection) => section.toLowerCase().replace(/\s+/g, '-');

export const sourceOf = (row: MappingRow) => (row.published ? SOURCE_TEXT.published : SOURCE_TEXT.reconstructed);

/** Rows by section, in data set order; sections without rows are left out. */
export function rowsBySection(rows: readonly MappingRow[]): Array<[AdsSection, MappingRow[]]> {
  return ADS_SECTIONS.map((section) => [section, rows.filter((r) => (r.section ?? 'Call') === section)] as [AdsSection, MappingRow[]]).filter(([, r]) => r.length > 0);
}

export const bindingsOf = (row: MappingRow): readonly RowBinding[] => row.bindings ?? [];

export function countsLine(rows: readonly MappingRow[]): string {
  const items = new Set(rows.map((r) => r.itemId));
  const published = new Set(rows.filter((r) => r.published).map((r) => r.itemId));
  return `${rows.length} mappings, ${items.size} data items: ${published.size} published, ${items.size - published.size} reconstructed.`;
}

export const caveat = (missing: readonly string[]) =>
  missing.length ? [`Not loaded when generated, so what they constrain shows the core R4 values: ${missing.map((m) => m.slice(m.lastIndexOf('/') + 1)).join(', ')}.`] : [];

/** The code lists the rows use, in the order they first appear. */
export function usedCodeLists(page: MappingPage): CodeList[] {
  const seen = new Map<string, CodeList>();
  for (const row of page.rows) {
    for (const b of bindingsOf(row)) {
      const list = page.codeLists.get(b.valueSet.split('|')[0]!);
      if (list && !seen.has(list.url)) seen.set(list.url, list);
    }
  }
  return [...seen.values()];
}

/** The items bound to a value set, for its code list's "used by" line. */
export function itemsUsing(page: MappingPage, url: string): string[] {
  return [...new Set(page.rows.filter((r) => bindingsOf(r).some((b) => b.valueSet.split('|')[0] === url)).map((r) => r.itemId))];
}
