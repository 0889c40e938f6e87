/**
 * Compiles the common subset of FHIRPath straight to closures over FHIR JSON, for the invariants the
 * validator runs on every element. fhirpath.js wraps each node in typed objects on every call; these
 * closures read the JSON as it is, which is what makes invariants cheap enough to run on everything.
 *
 * Only what can be decided from the JSON alone is compiled. When a value needs type knowledge the
 * closure does not have (a string that may be a date, a navigation into a primitive's extensions), it
 * throws {@link NeedsFullEngine} and the caller re-runs the expression with fhirpath.js, so results
 * always agree with it.
 */
import type { FhirPathFunction } from '../functions.js';
import { arity, type Eval, type FastEnv, NotInSubset } from './eval.js';
import { choiceTypeTest } from './choice-types.js';
import { focusNames } from './focus-names.js';
import { evaluating, focusFree, type Kept, oncePerEvaluation, PER_ITEM } from './hoist.js';
import { compileBinary } from './binary.js';
import { type Node, parseFast } from './parse.js';
import { type FastResolver, isType, ofType, resolveReferences } from './resources.js';
import { stringFunction } from './string-functions.js';
import { children, descendants } from './tree.js';
import {
  bool,
  booleans,
  type ChildName,
  childName,
  FALSE,
  hasMember,
  distinct,
  EMPTY,
  isObject,
  itemEquals,
  jsonKeys,
  member,
  NeedsFullEngine,
  singleString,
  TRUE,
  truth,
} from './values.js';

export { NeedsFullEngine } from './values.js';

export type { FastEnv } from './eval.js';

export type FastExpression = ((node: unknown, env: FastEnv) => unknown[]) & {
  /**
   * The JSON keys of an object node the expression reads (its children's names, their `_name` companions and
   * typed spellings of choice elements), when it reads the node through them alone: on an object without any
   * of them, its result is its result on `{}`. Absent when it reads the node otherwise.
   */
  readonly reads?: readonly string[];
};

/** A sub-expression of literals only (`'a' | 'b' | 'c'`), whose value is the same on every call. */
function isConstant(node: Node): boolean {
  return node.kind === 'literal' || (node.kind === 'binary' && isConstant(node.left) && isConstant(node.right));
}

const NO_ENV: FastEnv = { resource: undefined, rootResource: undefined };

/** While compiling a per-item criterion: where its item-independent sub-expressions are kept (hoist.ts). */
let hoistInto: Kept[] | undefined;
/** Every hoisted sub-expression of the expression being compiled. */
let hoisted: Kept[] = [];

function compileNode(node: Node): Eval {
  if (hoistInto !== undefined && !isConstant(node) && focusFree(node)) {
    const sites = hoistInto;
    hoistInto = undefined; // the outermost such sub-expression is kept, not its parts
    try {
      return oncePerEvaluation(compileTerm(node), sites);
    } finally {
      hoistInto = sites;
    }
  }
  const run = compileTerm(node);
  if (node.kind !== 'binary' || !isConstant(node)) return run;
  // Worked out once here rather than on every call (closures never change a collection they are given).
  try {
    const value = run(EMPTY, EMPTY, NO_ENV);
    return () => value;
  } catch {
    return run; // e.g. decimal arithmetic, which fhirpath.js works out when the value is needed
  }
}

function compileTerm(node: Node): Eval {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'this':
      return (_focus, self) => self;
    case 'env': {
      const name = node.name;
      if (name === 'resource') return (_f, _s, env) => (env.resource === undefined ? [] : [env.resource]);
      if (name === 'rootResource') return (_f, _s, env) => (env.rootResource === undefined ? [] : [env.rootResource]);
      if (name === 'extension')
        return (_f, _s, env) => {
          if (env.extension === undefined) throw new NeedsFullEngine('%extension is set only for context invariants');
          return [env.extension];
        };
      return (_f, self) => self;
    }
    case 'member': {
      const name = node.name;
      const target = node.target ? compileNode(node.target) : undefined;
      if (!target && /^[A-Z]/.test(name)) {
        // A leading type name: FHIRPath filters the focus by it.
        return (focus) => {
          if (focus.every((f) => isObject(f) && f.resourceType === name)) return focus;
          throw new NeedsFullEngine('type name at the start of a path');
        };
      }
      const child = childName(name);
      if (!target) return (focus) => member(focus, child);
      return (focus, self, env) => member(target(focus, self, env), child);
    }
    case 'index': {
      const target = compileNode(node.target);
      const index = compileNode(node.index);
      return (focus, self, env) => {
        const i = index(self, self, env);
        if (i.length !== 1 || typeof i[0] !== 'number') throw new NeedsFullEngine('index');
        const c = target(focus, self, env);
        const x = c[i[0]];
        return x === undefined ? [] : [x];
      };
    }
    case 'is':
    case 'as': {
      const t = node.target;
      if (t.kind === 'member' && !/^[A-Z]/.test(t.name)) {
        // A choice element: its JSON key tells the type (choice-types.ts).
        const parent: Eval = t.target ? compileNode(t.target) : (focus) => focus;
        const test = choiceTypeTest(node.kind, parent, t.name, node.type);
        if (test) return test;
      }
      if (node.kind === 'as') throw new NotInSubset('as');
      const target = compileNode(t);
      const type = node.type;
      return (focus, self, env) => isType(target(focus, self, env), type);
    }
    case 'binary':
      return compileBinary(node.op, compileNode(node.left), compileNode(node.right));
    case 'call': {
      const t = node.target;
      if ((node.name === 'exists' || node.name === 'empty') && node.args.length === 0 && t?.kind === 'member' && !/^[A-Z]/.test(t.name)) {
        return childPresence(t.target ? compileNode(t.target) : undefined, childName(t.name), node.name === 'exists');
      }
      return compileCall(node.name, t ? compileNode(t) : undefined, node.args);
    }
  }
}

