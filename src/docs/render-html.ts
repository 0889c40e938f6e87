import type { MappingRow } from './mapping.js';
import {
  anchorOfSection, bindingsOf, caveat, countsLine, INTRO, itemsUsing, rowsBySection, SECTION_TEXT, SOURCE_LEGEND, sourceOf, TITLE, usedCodeLists,
  type MappingPage,
} from './page-model.js';

const HEADERS = ['ADS item', 'Source', 'Item name', 'Card.', 'FHIR path', 'Type', 'Allowed codes', 'Profile'] as const;

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Markdown emphasis and code of the shared texts, as HTML. */
const inline = (s: string) => escapeHtml(s).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/`([^`]+)`/g, '<code>$1</code>');

const STYLE = `
*{box-sizing:border-box}body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#005eb8;color:#fff;padding:12px 24px}header h1{margin:0;font-size:22px}
main{padding:8px 24px 40px;max-width:1500px}
nav ul{display:flex;flex-wrap:wrap;gap:6px 18px;list-style:none;padding:0}
.search{position:sticky;top:0;background:#fafafa;padding:10px 0;border-bottom:1px solid #ddd;z-index:1;display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.search input{font:inherit;padding:5px 8px;width:min(30em,100%)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-size:14px;background:#fff;margin:8px 0 20px}
th,td{border:1px solid #ccc;padding:5px 8px;text-align:left;vertical-align:top}th{background:#eef5fc}
code{font-size:13px;overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:700;white-space:nowrap}
.badge.published{background:#d8f0dc;color:#0b5d1e;border:1px solid #0b5d1e}
.badge.reconstructed{background:#fff0c2;color:#6b4a00;border:1px solid #6b4a00}
section.codes{scroll-margin-top:4em}h2,h3{scroll-margin-top:4em}
[hidden]{display:none!important}
`;

/** Hides the rows and code lists that do not hold every word typed; says how many items are shown. */
const SCRIPT = `(function(){var q=document.getElementById('q'),shown=document.getElementById('shown');
var rows=[].slice.call(document.querySelectorAll('tbody tr[data-item]')),lists=[].slice.call(document.querySelectorAll('section.codes'));
function words(){return q.value.toLowerCase().split(/\\s+/).filter(Boolean);}
function has(text,ws){text=text.toLowerCase();return ws.every(function(w){return text.indexOf(w)>=0;});}
function run(){var ws=words(),n=0;rows.forEach(function(r){var ok=has(r.textContent+' '+(r.getAttribute('data-codes')||''),ws);r.hidden=!ok;if(ok)n++;});
document.querySelectorAll('section.items').forEach(function(s){s.hidden=!s.querySelector('tbody tr:not([hidden])');});
lists.forEach(function(l){l.hidden=!has(l.textContent,ws);});
shown.textContent=ws.length?n+' of '+rows.length+' mappings shown':'';}
q.addEventListener('input',run);})();`;

function codesCell(page: MappingPage, row: MappingRow): string {
  return bindingsOf(row)
    .map((b) => {
      const list = page.codeLists.get(b.valueSet.split('|')[0]!);
      const name = list ? `<a href="#${escapeHtml(list.anchor)}">${escapeHtml(list.title)}</a>` : `<code>${escapeHtml(b.valueSet)}</code>`;
      return `${b.part ? `${escapeHtml(b.part)}: ` : ''}${name} (${escapeHtml(b.strength)}${list?.codes.length ? `, ${list.codes.length} codes` : ''})`;
    })
    .join('<br>');
}

/** Every code and display a row's value sets allow, for the search. */
function searchableCodes(page: MappingPage, row: MappingRow): string {
  return bindingsOf(row)
    .flatMap((b) => page.codeLists.get(b.valueSet.split('|')[0]!)?.codes ?? [])
    .map((c) => `${c.code} ${c.display}`)
    .join(' ');
}

function rowHtml(page: MappingPage, r: MappingRow): string {
  const href = page.profileHref(r.profileUrl);
  const profile = href ? `<a href="${escapeHtml(href)}" title="${escapeHtml(r.profileUrl)}">${escapeHtml(r.profile)}</a>` : `<span title="${escapeHtml(r.profileUrl)}">${escapeHtml(r.profile)}</span>`;
  const source = sourceOf(r);
  const cells = [
    `<th scope="row">${escapeHtml(r.itemId)}</th>`,
    `<td><span class="badge ${source}">${source}</span></td>`,
    `<td>${escapeHtml(r.itemName)}</td>`,
    `<td>${escapeHtml(r.cardinality)}</td>`,
    `<td><code>${escapeHtml(r.path)}</code></td>`,
    `<td><code>${escapeHtml(r.type)}</code></td>`,
    `<td>${codesCell(page, r)}</td>`,
    `<td>${profile}</td>`,
  ];
  return `<tr data-item="${escapeHtml(r.itemId)}" data-codes="${escapeHtml(searchableCodes(page, r))}">${cells.join('')}</tr>`;
}

/** The mapping pages as one self-contained HTML page: sections, a search box, code lists, links only within the repository. */
export function renderHtmlPage(page: MappingPage): string {
  const sections = rowsBySection(page.rows);
  const lists = usedCodeLists(page);
  const nav = [...sections.map(([s, rows]) => `<li><a href="#${anchorOfSection(s)}">${escapeHtml(s)}</a> (${rows.length})</li>`), `<li><a href="#code-lists">Code lists</a> (${lists.length})</li>`];
  const body = [
    `<p>${inline(INTRO.join(' '))}</p>`,
    `<p>${inline(SOURCE_LEGEND).replace('<strong>published</strong>', '<span class="badge published">published</span>').replace('<strong>reconstructed</strong>', '<span class="badge reconstructed">reconstructed</span>')}</p>`,
    `<p>${escapeHtml(countsLine(page.rows))}</p>`,
    ...caveat(page.missingBases).map((c) => `<p><strong>Note:</strong> ${escapeHtml(c)}</p>`),
    `<nav aria-label="Sections"><ul>${nav.join('')}</ul></nav>`,
    '<div class="search" role="search"><label for="q">Search items, paths and codes</label><input id="q" type="search" placeholder="e.g. conveyance, ADS33, see-and-treat"><span id="shown" role="status" aria-live="polite"></span></div>',
  ];
  for (const [section, rows] of sections) {
    body.push(
      `<section class="items" id="${anchorOfSection(section)}" aria-labelledby="h-${anchorOfSection(section)}"><h2 id="h-${anchorOfSection(section)}">${escapeHtml(section)}</h2><p>${escapeHtml(SECTION_TEXT[section])}</p>`,
      `<div class="table-wrap"><table><thead><tr>${HEADERS.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>`,
      ...rows.map((r) => rowHtml(page, r)),
      '</tbody></table></div></section>',
    );
  }
  body.push('<section id="code-lists" aria-labelledby="h-code-lists"><h2 id="h-code-lists">Code lists</h2><p>The codes each bound value set allows, with their displays, as the packages define them.</p>');
  for (const list of lists) {
    body.push(
      `<section class="codes" id="${escapeHtml(list.anchor)}"><h3>${escapeHtml(list.title)}</h3>`,
      `<p><code>${escapeHtml(list.url)}</code>, used by ${itemsUsing(page, list.url).map(escapeHtml).join(', ')}.${list.note ? ` Not listed in full: ${escapeHtml(list.note)}.` : ''}</p>`,
      list.codes.length
        ? `<table><thead><tr><th scope="col">Code</th><th scope="col">Display</th><th scope="col">System</th></tr></thead><tbody>${list.codes
            .map((c) => `<tr><td><code>${escapeHtml(c.code)}</code></td><td>${escapeHtml(c.display)}</td><td><code>${escapeHtml(c.system)}</code></td></tr>`)
            .join('')}</tbody></table>`
        : '',
      '</section>',
    );
  }
  body.push('</section>');
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${TITLE}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<header><h1>${TITLE}</h1></header><main>`,
    ...body,
    `</main><script>${SCRIPT}</script></body></html>`,
    '',
  ].join('\n');
}
