import type { OperationOutcomeIssue } from 'fhir/r4';

/** Where an OperationOutcome issue carries the id of the rule that raised it (see docs/rules.md). */
export const MESSAGE_ID_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id';
export const RULE_SYSTEM = 'urn:ads-fhir:rule';

/** The rule id of an OperationOutcome issue, or undefined when it carries none. */
export function ruleIdOf(issue: OperationOutcomeIssue): string | undefined {
  const fromExtension = issue.extension?.find((e) => e.url === MESSAGE_ID_EXTENSION)?.valueString;
  return fromExtension ?? issue.details?.coding?.find((c) => c.system === RULE_SYSTEM)?.code;
}

/** `severity rule@location` of every error and warning of an outcome, in its order. */
export function errorsAndWarnings(outcome: { issue: OperationOutcomeIssue[] }): string[] {
  return outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'warning').map((i) => `${i.severity} ${ruleIdOf(i)}@${i.expression?.[0] ?? ''}`);
}
