import { FhirPathInvariantEvaluator } from '../../fhirpath/index.js';
import type { InvariantEvaluator } from '../../plugin-types/index.js';
import { checkUkIdentifier, identifierRulesFor, ukFhirPathFunctions } from '../../terminology/uk/index.js';
import type { ReportIssue } from './report.js';
import type { TypedNode } from './walk.js';

let evaluator: InvariantEvaluator | undefined;

/**
 * The evaluator the UK rules run on: one with the UK FHIRPath functions registered, made once. The rules do not
 * borrow the engine's evaluator, which may be a generic one that knows nothing of UK rules.
 */
function ukEvaluator(): InvariantEvaluator {
  return (evaluator ??= new FhirPathInvariantEvaluator({ functions: ukFhirPathFunctions }));
}

/**
 * The UK identifier rules (docs/uk-rules.md) on one Identifier: NHS number check digit and ODS code formats, by
 * `Identifier.system`, wherever the Identifier sits. The rules are FHIRPath invariants of `src/terminology/uk`,
 * run through `checkUkIdentifier` (one implementation, shared with engines that add the rules to the compiled
 * Identifier element).
 */
export function checkUkIdentifierNode(n: TypedNode, root: unknown, report: ReportIssue): void {
  // Most identifiers have a system no UK rule is about: their location is not spelled out.
  if (n.type !== 'Identifier' || identifierRulesFor(n.node.system).length === 0) return;
  for (const issue of checkUkIdentifier(ukEvaluator(), { identifier: n.node, resource: n.resource, root, path: n.path })) {
    if (issue.severity === 'fatal') continue;
    report(issue.rule, issue.severity, issue.code, issue.expression, issue.message);
  }
}
