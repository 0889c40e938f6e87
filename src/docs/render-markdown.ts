import type { MappingRow } from './mapping.js';
import {
  anchorOfSection, bindingsOf, caveat, countsLine, INTRO, itemsUsing, rowsBySection, SECTION_TEXT, SOURCE_LEGEND, sourceOf, TITLE, usedCodeLists,
  type MappingPage,
} from './page-model.js';

const HEADERS = ['ADS item', 'Source', 'Item name', 'Card.', 'FHIR path', 'Type', 'Allowed codes', 'Profile'] as const;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const line = (values: readonly string[]) => `| ${values.map(cell).join(' | ')} |`;

function codesCell(page: MappingPage, row: MappingRow): string {
  return bindingsOf(row)
    .map((b) => {
      const list = page.codeLists.get(b.valueSet.split('|')[0]!);
      const name = list ? `[${list.title}](#${list.anchor})` : `\`${b.valueSet}\``;
      return `${b.part ? `${b.part}: ` : ''}${name} (${b.strength}${list?.codes.length ? `, ${list.codes.length} codes` : ''})`;
    })
    .join('; ');
}

function profileCell(page: MappingPage, row: MappingRow): string {
  const href = page.profileHref(row.profileUrl);
  return href ? `[${row.profile}](${href})` : row.profile;
}

/** The mapping pages as Markdown: a table per data set section, then the code list of every bound value set. */
export function renderMarkdownPage(page: MappingPage): string {
  const out: string[] = [`# ${TITLE}`, '', ...INTRO, '', SOURCE_LEGEND, '', countsLine(page.rows), ...caveat(page.missingBases).flatMap((c) => ['', `> ${c}`]), ''];
  const sections = rowsBySection(page.rows);
  const lists = usedCodeLists(page);
  out.push(`Sections: ${[...sections.map(([s, rows]) => `[${s}](#${anchorOfSection(s)}) (${rows.length})`), `[Code lists](#code-lists) (${lists.length})`].join(', ')}.`, '');
  for (const [section, rows] of sections) {
    out.push(`<a id="${anchorOfSection(section)}"></a>`, '', `## ${section}`, '', SECTION_TEXT[section], '', line(HEADERS), line(HEADERS.map(() => '---')));
    for (const r of rows) out.push(line([r.itemId, sourceOf(r), r.itemName, r.cardinality, `\`${r.path}\``, r.type, codesCell(page, r), profileCell(page, r)]));
    out.push('');
  }
  out.push('<a id="code-lists"></a>', '', '## Code lists', '', 'The codes each bound value set allows, with their displays, as the packages define them.', '');
  for (const list of lists) {
    out.push(`<a id="${list.anchor}"></a>`, '', `### ${list.title}`, '', `\`${list.url}\`, used by ${itemsUsing(page, list.url).join(', ')}.${list.note ? ` Not listed in full: ${list.note}.` : ''}`, '');
    if (list.codes.length) {
      out.push(line(['Code', 'Display', 'System']), line(['---', '---', '---']));
      for (const c of list.codes) out.push(line([`\`${c.code}\``, c.display, c.system]));
      out.push('');
    }
  }
  return out.join('\n');
}
