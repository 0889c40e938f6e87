import type { Report, ValidationIssue } from '../../plugin-types/index.js';

/** Severity a rule module reports with. */
export type RuleSeverity = 'error' | 'warning' | 'information';

/**
 * How a rule module reports a finding: its rule id (`UK_NHS_NUMBER_INVALID`, `ADS_RESPONSE_BEFORE_CALL`), the
 * severity, the FHIR issue type (`business-rule`, `code-invalid`, `value`, ...), the FHIRPath location and a message
 * that never repeats the value (it may be patient data). The engine's `Report`, so the modules can join its rule table.
 */
export type ReportIssue = Report;

/** A reporter that collects ValidationIssues into `into`. */
export function collectInto(into: ValidationIssue[]): ReportIssue {
  return (rule, severity, code, path, message) => {
    into.push({ rule, severity, code, expression: path, message });
  };
}
