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
  /**
   * JSON key -> bit mask of the constraints (by position, the first 31) that hold on an object without any of
   * their keys; undefined when fewer than three constraints do (then a look at all the node's keys costs about
   * what running them does).
   */
  keys: Map<string, number> | undefined;
  /** The constraints in `keys`. */
  skippable: number;
}

/** Keyed by the definition's constraint list: prepared once per definition, then run for every node it applies to. */
const plans = new WeakMap<readonly CompiledConstraint[], ConstraintPlan>();

function planFor(constraints: readonly CompiledConstraint[], ev: InvariantEvaluator): ConstraintPlan {
  let plan = plans.get(constraints);
  if (plan === undefined || plan.evaluator !== ev || plan.checks.length !== constraints.length) {
    const checks = constraints.map((c) => ev.prepare?.(c.key, c.expression));
    let keys: Map<string, number> | undefined = new Map();
    let skippable = 0;
    for (let i = 0; i < Math.min(checks.length, 31); i++) {
      const without = checks[i]?.holdsWithout;
      if (!without) continue;
      skippable |= 1 << i;
      for (const k of without) keys.set(k, (keys.get(k) ?? 0) | (1 << i));
    }
    if (bitCount(skippable) < 3) keys = undefined;
    plan = { evaluator: ev, checks, keys, skippable: keys ? skippable : 0 };
    plans.set(constraints, plan);
  }
  return plan;
}

function bitCount(n: number): number {
  let count = 0;
  for (let m = n; m !== 0; m &= m - 1) count++;
  return count;
}

/** The constraints of `plan` that need not run on value: it is an object without any of their keys. */
function skippedOn(plan: ConstraintPlan, value: unknown): number {
  const keys = plan.keys;
  if (keys === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return 0;
  let present = 0;
  // Own keys walked, not looked up: see ownChild in src/fhirpath/fast/values.ts.
  for (const k in value) {
    const bits = keys.get(k);
    if (bits !== undefined) present |= bits;
  }
  return plan.skippable & ~present;
}

/**
 * Evaluates node's constraints on value. A constraint that holds on a node without the keys it reads is not
 * run on such a node; one whose prepared check holds needs nothing more; the others go through `evaluate`
 * for their issues. `args` is one object reused for every call of a walk (the evaluator contract says it is
 * not kept), so a walk allocates nothing per constraint.
 */
export function evaluateConstraints(node: ElementNode, value: unknown, path: string, elementType: string, ctx: RuleContext, args: InvariantArgs): void {
  const ev = ctx.options.invariants;
  const constraints = node.constraints;
  if (!ev || constraints.length === 0) return;
  const plan = planFor(constraints, ev);
  const checks = plan.checks;
  const skipped = skippedOn(plan, value);
  const resource = ctx.scope?.resource;
  let ready = false;
  for (let i = 0; i < constraints.length; i++) {
    if (i < 31 && (skipped & (1 << i)) !== 0) continue;
    const check = checks[i];
    if (check !== undefined && check(value, resource)) continue;
    const c = constraints[i]!;
    if (!ready) {
      args.node = value;
      args.resource = resource;
      args.root = ctx.root;
      args.path = path;
      args.elementType = elementType;
      ready = true;
    }
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
