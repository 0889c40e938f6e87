import type { ValidationIssue } from '../../plugin-types/index.js';

/** Thrown to unwind a walk when the issue cap is reached. */
export class IssueLimit extends Error {}

/**
 * Rules whose message names the profile that set the constraint (the reference's "(from {profile})", "in the
 * profile {profile}"): one resource checked against two profiles breaks them once per profile. Every other finding
 * is about the value itself (its JSON shape, its form, an unknown property) and is one finding however many
 * profiles see it, as in the reference.
 */
const PROFILE_NAMED = new Set([
  'Validation_VAL_Profile_Minimum', 'Validation_VAL_Profile_Maximum', 'Validation_VAL_Profile_Minimum_SLICE',
  'Validation_VAL_Profile_Minimum_SLICE_EXT', 'VALIDATION_VAL_PROFILE_MINIMUM_MAGIC', 'Validation_VAL_Profile_NoCheckMax',
  'Validation_VAL_Profile_NoCheckMin', 'Validation_VAL_Profile_NotAllowed', 'Validation_VAL_Profile_OutOfOrder',
  'Validation_VAL_Profile_SliceOrder', 'Validation_VAL_Profile_NotSlice', 'Validation_VAL_Profile_WrongType',
  '_DT_Fixed_Wrong', 'PATTERN_CHECK_STRING', 'TYPE_CHECKS_PATTERN_CC', 'TYPE_CHECKS_PATTERN_CC_US', 'Profile_VAL_MissingElement',
  'Profile_VAL_NotAllowed', 'PRIMITIVE_MUSTHAVEVALUE_MESSAGE', 'PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE', 'XHTML_CONTROL_NO_SOURCE',
  'XHTML_CONTROL_NO_LANGS', 'XHTML_CONTROL_LANGS_REQUIRED', 'XHTML_CONTROL_LANGS_REQUIRED_LANG',
  // Ours, standing in for the reference's pattern and slicing messages.
  'ADSFHIR_PATTERN_MISMATCH', 'ADSFHIR_FIXED_ARRAY_LENGTH', 'ADSFHIR_SLICE_OPEN_AT_END',
]);

/**
 * The issue list of one walk: drops repeats (same severity, location and message), attributes
 * findings to the profile that set them or to a candidate profile while one is being tried, and stops
 * the walk at the cap.
 */
export class IssueSink {
  readonly issues: ValidationIssue[] = [];
  /** Made on first use: most resources have no issue at all. */
  private seen: Set<string> | undefined;
  /** Appended to every message while findings are attributed to one candidate profile. */
  suffix = '';
  /** Appended to the messages of profile-named rules while a resource is checked against one of its profiles. */
  profileSuffix = '';

  constructor(private readonly maxIssues: number) {}

  add(rule: string, severity: ValidationIssue['severity'], code: string, expression: string, text: string): void {
    // Invariants are not attributed: a constraint a derived profile inherits is one rule, not two.
    const attributed = code === 'invariant' ? '' : PROFILE_NAMED.has(rule) ? `${this.profileSuffix}${this.suffix}` : this.suffix;
    const message = attributed ? `${text}${attributed}` : text;
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
