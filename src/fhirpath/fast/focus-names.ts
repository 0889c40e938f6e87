/**
 * Which children of the node an expression reads. Most invariants read the node only through a few of its
 * children (`duration.empty() or durationUnit.exists()`); their result on a node that has none of those
 * children is their result on an empty object, known when the expression is compiled. The validator then
 * skips such a constraint on a node without those children (see InvariantEvaluator.prepare).
 */
import type { Node } from './parse.js';

/** Functions whose argument is evaluated once per input item, with the item as focus and `$this`. */
const PER_ITEM = new Set(['exists', 'all', 'where', 'select']);
/** Functions whose arguments are type names or ignored, never evaluated. */
const UNEVALUATED_ARGS = new Set(['is', 'ofType', 'trace']);

/** Thrown inside the analysis when the expression reads the node otherwise than through named children. */
class ReadsMore {}

/**
 * The names of the node's children the expression reads, when it reads the node only through them (its
 * own, non-inherited properties of those names: names every object inherits, such as `constructor`, do not
 * count as absent); undefined when it reads the node as a whole (`$this`, `children()`, a function of the node
 * itself), its type, or the environment (`%resource`...).
 */
export function focusNames(ast: Node): string[] | undefined {
  const names = new Set<string>();
  try {
    visit(ast, true, names);
  } catch (e) {
    if (e instanceof ReadsMore) return undefined;
    throw e;
  }
  return [...names];
}

/** `top`: the focus and `$this` of this sub-expression are the node itself (not an item below it). */
function visit(node: Node, top: boolean, names: Set<string>): void {
  switch (node.kind) {
    case 'literal':
      return;
    case 'this':
      if (top) throw new ReadsMore();
      return;
    case 'env':
      throw new ReadsMore();
    case 'member':
      if (node.target) return visit(node.target, top, names);
      if (top) {
        if (/^[A-Z]/.test(node.name) || node.name in Object.prototype) throw new ReadsMore();
        names.add(node.name);
      }
      return;
    case 'index':
      visit(node.target, top, names);
      return visit(node.index, top, names);
    case 'is':
    case 'as':
      return visit(node.target, top, names);
    case 'binary':
      visit(node.left, top, names);
      return visit(node.right, top, names);
    case 'call': {
      if (node.target) visit(node.target, top, names);
      else if (top) {
        // Only extension('url') reads a named child (`extension`) of the focus; any other function of the node
        // itself (exists(), children(), where(...) on the node...) reads it as a whole.
        if (node.name !== 'extension') throw new ReadsMore();
        names.add('extension');
      }
      if (UNEVALUATED_ARGS.has(node.name)) return;
      // Arguments of per-item functions and of iif() see the items of the input; the others see the same
      // `$this` as the call itself.
      const argsTop = top && !PER_ITEM.has(node.name) && node.name !== 'iif';
      for (const a of node.args) visit(a, argsTop, names);
      return;
    }
  }
}
