import type { ValidationIssue } from '../../plugin-types/index.js';
import { READER_FINDINGS } from './reader-findings.js';

/** Thrown to unwind a walk when the issue cap is reached, or a probe walk at its first error. */
export class IssueLimit extends Error {}

// One instance, thrown each time: a profile probe stops at its first error, often many times per resource, and
// a new Error would capture a stack trace each time that nobody reads.
const STOP = new IssueLimit('validation stopped');

/** Up to this many kept issues, a finding is looked for in the list; beyond, by key in a map. */
const SEEN_LIST_MAX = 32;

/**
 * Whether `${e1}|${r1}` and `${e2}|${r2}` are the same string, without making them: of equal lengths, the
 * locations alike and the rests alike; only locations of different lengths (a `|` inside one) need the strings.
 */
function sameKey(e1: string, r1: string, e2: string, r2: string): boolean {
  if (e1.length + r1.length !== e2.length + r2.length) return false;
  if (e1.length === e2.length) return e1 === e2 && r1 === r2;
  return `${e1}|${r1}` === `${e2}|${r2}`;
}

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
  /**
   * What identifies each issue kept, with its index in `issues`: its location and the rest of its key (the
   * message, or for a count finding what `sameAs` says). Few per walk, so they are compared in a list, without a
   * key string per finding; a long list is indexed by key (see {@link SEEN_LIST_MAX}).
   */
  private readonly seenExpressions: string[] = [];
  private readonly seenRests: string[] = [];
  private readonly seenAt: number[] = [];
  private seenIndex: Map<string, number> | undefined;
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
    const rest = sameAs === undefined ? message : `#${rule}|${sameAs}|${this.suffix}`;
    const at = this.seenAt.length < SEEN_LIST_MAX ? this.findInList(expression, rest) : this.findIndexed(expression, rest);
    if (at !== undefined) {
      const known = this.issues[at]!;
      if (RANK[severity] > RANK[known.severity]) this.issues[at] = { ...known, rule, severity, code };
      if (this.stopAtError && RANK[severity] >= RANK.error) throw STOP;
      return;
    }
    this.remember(expression, rest, this.issues.length);
    this.issues.push({ rule, severity, code, expression, message });
    if (this.stopAtError && RANK[severity] >= RANK.error) throw STOP;
    if (this.issues.length >= this.maxIssues) {
      this.issues.push({ rule: 'ADSFHIR_ISSUE_LIMIT', severity: 'error', code: 'too-costly', expression: '', message: `Validation stopped after ${this.maxIssues} issues` });
      throw STOP;
    }
  }

  /** The first issue kept whose key `${expression}|${rest}` is this one's. */
  private findInList(expression: string, rest: string): number | undefined {
    const exprs = this.seenExpressions;
    const rests = this.seenRests;
    for (let i = 0; i < exprs.length; i++) if (sameKey(exprs[i]!, rests[i]!, expression, rest)) return this.seenAt[i];
    return undefined;
  }

  private findIndexed(expression: string, rest: string): number | undefined {
    if (!this.seenIndex) {
      // The first keeps its index, as in the list.
      this.seenIndex = new Map();
      for (let i = this.seenAt.length - 1; i >= 0; i--) this.seenIndex.set(`${this.seenExpressions[i]}|${this.seenRests[i]}`, this.seenAt[i]!);
    }
    return this.seenIndex.get(`${expression}|${rest}`);
  }

  private remember(expression: string, rest: string, at: number): void {
    if (this.seenIndex) {
      this.seenIndex.set(`${expression}|${rest}`, at);
      return;
    }
    this.seenExpressions.push(expression);
    this.seenRests.push(rest);
    this.seenAt.push(at);
  }

  /** Copies issues a plug-in returned, at `path` where they name no location. */
  addAll(found: readonly ValidationIssue[], path: string): void {
    for (const i of found) this.add(i.rule, i.severity, i.code, i.expression || path, i.message);
  }
}