/**
 * `child.exists()` / `child.empty()`: on one object, decided from the child's value without building the
 * collection ({@link hasMember}); otherwise as the navigation and the count would give it.
 */
function childPresence(parent: Eval | undefined, child: ChildName, exists: boolean): Eval {
  return (f, s, e) => {
    const p = parent ? parent(f, s, e) : f;
    const has = hasMember(p, child) ?? member(p, child).length > 0;
    return has === exists ? TRUE : FALSE;
  };
}

function compileCall(name: string, target: Eval | undefined, args: Node[]): Eval {
  const input: Eval = target ?? ((focus) => focus);
  const outer = hoistInto;
  if (PER_ITEM.has(name)) hoistInto = hoisted;
  let arg: Eval[];
  try {
    arg = args.map(compileNode);
  } finally {
    hoistInto = outer;
  }
  /** Evaluates a criteria argument once per item, with the item as focus and $this. */
  const per = (a: Eval) => (item: unknown, env: FastEnv) => {
    const one = [item];
    return a(one, one, env);
  };
  switch (name) {
    case 'exists':
      if (args.length === 0) return (f, s, e) => bool(input(f, s, e).length > 0);
      arity(args, 1, name);
      return ((crit) => (f: unknown[], s: unknown[], e: FastEnv) => bool(input(f, s, e).some((x) => truth(crit(x, e)) === true)))(per(arg[0]!));
    case 'empty':
      arity(args, 0, name);
      return (f, s, e) => bool(input(f, s, e).length === 0);
    case 'not':
      arity(args, 0, name);
      return (f, s, e) => {
        const b = truth(input(f, s, e));
        return b === undefined ? EMPTY : bool(!b);
      };
    case 'count':
      arity(args, 0, name);
      return (f, s, e) => [input(f, s, e).length];
    case 'hasValue':
      arity(args, 0, name);
      return (f, s, e) => {
        const c = input(f, s, e);
        return bool(c.length === 1 && !isObject(c[0]));
      };
    case 'all':
      arity(args, 1, name);
      return ((crit) => (f: unknown[], s: unknown[], e: FastEnv) => bool(input(f, s, e).every((x) => truth(crit(x, e)) === true)))(per(arg[0]!));
    case 'where':
      arity(args, 1, name);
      return ((crit) => (f: unknown[], s: unknown[], e: FastEnv) => input(f, s, e).filter((x) => truth(crit(x, e)) === true))(per(arg[0]!));
    case 'select':
      arity(args, 1, name);
      // A loop rather than flatMap, which costs several times as much in V8.
      return ((proj) => (f: unknown[], s: unknown[], e: FastEnv) => {
        const out: unknown[] = [];
        for (const x of input(f, s, e)) for (const y of proj(x, e)) out.push(y);
        return out;
      })(per(arg[0]!));
    case 'allTrue':
      arity(args, 0, name);
      return (f, s, e) => bool(booleans(input(f, s, e), name).every((b) => b));
    case 'allFalse':
      arity(args, 0, name);
      return (f, s, e) => bool(booleans(input(f, s, e), name).every((b) => !b));
    case 'anyTrue':
      arity(args, 0, name);
      return (f, s, e) => bool(booleans(input(f, s, e), name).some((b) => b));
    case 'anyFalse':
      arity(args, 0, name);
      return (f, s, e) => bool(booleans(input(f, s, e), name).some((b) => !b));
    case 'trace':
      // The evaluator silences trace output: trace(name) hands its input on unchanged.
      arity(args, 1, name);
      return input;
    case 'tail':
      arity(args, 0, name);
      return (f, s, e) => input(f, s, e).slice(1);
    case 'iif':
      return iif(input, arg);
    case 'first':
      arity(args, 0, name);
      return (f, s, e) => input(f, s, e).slice(0, 1);
    case 'last':
      arity(args, 0, name);
      return (f, s, e) => input(f, s, e).slice(-1);
    case 'distinct':
      arity(args, 0, name);
      return (f, s, e) => distinct(input(f, s, e));
    case 'isDistinct':
      arity(args, 0, name);
      return (f, s, e) => {
        const c = input(f, s, e);
        return bool(distinct(c).length === c.length);
      };
    case 'children':
      arity(args, 0, name);
      return (f, s, e) => children(input(f, s, e));
    case 'descendants':
      arity(args, 0, name);
      return (f, s, e) => descendants(input(f, s, e));
    case 'combine':
      // Union without removing duplicates, the input first.
      arity(args, 1, name);
      return (f, s, e) => {
        const c = input(f, s, e);
        const other = arg[0]!(s, s, e);
        return other.length === 0 ? c : c.length === 0 ? other : [...c, ...other];
      };
    case 'intersect':
      arity(args, 1, name);
      return (f, s, e) => {
        const other = arg[0]!(s, s, e);
        return distinct(input(f, s, e).filter((x) => other.some((y) => itemEquals(x, y))));
      };
    case 'is':
      arity(args, 1, name);
      if (args[0]!.kind !== 'member' || args[0]!.target) throw new NotInSubset('is() argument');
      return ((type: string) => (f: unknown[], s: unknown[], e: FastEnv) => isType(input(f, s, e), type))(args[0]!.name);
    case 'ofType':
      arity(args, 1, name);
      if (args[0]!.kind !== 'member' || args[0]!.target) throw new NotInSubset('ofType() argument');
      return ofType(input, args[0]!.name);
    case 'resolve':
      arity(args, 0, name);
      return resolveReferences(input, resolver);
    case 'extension':
      arity(args, 1, name);
      return (f, s, e) => {
        const url = singleString(arg[0]!(s, s, e), 'extension');
        return member(input(f, s, e), EXTENSION).filter((x) => isObject(x) && x.url === url);
      };
    default: {
      const builtIn = stringFunction(name, input, arg);
      if (builtIn) return builtIn;
      // A caller's own function over plain values (not fhirpath.js nodes) runs as it would in fhirpath.js.
      const custom = callerFunctions?.[name];
      if (!custom || custom.internalStructures || args.length !== 0) throw new NotInSubset(`function ${name}`);
      return (f, s, e) => {
        const out = custom.fn(input(f, s, e));
        return Array.isArray(out) ? out : out === undefined || out === null ? [] : [out];
      };
    }
  }
}

