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
import { deepEqual } from '../json-equal.js';
import { definitionRegex } from '../regex.js';
import { R4_CHOICE_NAMES } from './choice-names.js';
import { type Node, parseFast } from './parse.js';

/**
 * Thrown at run time when the fast path cannot decide; the caller falls back to fhirpath.js. Not an
 * Error: it is control flow on a hot path, and capturing a stack each time would cost more than it saves.
 */
export class NeedsFullEngine {
  constructor(readonly reason: string) {}
}

export interface FastEnv {
  resource: unknown;
  rootResource: unknown;
}

export type FastExpression = (node: unknown, env: FastEnv) => unknown[];

type Eval = (focus: unknown[], self: unknown[], env: FastEnv) => unknown[];

/** FHIR data type names that can end a choice element's JSON name (`valueQuantity`, `onsetDateTime`). */
const CHOICE_SUFFIXES = new Set([
  'Base64Binary', 'Boolean', 'Canonical', 'Code', 'Date', 'DateTime', 'Decimal', 'Id', 'Instant', 'Integer', 'Markdown', 'Oid',
  'PositiveInt', 'String', 'Time', 'UnsignedInt', 'Uri', 'Url', 'Uuid', 'Address', 'Age', 'Annotation', 'Attachment',
  'CodeableConcept', 'Coding', 'ContactPoint', 'Count', 'Distance', 'Duration', 'HumanName', 'Identifier', 'Money', 'Period',
  'Quantity', 'Range', 'Ratio', 'Reference', 'SampledData', 'Signature', 'Timing', 'ContactDetail', 'Contributor',
  'DataRequirement', 'Expression', 'ParameterDefinition', 'RelatedArtifact', 'TriggerDefinition', 'UsageContext', 'Dosage', 'Meta',
]);

const DATE_LIKE_TEXT = /^\d{4}(-\d{2}(-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z)?)?)?)?$|^T?\d{2}:\d{2}/;

/** Dates, date-times and times: they compare by precision in FHIRPath. Starts with a digit or `T`. */
const DATE_LIKE = {
  test(s: string): boolean {
    const c = s.charCodeAt(0);
    return ((c >= 48 && c <= 57) || c === 84) && DATE_LIKE_TEXT.test(s);
  },
};

// Shared results: closures never change a collection they return, so these are safe to hand out.
const EMPTY: unknown[] = [];
const TRUE: unknown[] = [true];
const FALSE: unknown[] = [false];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function push(out: unknown[], v: unknown): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && x !== undefined) out.push(x);
  } else out.push(v);
}

/** Children named `name` of each item: arrays flatten, choice elements match their typed spellings. */
function member(focus: unknown[], name: string, shadow = `_${name}`): unknown[] {
  if (focus.length === 1) {
    // The common case: one object. Its array is handed out as it is (closures never change what they
    // are given) unless it has null gaps, which a FHIRPath collection does not have.
    const item = focus[0];
    if (isObject(item) && !(shadow in item)) {
      const v = item[name];
      if (Array.isArray(v)) {
        if (!v.includes(null) && !v.includes(undefined)) return v;
      } else if (v !== undefined && v !== null) return [v];
      else if (v === undefined && !R4_CHOICE_NAMES.has(name)) return EMPTY;
    }
  }
  const out: unknown[] = [];
  for (const item of focus) {
    if (!isObject(item)) throw new NeedsFullEngine(`navigation into a primitive (${name})`);
    // A primitive's id and extensions (`_name`) make it exist even without a value: the model decides.
    if (shadow in item) throw new NeedsFullEngine('primitive with extensions');
    if (name in item) {
      push(out, item[name]);
      continue;
    }
    if (!R4_CHOICE_NAMES.has(name)) continue;
    for (const key in item) {
      if (key.length > name.length && key.startsWith(name) && CHOICE_SUFFIXES.has(key.slice(name.length))) push(out, item[key]);
    }
  }
  return out;
}

/** Singleton-to-Boolean conversion (empty stays empty). */
function truth(c: unknown[]): boolean | undefined {
  if (c.length === 0) return undefined;
  if (c.length > 1) throw new NeedsFullEngine('collection where a Boolean is expected');
  return typeof c[0] === 'boolean' ? c[0] : true;
}

function bool(b: boolean | undefined): unknown[] {
  return b === undefined ? EMPTY : b ? TRUE : FALSE;
}

