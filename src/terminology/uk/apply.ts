import type { InvariantEvaluator, ValidationIssue } from '../../plugin-types/index.js';
import { identifierRulesFor } from './rules.js';

/**
 * Applies the UK identifier rules to one Identifier element: every rule registered for its system is
 * evaluated as an invariant. Returns no issues for identifiers of other systems.
 */
export function checkUkIdentifier(
  evaluator: InvariantEvaluator,
  args: { identifier: unknown; resource: unknown; root: unknown; path: string },
): ValidationIssue[] {
  const system = (args.identifier as { system?: unknown } | null)?.system;
  const rules = identifierRulesFor(system);
  if (rules.length === 0) return [];
  return rules.flatMap((rule) =>
    evaluator.evaluate({ ...rule, node: args.identifier, resource: args.resource, root: args.root, path: args.path, elementType: 'Identifier' }),
  );
}
