import type { MappingRow } from './mapping.js';

const HEADERS = ['ADS item', 'Item name', 'Card.', 'FHIR path', 'Type', 'Binding', 'Profile'] as const;
const cells = (r: MappingRow): string[] => [r.itemId, r.itemName, r.cardinality, r.path, r.type, r.binding, r.profile];

const INTRO = [
  'Which Ambulance Data Set item lands in which FHIR element, generated from the mappings (identity `ads`) of the',
  'profiles in `profiles/ads`. Items with a `DH-` id were designed by ads-fhir because the published guide does not',
  'show them; the others follow the published guide. Regenerate with `ads-fhir docs`; do not edit by hand.',
  'What is checked where: each item\'s cardinality, type and binding by profile validation (`ads-fhir validate`);',
  'NHS numbers, ODS codes and UCUM units by the UK rules (docs/uk-rules.md); rules across items (time order, treatment',
  'type against conveyance, stop codes, GCS total, ROSC, recognition of life extinct) by the ADS rules, which the',
  'validator and the builder both run (docs/builder.md); impossible values at the builder call. Which codes are SNOMED',
  'CT or LOINC, and how they were checked: profiles/ads/README.md.',
];

const caveat = (missing: readonly string[]) =>
  missing.length
    ? [`Not loaded when generated, so what they constrain shows the core R4 values: ${missing.map((m) => m.slice(m.lastIndexOf('/') + 1)).join(', ')}.`]
    : [];

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The mapping table as Markdown. */
export function renderMarkdown(rows: readonly MappingRow[], missingBases: readonly string[] = []): string {
  const line = (values: readonly string[]) => `| ${values.map(mdCell).join(' | ')} |`;
  return [
    '# ADS data items in FHIR',
    '',
    ...INTRO,
    '',
    `${rows.length} mappings, ${new Set(rows.map((r) => r.itemId)).size} data items (${new Set(rows.filter((r) => r.published).map((r) => r.itemId)).size} published).`,
    ...caveat(missingBases).flatMap((c) => ['', `> ${c}`]),
    '',
    line(HEADERS),
    line(HEADERS.map(() => '---')),
    ...rows.map((r) => line(cells(r))),
    '',
  ].join('\n');
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The mapping table as a self-contained HTML page (no scripts, no external assets). */
export function renderHtml(rows: readonly MappingRow[], missingBases: readonly string[] = []): string {
  const row = (r: MappingRow) =>
    `<tr class="${r.published ? 'published' : 'designed'}">${cells(r)
      .map((c, i) => (i === 6 ? `<td><a href="${html(r.profileUrl)}">${html(c)}</a></td>` : i === 3 || i === 4 || i === 5 ? `<td><code>${html(c)}</code></td>` : `<td>${html(c)}</td>`))
      .join('')}</tr>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>ADS data items in FHIR</title>',
    '<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;font-size:.9rem}',
    'th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eef}',
    'tr.designed td:first-child{font-style:italic}code{font-size:.85rem;word-break:break-all}</style></head><body>',
    '<h1>ADS data items in FHIR</h1>',
    `<p>${html(INTRO.join(' ')).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`,
    ...caveat(missingBases).map((c) => `<p><em>${html(c)}</em></p>`),
    `<table><thead><tr>${HEADERS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map(row),
    '</tbody></table></body></html>',
    '',
  ].join('\n');
}
