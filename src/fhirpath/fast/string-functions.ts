/**
 * The string functions of the fast subset (FHIRPath §5.6) and toInteger(), as fhirpath.js evaluates them on
 * a single string input: empty in, empty out; anything but one string goes to the full engine.
 */
import { definitionRegex } from '../regex.js';
import { arity, type Eval, NotInSubset } from './eval.js';
import { bool, EMPTY, NeedsFullEngine, singleString } from './values.js';

/** FHIRPath's integer literal form, which toInteger() converts from a string. */
const INTEGER_TEXT = /^[+-]?\d+$/;

/** The function compiled over its input and arguments, or undefined when `name` is not a string function. */
export function stringFunction(name: string, input: Eval, arg: readonly Eval[]): Eval | undefined {
  switch (name) {
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      arity(arg, 1, name);
      return (f, s, e) => {
        const str = singleString(input(f, s, e), name);
        const sub = singleString(arg[0]!(s, s, e), name);
        if (str === undefined || sub === undefined) return EMPTY;
        return bool(name === 'contains' ? str.includes(sub) : name === 'startsWith' ? str.startsWith(sub) : str.endsWith(sub));
      };
    case 'matches': {
      arity(arg, 1, name);
      // The pattern is almost always a literal: its regular expression is kept rather than found again per call.
      let pattern: string | undefined;
      let regex: RegExp | undefined;
      return (f, s, e) => {
        const str = singleString(input(f, s, e), name);
        const re = singleString(arg[0]!(s, s, e), name);
        if (str === undefined || re === undefined || re === '') return EMPTY;
        // Whole-string matching, as the evaluator's own matches() (see docs/invariants.md).
        if (re !== pattern || regex === undefined) {
          regex = definitionRegex(`^(?:${re})$`);
          pattern = re;
        }
        return bool(regex.test(str));
      };
    }
    case 'replaceMatches':
      arity(arg, 2, name);
      // The evaluator's own replaceMatches() (src/fhirpath/functions.ts), which tolerates Java-style escapes.
      return (f, s, e) => {
        const str = singleString(input(f, s, e), name);
        const re = singleString(arg[0]!(s, s, e), name);
        const by = singleString(arg[1]!(s, s, e), name);
        if (str === undefined || re === undefined || by === undefined || re === '') return EMPTY;
        return [str.replace(definitionRegex(re, 'g'), by)];
      };
    case 'length':
      arity(arg, 0, name);
      return (f, s, e) => {
        const str = singleString(input(f, s, e), name);
        return str === undefined ? EMPTY : [str.length];
      };
    case 'substring':
      if (arg.length !== 1 && arg.length !== 2) throw new NotInSubset('substring arguments');
      return (f, s, e) => {
        const str = singleString(input(f, s, e), name);
        const start = integerArgument(arg[0]!(s, s, e));
        if (str === undefined || start === undefined || start < 0 || start >= str.length) return EMPTY;
        if (arg.length === 1) return [str.substring(start)];
        const length = integerArgument(arg[1]!(s, s, e));
        return [length === undefined ? str.substring(start) : str.substring(start, start + length)];
      };
    case 'toInteger':
      arity(arg, 0, name);
      return (f, s, e) => {
        const c = input(f, s, e);
        if (c.length === 0) return EMPTY;
        if (c.length > 1) throw new NeedsFullEngine('toInteger() on a collection');
        const v = c[0];
        if (typeof v === 'boolean') return [v ? 1 : 0];
        if (typeof v === 'number') return Number.isInteger(v) ? [v] : EMPTY;
        if (typeof v === 'string') return INTEGER_TEXT.test(v) ? [Number.parseInt(v, 10)] : EMPTY;
        return EMPTY;
      };
    default:
      return undefined;
  }
}

/** A single integer argument; undefined when empty. */
function integerArgument(c: unknown[]): number | undefined {
  if (c.length === 0) return undefined;
  if (c.length > 1 || !Number.isInteger(c[0])) throw new NeedsFullEngine('integer argument');
  return c[0] as number;
}
