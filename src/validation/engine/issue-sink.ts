import type { ValidationIssue } from '../../plugin-types/index.js';
import { READER_FINDINGS } from './reader-findings.js';

/** Thrown to unwind a walk when the issue cap is reached, or a probe walk at its first error. */
export class IssueLimit extends Error {}

// One instance, thrown each time: a profile probe stops at its first error, often many times per resource, and
// a new Error would capture a stack trace each time that nobody reads.
const STOP = new IssueLimit('validation stopped');

const RANK: Record<ValidationIssue['severity'], number> = { fatal: 3, error: 2, warning: 1, information: 0 };

/**
 * The issue list of one walk. One finding is one issue: the same message at the same location, whichever
 * definition the walk was checking when it met it (a resource's base type and each profile it is walked
 * against, a slice and its sliced element), is kept once, at the most severe level it was reported with
 * (the reference validator's rule, InstanceValidator.addMessagesReplaceExistingIfMoreSevere). Also
 * attributes findings to a candidate profile while one is being tried, and stops the walk at the cap.
 */
export class IssueSink {
  readonly issues: ValidationIssue[] = [];
  /** Index in `issues` per location and message; made on first use: most resources have no issue at all. */
  private seen: Map<string, number> | undefined;
  /** Appended to every message while findings are attributed to one candidate profile. */
  suffix = '';
  /** Set on a walk that only decides whether a value conforms (a profile probe): the first error decides it. */
  stopAtError = false;
  /** Set on a profile probe: the JSON reader's findings are about the text, not the profile (reader-findings.ts). */
  ignoreReaderFindings = false;

  constructor(private readonly maxIssues: number) {}

  /** `sameAs`, when given, identifies the finding at its location in place of its message (see RuleContext.reportCount). */
  add(rule: string, severity: ValidationIssue['severity'], code: string, expression: string, text: string, sameAs?: string): void {
    if (this.ignoreReaderFindings && READER_FINDINGS.has(rule)) return;
    // Invariants are not attributed: a constraint a derived profile inherits is one rule, not two.
    const message = this.suffix && code !== 'invariant' ? `${text}${this.suffix}` : text;
    // A finding attributed to one candidate profile stays that candidate's (the suffix names it).
    const key = sameAs === undefined ? `${expression}|${message}` : `${expression}|#${rule}|${sameAs}|${this.suffix}`;
    this.seen ??= new Map();
    const at = this.seen.get(key);
    if (at !== undefined) {
      const known = this.issues[at]!;
      if (RANK[severity] > RANK[known.severity]) this.issues[at] = { ...known, rule, severity, code };
      if (this.stopAtError && RANK[severity] >= RANK.error) throw STOP;
      return;
    }
    this.seen.set(key, this.issues.length);
    this.issues.push({ rule, severity, code, expression, message });
    if (this.stopAtError && RANK[severity] >= RANK.error) throw STOP;
    if (this.issues.length >= this.maxIssues) {
      this.issues.push({ rule: 'ADSFHIR_ISSUE_LIMIT', severity: 'error', code: 'too-costly', expression: '', message: `Validation stopped after ${this.maxIssues} issues` });
      throw STOP;
    }
  }

  /** Copies issues a plug-in returned, at `path` where they name no location. */
  addAll(found: readonly ValidationIssue[], path: string): void {
    for (const i of found) this.add(i.rule, i.severity, i.code, i.expression || path, i.message);
  }
}
