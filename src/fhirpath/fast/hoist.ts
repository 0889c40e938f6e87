/**
 * Sub-expressions of a per-item criterion that do not depend on the item (`%resource.type = 'batch'` inside
 * `entry.all(...)`) are worked out once per evaluation instead of once per item. Values are kept only while
 * the evaluation runs: {@link evaluating} forgets them when it returns.
 */
import type { Eval } from './eval.js';
import type { Node } from './parse.js';

/** Functions whose argument is evaluated once per input item, with the item as focus and `$this`. */
export const PER_ITEM = new Set(['exists', 'all', 'where', 'select']);
/** Functions whose arguments are not evaluated with the caller's `$this` (per item, on the input, or never). */
const OWN_ARGUMENT_FOCUS = new Set([...PER_ITEM, 'iif', 'is', 'ofType', 'trace']);

/**
 * True when the sub-expression reads neither the focus nor `$this`: only literals, `%resource`,
 * `%rootResource`, and what is navigated or computed from them.
 */
export function focusFree(node: Node): boolean {
  switch (node.kind) {
    case 'literal':
      return true;
    case 'this':
      return false;
    case 'env':
      return node.name === 'resource' || node.name === 'rootResource';
    case 'member':
      return node.target !== undefined && focusFree(node.target);
    case 'index':
      return focusFree(node.target) && focusFree(node.index);
    case 'is':
    case 'as':
      return focusFree(node.target);
    case 'binary':
      return focusFree(node.left) && focusFree(node.right);
    case 'call':
      return node.target !== undefined && focusFree(node.target) && (OWN_ARGUMENT_FOCUS.has(node.name) || node.args.every(focusFree));
  }
}

/** Number of the evaluation running (or last run); a kept value is good for that evaluation only. */
let evaluation = 0;

/** A hoisted sub-expression's value, and the evaluation it belongs to. */
class Kept {
  at = -1;
  value: unknown[] = [];
}

/** `run` worked out at most once per evaluation; `sites` collects it so that the evaluation can forget it. */
export function oncePerEvaluation(run: Eval, sites: Kept[]): Eval {
  const kept = new Kept();
  sites.push(kept);
  return (f, s, e) => {
    if (kept.at !== evaluation) {
      kept.value = run(f, s, e);
      kept.at = evaluation;
    }
    return kept.value;
  };
}

export type { Kept };

/** Runs one evaluation of an expression with hoisted `sites`, and forgets their values after it. */
export function evaluating<T>(sites: readonly Kept[], run: () => T): T {
  evaluation++;
  try {
    return run();
  } finally {
    for (const k of sites) {
      k.at = -1;
      k.value = [];
    }
    evaluation++;
  }
}
