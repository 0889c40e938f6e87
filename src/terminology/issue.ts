import type { ValidationIssue } from '../plugin-types/index.js';

/** One finding of a terminology rule, at a FHIRPath location. */
export function issue(rule: string, severity: ValidationIssue['severity'], code: string, message: string, expression: string): ValidationIssue {
  return { rule, severity, code, message, expression };
}

/** Keeps quoted values in messages short (a hostile payload cannot blow up the outcome). */
export function clip(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
