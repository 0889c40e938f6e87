import type { OperationOutcomeIssue } from 'fhir/r4';
import type { FileOutcome, RunSummary } from './types.js';

/** True for the severities that make a payload invalid. */
export function isBlocking(issue: OperationOutcomeIssue): boolean {
  return issue.severity === 'error' || issue.severity === 'fatal';
}

/** Issues that say something: the validator's "No issues found" placeholder is left out. */
export function realIssues(result: FileOutcome): OperationOutcomeIssue[] {
  return result.outcome.issue.filter((i) => !(i.severity === 'information' && i.code === 'informational' && !i.expression));
}

/** The file a payload came from: an NDJSON line (`path.ndjson:12`) belongs to its file. */
function sourceFile(name: string): string {
  return /^(.*\.ndjson):\d+$/i.exec(name)?.[1] ?? name;
}

/** Counts errors, warnings and failing inputs as results arrive, keeping only the names of the files seen. */
export class SummaryTally {
  private readonly files = new Set<string>();
  private readonly counts = { payloads: 0, errors: 0, warnings: 0, information: 0, failedFiles: 0 };

  add(result: FileOutcome): void {
    this.counts.payloads++;
    this.files.add(sourceFile(result.file));
    let failed = false;
    for (const i of realIssues(result)) {
      if (isBlocking(i)) {
        this.counts.errors++;
        failed = true;
      } else if (i.severity === 'warning') this.counts.warnings++;
      else this.counts.information++;
    }
    if (failed) this.counts.failedFiles++;
  }

  summary(elapsedMs: number): RunSummary {
    return { ...this.counts, files: this.files.size, elapsedMs };
  }
}

/** Counts errors, warnings and failing inputs over a run. */
export function summarise(results: readonly FileOutcome[], elapsedMs: number): RunSummary {
  const tally = new SummaryTally();
  for (const r of results) tally.add(r);
  return tally.summary(elapsedMs);
}

/** `3 files, 2 errors, 1 warning (0.4 s)`, or `1 200 payloads in 2 files, ...` when NDJSON holds several. */
export function summaryLine(s: RunSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const inputs = s.payloads === s.files ? plural(s.files, 'file') : `${plural(s.payloads, 'payload')} in ${plural(s.files, 'file')}`;
  return `${inputs}, ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')} (${(s.elapsedMs / 1000).toFixed(1)} s)`;
}

/** The resource an issue belongs to: the expression up to the first element below a resource. */
export function resourceOf(expression: string | undefined): string {
  if (!expression) return '(whole payload)';
  const entry = /^(.*?\.entry\[\d+\]\.resource)/.exec(expression);
  if (entry?.[1]) return entry[1];
  const contained = /^(.*?\.contained\[\d+\])/.exec(expression);
  if (contained?.[1]) return contained[1];
  const root = /^[A-Z][A-Za-z]*/.exec(expression);
  return root ? root[0] : '(whole payload)';
}

/** Line and column of an issue, from the standard OperationOutcome extensions. */
export function positionOf(issue: OperationOutcomeIssue): { line: number; column: number } | undefined {
  const line = issue.extension?.find((e) => e.url.endsWith('operationoutcome-issue-line'))?.valueInteger;
  const column = issue.extension?.find((e) => e.url.endsWith('operationoutcome-issue-col'))?.valueInteger;
  return line === undefined ? undefined : { line, column: column ?? 1 };
}
