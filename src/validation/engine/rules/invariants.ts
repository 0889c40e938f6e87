/**
 * FHIRPath invariants (ElementDefinition.constraint), run through the InvariantEvaluator plug-in. Each
 * failure carries the rule id `<source>#<key>` compiled with the constraint.
 */
import type { InvariantEvaluator } from '../../../plugin-types/index.js';
import type { ElementNode } from '../../model.js';
import type { EnableWhenExpression } from '../../questionnaire/index.js';
import type { RuleContext } from '../context.js';
import { IssueLimit } from '../issue-sink.js';

type InvariantArgs = Parameters<InvariantEvaluator['evaluate']>[0];

/**
 * Evaluates node's constraints on value. `args` is one object reused for every call of a walk (the
 * evaluator contract says it is not kept), so a walk allocates nothing per constraint.
 */
export function evaluateConstraints(node: ElementNode, value: unknown, path: string, elementType: string, ctx: RuleContext, args: InvariantArgs): void {
  const ev = ctx.options.invariants;
  if (!ev || node.constraints.length === 0) return;
  args.node = value;
  args.resource = ctx.scope?.resource;
  args.root = ctx.root;
  args.path = path;
  args.elementType = elementType;
  for (const c of node.constraints) {
    try {
      args.key = c.key;
      args.rule = c.rule;
      args.expression = c.expression;
      args.severity = c.severity;
      args.human = c.human;
      ctx.addIssues(ev.evaluate(args), path);
    } catch (e) {
      if (e instanceof IssueLimit) throw e;
      ctx.report('ADSFHIR_INVARIANT_NOT_EVALUATED', 'warning', 'exception', path, `The invariant ${c.key} could not be evaluated`);
    }
  }
}

/** An empty arguments object for {@link evaluateConstraints}. */
export function invariantArgs(): InvariantArgs {
  return { key: '', rule: '', expression: '', severity: 'error', human: '', node: undefined, resource: undefined, root: undefined, path: '', elementType: '' };
}

/** Evaluates a questionnaire's enable-when expressions on the response through the invariant evaluator. */
export function enableWhenExpression(qr: Record<string, unknown>, path: string, ctx: RuleContext): EnableWhenExpression | undefined {
  const ev = ctx.options.invariants;
  if (!ev) return undefined;
  return (expression) => {
    try {
      const found = ev.evaluate({ key: 'enableWhenExpression', expression, severity: 'error', human: '', node: qr, resource: qr, root: ctx.root, path, elementType: 'QuestionnaireResponse' });
      if (found.some((i) => i.code === 'invariant' && i.severity === 'error')) return false;
      return found.some((i) => i.severity === 'warning') ? undefined : true;
    } catch {
      return undefined;
    }
  };
}