/** `=` on two items; dates and times compare by precision in FHIRPath, so they go to the full engine. */
function itemEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') {
    if (a !== b && (DATE_LIKE.test(a) || DATE_LIKE.test(b))) throw new NeedsFullEngine('date comparison');
    return a === b;
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b;
  if (isObject(a) && isObject(b)) {
    if ('value' in a || 'value' in b) throw new NeedsFullEngine('quantity equality');
    return deepEqual(a, b);
  }
  if (typeof a !== typeof b) throw new NeedsFullEngine('mixed-type equality');
  return false;
}

function equals(l: unknown[], r: unknown[]): boolean | undefined {
  if (l.length === 0 || r.length === 0) return undefined;
  if (l.length !== r.length) return false;
  return l.every((x, i) => itemEquals(x, r[i]));
}

function equivalent(l: unknown[], r: unknown[]): boolean {
  if (l.length === 0 && r.length === 0) return true;
  if (l.length !== r.length) return false;
  const norm = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (DATE_LIKE.test(v)) throw new NeedsFullEngine('date equivalence');
      return v.toLowerCase().replace(/\s+/g, ' ').trim();
    }
    if (typeof v === 'number' || typeof v === 'boolean') return v;
    throw new NeedsFullEngine('equivalence of complex values');
  };
  const right = r.map(norm);
  return l.every((x) => right.includes(norm(x)));
}

function compare(op: string, l: unknown[], r: unknown[]): boolean | undefined {
  if (l.length === 0 || r.length === 0) return undefined;
  if (l.length > 1 || r.length > 1) throw new NeedsFullEngine('comparison of collections');
  const a = l[0];
  const b = r[0];
  let c: number | undefined;
  if (typeof a === 'number' && typeof b === 'number') c = a - b;
  else if (typeof a === 'string' && typeof b === 'string' && !DATE_LIKE.test(a) && !DATE_LIKE.test(b)) c = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === 'string' && typeof b === 'string') {
    c = compareDates(a, b);
    if (c === undefined) return undefined;
  } else throw new NeedsFullEngine('comparison needing types');
  return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
}

const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/**
 * FHIRPath ordering of two dates or date-times: dates (year, year-month, full date) compare part by
 * part and are incomparable (empty) when equal up to the shorter precision; full date-times with
 * seconds and zones compare as instants. Other mixes go to the full engine.
 */
function compareDates(a: string, b: string): number | undefined {
  const x = DATE_TIME.exec(a);
  const y = DATE_TIME.exec(b);
  if (!x || !y) throw new NeedsFullEngine('date comparison');
  const xTime = x[4] !== undefined;
  const yTime = y[4] !== undefined;
  if (xTime && yTime) {
    // Same zone and the same fraction digits: the text orders as the instants do.
    if (x[8] === y[8] && (x[7]?.length ?? 0) === (y[7]?.length ?? 0)) return a < b ? -1 : a > b ? 1 : 0;
    return instant(x) - instant(y);
  }
  if (xTime || yTime) throw new NeedsFullEngine('date against date-time');
  for (let i = 1; i <= 3; i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined || q === undefined) return p === undefined && q === undefined ? 0 : undefined;
    if (p !== q) return Number(p) - Number(q);
  }
  return 0;
}

function instant(m: RegExpExecArray): number {
  const fraction = Number(`0.${m[7] ?? '0'}`) * 1000;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + fraction;
  const zone = m[8]!;
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  return utc - sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}

function distinct(c: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of c) if (!out.some((y) => itemEquals(x, y))) out.push(x);
  return out;
}

function singleString(c: unknown[], fn: string): string | undefined {
  if (c.length === 0) return undefined;
  if (c.length > 1 || typeof c[0] !== 'string') throw new NeedsFullEngine(`${fn}() on a non-string`);
  return c[0];
}

function compileNode(node: Node): Eval {
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
      const shadow = `_${name}`;
      if (!target) return (focus) => member(focus, name, shadow);
      return (focus, self, env) => member(target(focus, self, env), name, shadow);
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
    case 'is': {
      const target = compileNode(node.target);
      const type = node.type;
      return (focus, self, env) => isType(target(focus, self, env), type);
    }
    case 'binary':
      return compileBinary(node.op, compileNode(node.left), compileNode(node.right));
    case 'call':
      return compileCall(node.name, node.target ? compileNode(node.target) : undefined, node.args);
  }
}

function isType(c: unknown[], type: string): unknown[] {
  if (c.length === 0) return EMPTY;
  if (c.length > 1) throw new NeedsFullEngine('is() on a collection');
  const x = c[0];
  if (!/^[A-Z]/.test(type) || type === 'Resource' || type === 'DomainResource' || !isObject(x) || typeof x.resourceType !== 'string') {
    throw new NeedsFullEngine('type test needing the model');
  }
  return bool(x.resourceType === type);
}

