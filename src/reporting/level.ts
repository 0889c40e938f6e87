import type { OperationOutcome } from 'fhir/r4';

/** How much a report shows, as the HL7 validator's `-level`: errors only, errors and warnings, or everything. */
export type ReportLevel = 'error' | 'warning' | 'information';

export const REPORT_LEVELS: readonly ReportLevel[] = ['error', 'warning', 'information'];

/** The spellings the HL7 validator's `-level` takes, and ours. */
const SPELLINGS: Readonly<Record<string, ReportLevel>> = {
  e: 'error', error: 'error', errors: 'error',
  w: 'warning', warning: 'warning', warnings: 'warning',
  i: 'information', info: 'information', information: 'information', h: 'information', hint: 'information', hints: 'information',
};

/** Reads a level as a user may spell it (`errors`, `warning`, `hints`...), or undefined. */
export function parseReportLevel(text: string): ReportLevel | undefined {
  return SPELLINGS[text.trim().toLowerCase()];
}

const RANK: Readonly<Record<string, number>> = { fatal: 0, error: 0, warning: 1, information: 2 };

/**
 * The outcome with only the issues at `level` or more severe (the same object when nothing is dropped). An
 * OperationOutcome holds at least one issue: when none is left, it holds the usual "nothing found" information
 * (which reports count as no issue).
 */
export function issuesAtLevel(outcome: OperationOutcome, level: ReportLevel): OperationOutcome {
  if (level === 'information') return outcome;
  const limit = RANK[level]!;
  const issue = outcome.issue.filter((i) => (RANK[i.severity] ?? 2) <= limit);
  if (issue.length === outcome.issue.length) return outcome;
  return { ...outcome, issue: issue.length ? issue : [{ severity: 'information', code: 'informational', details: { text: `No issues at level ${level}` } }] };
}
