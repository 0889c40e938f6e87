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
ul.issues{list-style:none;padding:0;margin:0}ul.issues li{padding:3px 0}
.sev{display:inline-block;min-width:80px;font-weight:600}.sev-error,.sev-fatal{color:#b00020}.sev-warning{color:#9a6700}.sev-information{color:#005eb8}
code{font-family:ui-monospace,monospace;font-size:12px;color:#555}
pre.payload{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;overflow:auto;max-height:600px;margin:8px 0;padding:0}
pre.payload span{display:block;padding:0 8px;white-space:pre}pre.payload span.hit-error{background:#ffe3e6}pre.payload span.hit-warning{background:#fff5cc}
pre.payload span:target{outline:2px solid #005eb8}.ok{color:#1a7f37}details summary{cursor:pointer;color:#005eb8}
`;

/**
 * One self-contained HTML page for a run: a summary, then per input its issues grouped by
 * resource, each linked to the highlighted line of a pretty-printed copy of the payload.
 * No external resources: it can be attached to a ticket and opened offline.
 */
export function formatHtml(results: readonly FileOutcome[], options: { title?: string; elapsedMs?: number } = {}): string {
  const summary = summarise(results, options.elapsedMs ?? 0);
  const sections = results.map((r, fileIndex) => renderFile(r, fileIndex));
  const title = escapeXml(options.title ?? 'ads-fhir validation report');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head>
<body><header><h1>${title}</h1><div>${escapeXml(summaryLine(summary))}; ${summary.failedFiles} of ${summary.payloads} invalid</div></header>
<main>${sections.join('\n')}</main></body></html>
`;
}

function renderFile(result: FileOutcome, fileIndex: number): string {
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
    ? `<details open><summary>Payload</summary><pre class="payload">${annotated.lines
        .map((l, i) => `<span id="${anchor(i)}"${hits.has(i) ? ` class="hit-${hits.get(i)}"` : ''}>${escapeXml(l.text)}</span>`)
        .join('')}</pre></details>`
    : '';
  return `<section class="file"><h2>${escapeXml(result.file)}</h2>${body}${pre}</section>`;
}
