import { checkUkIdentifier } from '../../terminology/uk/index.js';
import type { InvariantEvaluator } from '../plugins.js';
import type { ReportIssue } from './report.js';
import type { TypedNode } from './walk.js';

/**
 * The UK identifier rules (docs/uk-rules.md) on one Identifier: NHS number check digit and ODS code formats, by
 * `Identifier.system`, wherever the Identifier sits. The rules are FHIRPath invariants of `src/terminology/uk`,
 * run by the invariant evaluator the validator was given (one implementation, shared with engines that add the
 * rules to the compiled Identifier element).
 */
export function checkUkIdentifierNode(evaluator: InvariantEvaluator, n: TypedNode, root: unknown, report: ReportIssue): void {
  if (n.type !== 'Identifier') return;
  for (const issue of checkUkIdentifier(evaluator, { identifier: n.node, resource: n.resource, root, path: n.path })) {
    if (issue.severity === 'fatal') continue;
    report(issue.rule ?? 'UK_IDENTIFIER', issue.severity, issue.code, issue.expression, issue.message);
  }
}
