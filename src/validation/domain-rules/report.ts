import type { ValidationIssue } from '../plugins.js';

/** Severity a rule module reports with. */
export type RuleSeverity = 'error' | 'warning' | 'information';

/**
 * How a rule module reports a finding: its rule id (`UK_NHS_NUMBER_INVALID`, `ADS_RESPONSE_BEFORE_CALL`), the
 * severity, the FHIR issue type (`business-rule`, `code-invalid`, `value`, ...), the FHIRPath location and a message
 * that never repeats the value (it may be patient data).
 */
export type ReportIssue = (rule: string, severity: RuleSeverity, code: string, path: string, message: string) => void;

/** A reporter that collects ValidationIssues into `into`. */
export function collectInto(into: ValidationIssue[]): ReportIssue {
  return (rule, severity, code, path, message) => {
    into.push({ severity, code, expression: path, message, rule });
  };
}
