/** The binary operators of the fast subset, over their compiled operands (three-valued logic, equality, order, union). */
import type { Eval } from './eval.js';
import { bool, compare, distinct, EMPTY, equals, equivalent, FALSE, itemEquals, minus, NeedsFullEngine, plus, singleString, TRUE, truth } from './values.js';

export function compileBinary(op: string, left: Eval, right: Eval): Eval {
  switch (op) {
    case 'and':
      return (f, s, e) => {
        const a = truth(left(f, s, e));
        if (a === false) return FALSE;
        const b = truth(right(f, s, e));
        if (b === false) return FALSE;
        return a === true && b === true ? TRUE : EMPTY;
      };
    case 'or':
      return (f, s, e) => {
        const a = truth(left(f, s, e));
        if (a === true) return TRUE;
        const b = truth(right(f, s, e));
        if (b === true) return TRUE;
        return a === false && b === false ? FALSE : EMPTY;
      };
    case 'xor':
      return (f, s, e) => {
        const a = truth(left(f, s, e));
        const b = truth(right(f, s, e));
        return a === undefined || b === undefined ? EMPTY : bool(a !== b);
      };
    case 'implies':
      return (f, s, e) => {
        const a = truth(left(f, s, e));
        if (a === false) return TRUE;
        const b = truth(right(f, s, e));
        if (b === true) return TRUE;
        return a === true && b === false ? FALSE : EMPTY;
      };
    case '=':
      return (f, s, e) => bool(equals(left(f, s, e), right(f, s, e)));
    case '!=':
      return (f, s, e) => {
        const r = equals(left(f, s, e), right(f, s, e));
        return r === undefined ? EMPTY : bool(!r);
      };
    case '~':
      return (f, s, e) => bool(equivalent(left(f, s, e), right(f, s, e)));
    case '!~':
      return (f, s, e) => bool(!equivalent(left(f, s, e), right(f, s, e)));
    case '<':
    case '>':
    case '<=':
    case '>=':
      return (f, s, e) => bool(compare(op, left(f, s, e), right(f, s, e)));
    case '|':
      return (f, s, e) => distinct([...left(f, s, e), ...right(f, s, e)]);
    case '&':
      return (f, s, e) => [(singleString(left(f, s, e), '&') ?? '') + (singleString(right(f, s, e), '&') ?? '')];
    case '+':
      return (f, s, e) => plus(left(f, s, e), right(f, s, e));
    case '-':
      return (f, s, e) => minus(left(f, s, e), right(f, s, e));
    case 'in':
      return (f, s, e) => {
        const l = left(f, s, e);
        if (l.length === 0) return EMPTY;
        if (l.length > 1) throw new NeedsFullEngine('in on a collection');
        return bool(right(f, s, e).some((x) => itemEquals(l[0], x)));
      };
    case 'contains':
      return (f, s, e) => {
        const r = right(f, s, e);
        if (r.length === 0) return EMPTY;
        if (r.length > 1) throw new NeedsFullEngine('contains on a collection');
        return bool(left(f, s, e).some((x) => itemEquals(x, r[0])));
      };
    default:
      throw new Error(`operator ${op} not compiled`);
  }
}
