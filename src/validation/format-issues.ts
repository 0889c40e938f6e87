import { FormatError, type FormatIssue } from '../format/index.js';
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

/**
 * XML that cannot be read at all (not well-formed, an undeclared entity such as `&reg;`, not FHIR) as the one
 * fatal issue of its outcome, as the reference validator reports a document its XML parser rejects.
 */
export function unreadableXmlIssue(e: unknown): ValidationIssue {
  if (e instanceof FormatError && e.rule) {
    // A root the reader does not know (no namespace, another namespace, no such resource): the reference's finding, at the root's name.
    const name = /'([^':]*)'|::([^']*)'/.exec(e.message);
    return { rule: e.rule, severity: 'fatal', code: 'structure', expression: name?.[1] ?? name?.[2] ?? '', message: e.message };
  }
  const issue: ValidationIssue = { rule: 'Error_parsing_', severity: 'fatal', code: 'structure', expression: '', message: `Error parsing XML: ${e instanceof Error ? e.message : 'unreadable'}` };
  if (e instanceof FormatError && e.line !== undefined) Object.assign(issue, { line: e.line, column: e.column ?? 1 });
  return issue;
}
