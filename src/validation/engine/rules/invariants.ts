/**
 * FHIRPath invariants (ElementDefinition.constraint), run through the InvariantEvaluator plug-in. Each
 * failure carries the rule id `<source>#<key>` compiled with the constraint.
 */
import type { InvariantEvaluator, PreparedInvariant } from '../../../plugin-types/index.js';
import type { CompiledConstraint, ElementNode } from '../../model.js';
import type { EnableWhenExpression } from '../../questionnaire/index.js';
import type { RuleContext } from '../context.js';
import { IssueLimit } from '../issue-sink.js';

type InvariantArgs = Parameters<InvariantEvaluator['evaluate']>[0];

/** The prepared checks of one element definition's constraints, for the evaluator they were prepared by. */
interface ConstraintPlan {
  evaluator: InvariantEvaluator;
  checks: (PreparedInvariant | undefined)[];
}

/** Keyed by the definition's constraint list: prepared once per definition, then run for every node it applies to. */
const plans = new WeakMap<readonly CompiledConstraint[], ConstraintPlan>();

function planFor(constraints: readonly CompiledConstraint[], ev: InvariantEvaluator): ConstraintPlan {
  let plan = plans.get(constraints);
  if (plan === undefined || plan.evaluator !== ev || plan.checks.length !== constraints.length) {
    plan = { evaluator: ev, checks: constraints.map((c) => ev.prepare?.(c.key, c.expression)) };
    plans.set(constraints, plan);
  }
  return plan;
}

/**
 * Evaluates node's constraints on value. A constraint whose prepared check holds needs nothing more; the others
 * go through `evaluate` for their issues. `args` is one object reused for every call of a walk (the evaluator
 * contract says it is not kept), so a walk allocates nothing per constraint.
 */
export function evaluateConstraints(node: ElementNode, value: unknown, path: string, elementType: string, ctx: RuleContext, args: InvariantArgs): void {
  const ev = ctx.options.invariants;
  const constraints = node.constraints;
  if (!ev || constraints.length === 0) return;
  const checks = planFor(constraints, ev).checks;
  const resource = ctx.scope?.resource;
  args.node = value;
  args.resource = resource;
  args.root = ctx.root;
  args.path = path;
  args.elementType = elementType;
  for (let i = 0; i < constraints.length; i++) {
    const check = checks[i];
    if (check !== undefined && check(value, resource)) continue;
    const c = constraints[i]!;
    try {
      args.key = c.key;
      args.rule = c.rule;
      args.expression = c.expression;
      args.severity = c.severity;
      args.human = c.human;
      const found = ev.evaluate(args);
      if (found.length > 0) ctx.addIssues(found, path);
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
