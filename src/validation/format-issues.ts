import type { FormatIssue } from '../format/index.js';
import type { ValidationIssue } from '../plugin-types/index.js';

/** An issue the XML reader raised (unknown element, stray text, bad value) as a validation issue. */
export function fromFormatIssue(issue: FormatIssue): ValidationIssue {
  return {
    rule: issue.rule,
    severity: issue.severity,
    code: issue.code === 'invalid-value' ? 'value' : 'structure',
    expression: issue.path,
    message: issue.message,
    ...(issue.line !== undefined ? { line: issue.line, column: issue.column ?? 1 } : {}),
  };
}
