import type { ValidationIssue } from '../../plugin-types/index.js';

/** Thrown to unwind a walk when the issue cap is reached. */
export class IssueLimit extends Error {}

/**
 * The issue list of one walk: drops repeats (same severity, location and message), attributes
 * findings to a candidate profile while one is being tried, and stops the walk at the cap.
 */
export class IssueSink {
  readonly issues: ValidationIssue[] = [];
  /** Made on first use: most resources have no issue at all. */
  private seen: Set<string> | undefined;
  /** Appended to every message while findings are attributed to one candidate profile. */
  suffix = '';

  constructor(private readonly maxIssues: number) {}

  add(rule: string, severity: ValidationIssue['severity'], code: string, expression: string, text: string): void {
    // Invariants are not attributed: a constraint a derived profile inherits is one rule, not two.
    const message = this.suffix && code !== 'invariant' ? `${text}${this.suffix}` : text;
    const key = `${severity}|${expression}|${message}`;
    this.seen ??= new Set();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.issues.push({ rule, severity, code, expression, message });
    if (this.issues.length >= this.maxIssues) {
      this.issues.push({ rule: 'ADSFHIR_ISSUE_LIMIT', severity: 'error', code: 'too-costly', expression: '', message: `Validation stopped after ${this.maxIssues} issues` });
      throw new IssueLimit();
    }
  }

  /** Copies issues a plug-in returned, at `path` where they name no location. */
  addAll(found: readonly ValidationIssue[], path: string): void {
    for (const i of found) this.add(i.rule, i.severity, i.code, i.expression || path, i.message);
  }
}