/**
 * `iif(criterion, true-result [, otherwise-result])`: the arguments are evaluated on the input collection
 * (as focus and `$this`), and the criterion selects only when it is a single `true` (fhirpath.js's isTrue).
 */
function iif(input: Eval, arg: Eval[]): Eval {
  if (arg.length !== 2 && arg.length !== 3) throw new NotInSubset('iif arguments');
  const [criterion, then, otherwise] = arg as [Eval, Eval, Eval | undefined];
  return (f, s, e) => {
    const c = input(f, s, e);
    const test = criterion(c, c, e);
    if (test.length === 1 && test[0] === true) return then(c, c, e);
    return otherwise ? otherwise(c, c, e) : EMPTY;
  };
}

const EXTENSION = childName('extension');

/** The caller's custom functions while {@link compileFast} runs (compilation is synchronous). */
let callerFunctions: Readonly<Record<string, FhirPathFunction>> | undefined;
/** The caller's resolve() while {@link compileFast} runs. */
let resolver: FastResolver | undefined;

/**
 * The expression compiled to a closure when it lies in the fast subset, else undefined. The closure
 * may still throw {@link NeedsFullEngine} for a value it cannot judge alone. `functions`: the caller's own
 * FHIRPath functions that take no arguments and read plain values, callable from the closure. `resolve`: what
 * `resolve()` calls (the evaluator's own, reading its scope); without it, expressions calling resolve() are
 * left to fhirpath.js.
 */
export function compileFast(expression: string, functions?: Readonly<Record<string, FhirPathFunction>>, resolve?: FastResolver): FastExpression | undefined {
  const ast = parseFast(expression);
  if (!ast) return undefined;
  let run: Eval;
  callerFunctions = functions;
  resolver = resolve;
  const sites: Kept[] = (hoisted = []);
  try {
    run = compileNode(ast);
  } catch (e) {
    if (e instanceof NotInSubset) return undefined;
    throw e;
  } finally {
    callerFunctions = undefined;
    resolver = undefined;
    hoisted = [];
  }
  const all = run;
  const fast =
    sites.length === 0
      ? (node: unknown, env: FastEnv): unknown[] => {
          const focus = node === undefined || node === null ? [] : [node];
          return all(focus, focus, env);
        }
      : (node: unknown, env: FastEnv): unknown[] => {
          const focus = node === undefined || node === null ? [] : [node];
          return evaluating(sites, () => all(focus, focus, env));
        };
  const names = focusNames(ast);
  return names ? Object.assign(fast, { reads: names.flatMap(jsonKeys) }) : fast;
}
