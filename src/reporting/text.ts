import type { OperationOutcomeIssue } from 'fhir/r4';
import { positionOf, realIssues, resourceOf, summarise, summaryLine } from './summary.js';
import type { FileOutcome } from './types.js';

const ANSI = { red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** Plain text grouped by input and resource; ANSI colours when `colour` is set (a TTY). */
export function formatText(results: readonly FileOutcome[], options: { colour?: boolean; elapsedMs?: number } = {}): string {
  const lines: string[] = [];
  for (const result of results) lines.push(...textLines(result, options.colour === true));
  lines.push('', summaryLine(summarise(results, options.elapsedMs ?? 0)));
  return lines.join('\n') + '\n';
}

/** The lines one input contributes to the text report. */
export function textLines(result: FileOutcome, colour: boolean): string[] {
  const paint = (code: keyof typeof ANSI, text: string) => (colour ? `${ANSI[code]}${text}${ANSI.reset}` : text);
  const severityLabel = (i: OperationOutcomeIssue) => {
    const label = i.severity.padEnd(11);
    if (i.severity === 'error' || i.severity === 'fatal') return paint('red', label);
    if (i.severity === 'warning') return paint('yellow', label);
    return paint('blue', label);
  };
  const issues = realIssues(result);
  if (issues.length === 0) return [`${paint('bold', result.file)}: ${paint('dim', 'no issues')}`];
  const lines = [paint('bold', result.file)];
  const byResource = new Map<string, OperationOutcomeIssue[]>();
  for (const issue of issues) {
    const key = resourceOf(issue.expression?.[0]);
    byResource.set(key, [...(byResource.get(key) ?? []), issue]);
  }
  for (const [resource, group] of byResource) {
    lines.push(`  ${paint('dim', resource)}`);
    for (const issue of group) {
      const pos = positionOf(issue);
      const where = [issue.expression?.[0], pos ? `${pos.line}:${pos.column}` : undefined].filter(Boolean).join(' ');
      lines.push(`    ${severityLabel(issue)} ${issue.details?.text ?? issue.diagnostics ?? issue.code}${where ? paint('dim', `  ${where}`) : ''}`);
    }
  }
  return lines;
}
