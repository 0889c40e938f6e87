import type { InvariantEvaluator, ValidationIssue } from '../../validation/plugins.js';
import { identifierRulesFor } from './rules.js';

/**
 * Applies the UK identifier rules to one Identifier element: every rule registered for its system is
 * evaluated as an invariant. Each issue carries the rule's id (`UK_NHS_NUMBER_INVALID`, ...). Returns no
 * issues for identifiers of other systems.
 */
export function checkUkIdentifier(
  evaluator: InvariantEvaluator,
  args: { identifier: unknown; resource: unknown; root: unknown; path: string },
): ValidationIssue[] {
  const system = (args.identifier as { system?: unknown } | null)?.system;
  const rules = identifierRulesFor(system);
  if (rules.length === 0) return [];
  return rules.flatMap(({ rule, ...constraint }) =>
    evaluator
      .evaluate({ ...constraint, node: args.identifier, resource: args.resource, root: args.root, path: args.path, elementType: 'Identifier' })
      // Notes the evaluator adds (information) are not findings of the rule.
      .map((issue) => (issue.severity === 'error' || issue.severity === 'warning' ? { ...issue, rule } : issue)),
  );
}