function compileBinary(op: string, left: Eval, right: Eval): Eval {
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

/** The single item of an arithmetic operand; undefined when the operand is empty. */
function operand(c: unknown[], op: string): unknown {
  if (c.length > 1) throw new NeedsFullEngine(`${op} on a collection`);
  return c[0];
}

/**
 * `+`: integers add and strings concatenate. Decimals (whose sums fhirpath.js keeps exact), dates,
 * quantities and mixed operands go to the full engine.
 */
function plus(l: unknown[], r: unknown[]): unknown[] {
  const a = operand(l, '+');
  const b = operand(r, '+');
  if (a === undefined || b === undefined) return EMPTY;
  if (Number.isInteger(a) && Number.isInteger(b)) return [(a as number) + (b as number)];
  if (typeof a === 'string' && typeof b === 'string' && !DATE_LIKE.test(a) && !DATE_LIKE.test(b)) return [a + b];
  throw new NeedsFullEngine('arithmetic needing types');
}

/** `-` on two integers; anything else goes to the full engine. */
function minus(l: unknown[], r: unknown[]): unknown[] {
  const a = operand(l, '-');
  const b = operand(r, '-');
  if (a === undefined || b === undefined) return EMPTY;
  if (Number.isInteger(a) && Number.isInteger(b)) return [(a as number) - (b as number)];
  throw new NeedsFullEngine('arithmetic needing types');
}

/** allTrue() and friends: every item must be a Boolean (fhirpath.js reports anything else). */
function booleans(c: unknown[], fn: string): boolean[] {
  for (const x of c) if (typeof x !== 'boolean') throw new NeedsFullEngine(`${fn}() on a non-Boolean`);
  return c as boolean[];
}

class NotInSubset extends Error {}

function arity(args: Node[], n: number, name: string): void {
  if (args.length !== n) throw new NotInSubset(`${name} with ${args.length} arguments`);
}

function compileCall(name: string, target: Eval | undefined, args: Node[]): Eval {
  const input: Eval = target ?? ((focus) => focus);
  const arg = args.map(compileNode);
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
      return ((proj) => (f: unknown[], s: unknown[], e: FastEnv) => input(f, s, e).flatMap((x) => proj(x, e)))(per(arg[0]!));
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
    case 'extension':
      arity(args, 1, name);
      return (f, s, e) => {
        const url = singleString(arg[0]!(s, s, e), 'extension');
        return member(input(f, s, e), 'extension').filter((x) => isObject(x) && x.url === url);
      };
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      arity(args, 1, name);
      return (f, s, e) => {
        const str = singleString(input(f, s, e), name);
        const sub = singleString(arg[0]!(s, s, e), name);
        if (str === undefined || sub === undefined) return EMPTY;
        return bool(name === 'contains' ? str.includes(sub) : name === 'startsWith' ? str.startsWith(sub) : str.endsWith(sub));
      };
    case 'matches':
      arity(args, 1, name);
      return (f, s, e) => {
        const str = singleString(input(f, s, e), name);
        const re = singleString(arg[0]!(s, s, e), name);
        if (str === undefined || re === undefined || re === '') return EMPTY;
        // Whole-string matching, as the evaluator's own matches() (see docs/invariants.md).
        return bool(definitionRegex(`^(?:${re})$`).test(str));
      };
    case 'length':
      arity(args, 0, name);
      return (f, s, e) => {
        const str = singleString(input(f, s, e), name);
        return str === undefined ? [] : [str.length];
      };
    default: {
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

/** The caller's custom functions while {@link compileFast} runs (compilation is synchronous). */
let callerFunctions: Readonly<Record<string, FhirPathFunction>> | undefined;

/**
 * The expression compiled to a closure when it lies in the fast subset, else undefined. The closure
 * may still throw {@link NeedsFullEngine} for a value it cannot judge alone. `functions`: the caller's own
 * FHIRPath functions that take no arguments and read plain values, callable from the closure.
 */
export function compileFast(expression: string, functions?: Readonly<Record<string, FhirPathFunction>>): FastExpression | undefined {
  const ast = parseFast(expression);
  if (!ast) return undefined;
  let run: Eval;
  callerFunctions = functions;
  try {
    run = compileNode(ast);
  } catch (e) {
    if (e instanceof NotInSubset) return undefined;
    throw e;
  } finally {
    callerFunctions = undefined;
  }
  return (node, env) => {
    const focus = node === undefined || node === null ? [] : [node];
    return run(focus, focus, env);
  };
}
