import type { OperationOutcomeIssue } from 'fhir/r4';
import { annotateJson, lineForExpression } from './annotated-json.js';
import { escapeXml } from './junit.js';
import { isBlocking, positionOf, realIssues, resourceOf, summarise, summaryLine } from './summary.js';
import type { FileOutcome } from './types.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#005eb8;color:#fff;padding:12px 20px}header h1{margin:0;font-size:20px}
main{padding:12px 20px}section.file{background:#fff;border:1px solid #ddd;border-radius:6px;margin:14px 0;padding:10px 16px}
h2{font-size:16px;margin:6px 0}h3{font-size:13px;color:#555;margin:10px 0 4px;font-family:ui-monospace,monospace}
ul.issues{list-style:none;padding:0;margin:0}ul.issues li{padding:3px 0}ul.issues a{white-space:nowrap}
.sev{display:inline-block;min-width:80px;font-weight:600}.sev-error,.sev-fatal{color:#b00020}.sev-warning{color:#9a6700}.sev-information{color:#005eb8}
code{font-family:ui-monospace,monospace;font-size:12px;color:#555}
pre.payload{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;overflow:auto;max-height:600px;margin:8px 0;padding:0}
pre.payload span{display:block;padding:0 8px;white-space:pre}pre.payload span.hit-error{background:#ffe3e6}pre.payload span.hit-warning{background:#fff5cc}
pre.payload span:target{outline:2px solid #005eb8}.ok{color:#1a7f37}details summary{cursor:pointer;color:#005eb8}
pre.payload span,section.file{scroll-margin-top:4em}
table.summary{border-collapse:collapse;background:#fff;margin:10px 0;max-width:100%}
table.summary th,table.summary td{border:1px solid #ddd;padding:4px 10px;text-align:left}table.summary td.n{text-align:right;font-variant-numeric:tabular-nums}
table.summary caption{text-align:left;font-weight:600;padding:4px 0}table.summary th{background:#eef5fc}table.summary tr.invalid td:first-child a{color:#b00020;font-weight:600}table.summary tfoot td{font-weight:600}
.status{font-weight:600}.status.bad{color:#b00020}.status.good{color:#1a7f37}
`;

/** Opens a collapsed payload before following a link into it (a line link of a file shown folded). */
const SCRIPT = `document.addEventListener('click',function(e){var a=e.target.closest&&e.target.closest('a[href^="#"]');if(!a)return;var t=document.getElementById(a.hash.slice(1));var d=t&&t.closest('details');if(d)d.open=true;});`;

/** Above this many inputs, payload copies start folded so the page stays short; line links unfold them. */
const OPEN_PAYLOADS_UP_TO = 3;

interface FileCounts {
  errors: number;
  warnings: number;
  information: number;
}

function countsOf(result: FileOutcome): FileCounts {
  const counts = { errors: 0, warnings: 0, information: 0 };
  for (const issue of realIssues(result)) {
    if (isBlocking(issue)) counts.errors++;
    else if (issue.severity === 'warning') counts.warnings++;
    else counts.information++;
  }
  return counts;
}

/** The index at the top: one row per input with its counts, linked to its section, invalid inputs marked in words. */
function summaryTable(results: readonly FileOutcome[]): string {
  const counts = results.map(countsOf);
  const total = counts.reduce((a, c) => ({ errors: a.errors + c.errors, warnings: a.warnings + c.warnings, information: a.information + c.information }), { errors: 0, warnings: 0, information: 0 });
  const rows = results.map((r, i) => {
    const c = counts[i]!;
    const status = c.errors ? '<span class="status bad">invalid</span>' : '<span class="status good">valid</span>';
    return `<tr${c.errors ? ' class="invalid"' : ''}><td><a href="#f${i}">${escapeXml(r.file)}</a></td><td>${status}</td><td class="n">${c.errors}</td><td class="n">${c.warnings}</td><td class="n">${c.information}</td></tr>`;
  });
  return `<table class="summary"><caption>Issues per input</caption><thead><tr><th scope="col">Input</th><th scope="col">Result</th><th scope="col">Errors</th><th scope="col">Warnings</th><th scope="col">Information</th></tr></thead>
<tbody>${rows.join('\n')}</tbody><tfoot><tr><td>${results.length} input${results.length === 1 ? '' : 's'}</td><td></td><td class="n">${total.errors}</td><td class="n">${total.warnings}</td><td class="n">${total.information}</td></tr></tfoot></table>`;
}

/**
 * One self-contained HTML page for a run: a summary, then per input its issues grouped by
 * resource, each linked to the highlighted line of a pretty-printed copy of the payload.
 * No external resources: it can be attached to a ticket and opened offline.
 */
export function formatHtml(results: readonly FileOutcome[], options: { title?: string; elapsedMs?: number } = {}): string {
  const summary = summarise(results, options.elapsedMs ?? 0);
  const openPayloads = results.length <= OPEN_PAYLOADS_UP_TO;
  const sections = results.map((r, fileIndex) => renderFile(r, fileIndex, openPayloads));
  const title = escapeXml(options.title ?? 'ads-fhir validation report');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head>
<body><header><h1>${title}</h1><div>${escapeXml(summaryLine(summary))}; ${summary.failedFiles} of ${summary.payloads} invalid</div></header>
<main><nav aria-label="Inputs">${summaryTable(results)}</nav>
${sections.join('\n')}</main><script>${SCRIPT}</script></body></html>
`;
}

function renderFile(result: FileOutcome, fileIndex: number, openPayload: boolean): string {
  const issues = realIssues(result);
  let payload: unknown;
  try {
    payload = result.source === undefined ? undefined : JSON.parse(result.source);
  } catch {
    payload = undefined;
  }
  const annotated = payload === undefined ? undefined : annotateJson(payload);
  const anchor = (line: number) => `f${fileIndex}-l${line + 1}`;
  const hits = new Map<number, 'error' | 'warning'>();

  const byResource = new Map<string, OperationOutcomeIssue[]>();
  for (const issue of issues) {
    const key = resourceOf(issue.expression?.[0]);
    byResource.set(key, [...(byResource.get(key) ?? []), issue]);
  }
  const groups = [...byResource].map(([resource, group]) => {
    const items = group.map((issue) => {
      const line = annotated ? lineForExpression(annotated, issue.expression?.[0]) : undefined;
      if (line !== undefined) hits.set(line, isBlocking(issue) || hits.get(line) === 'error' ? 'error' : 'warning');
      const pos = positionOf(issue);
      const where = issue.expression?.[0] ? `<code>${escapeXml(issue.expression[0])}</code>` : '';
      const link = line !== undefined ? ` <a href="#${anchor(line)}">line ${line + 1}</a>` : pos ? ` <code>${pos.line}:${pos.column}</code>` : '';
      return `<li><span class="sev sev-${issue.severity}">${issue.severity}</span> ${escapeXml(issue.details?.text ?? issue.diagnostics ?? issue.code)} ${where}${link}</li>`;
    });
    return `<h3>${escapeXml(resource)}</h3><ul class="issues">${items.join('')}</ul>`;
  });

  const body = issues.length ? groups.join('') : '<p class="ok">No issues found.</p>';
  const pre = annotated
    ? `<details${openPayload ? ' open' : ''}><summary>Payload</summary><pre class="payload">${annotated.lines
        .map((l, i) => `<span id="${anchor(i)}"${hits.has(i) ? ` class="hit-${hits.get(i)}"` : ''}>${escapeXml(l.text)}</span>`)
        .join('')}</pre></details>`
    : '';
  return `<section class="file" id="f${fileIndex}"><h2>${escapeXml(result.file)}</h2>${body}${pre}</section>`;
}
