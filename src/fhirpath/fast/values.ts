/**
 * The values of the fast FHIRPath path: navigation over FHIR JSON, truth, equality, ordering and the
 * arithmetic it can decide from the JSON alone. Each throws {@link NeedsFullEngine} where it cannot.
 */
import { UCUM_SYSTEM } from '../../systems/index.js';
import { deepEqual } from '../json-equal.js';
import { R4_CHOICE_NAMES } from './choice-names.js';

/**
 * Thrown at run time when the fast path cannot decide; the caller falls back to fhirpath.js. Not an
 * Error: it is control flow on a hot path, and capturing a stack each time would cost more than it saves.
 */
export class NeedsFullEngine {
  constructor(readonly reason: string) {}
}

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
export const EMPTY: unknown[] = [];
export const TRUE: unknown[] = [true];
export const FALSE: unknown[] = [false];

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function push(out: unknown[], v: unknown): void {
  if (v === undefined || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && x !== undefined) out.push(x);
  } else out.push(v);
}

/** A child name as navigation needs it, worked out once per compiled expression instead of per node. */
export interface ChildName {
  name: string;
  /** `_name`: the JSON companion that carries a primitive's id and extensions. */
  shadow: string;
  /** A choice element (`value` matches `valueQuantity`...): absent under its own name does not mean absent. */
  choice: boolean;
  /**
   * No JavaScript string, number or Boolean has a property of this name, so a primitive has no such child:
   * fhirpath.js reads the child from the JS value. Names a primitive's prototype knows (`length`,
   * `toString`) go to the full engine.
   */
  absentOnPrimitives: boolean;
  /**
   * Found by walking an object's own keys ({@link ownChild}); false for the names of Object.prototype
   * (`constructor`, `toString`...), which a plain lookup finds on every object and so are looked up as before.
   */
  byKeys: boolean;
}

/** The engine's one copy of a string (the one property keys are), so comparing it with a key compares no characters. */
function internalized(text: string): string {
  return Object.keys({ [text]: 0 })[0]!;
}

export function childName(name: string): ChildName {
  const known = name === 'length' || name in String.prototype || name in Number.prototype || name in Boolean.prototype;
  return { name: internalized(name), shadow: internalized(`_${name}`), choice: R4_CHOICE_NAMES.has(name), absentOnPrimitives: !known, byKeys: !(name in Object.prototype) };
}

/** The JSON keys {@link member} reads for a child name: the name, its `_name` companion and, for a choice element, its typed spellings. */
export function jsonKeys(name: string): string[] {
  const keys = [name, `_${name}`];
  if (R4_CHOICE_NAMES.has(name)) for (const suffix of CHOICE_SUFFIXES) keys.push(`${name}${suffix}`, `_${name}${suffix}`);
  return keys.map(internalized);
}

/** No null gaps: a FHIRPath collection has none, and fhirpath.js keeps them as empty nodes. */
function gapless(v: unknown[]): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] === null || v[i] === undefined) return false;
  return true;
}

/**
 * The value of `child` on one object (undefined when absent), read by walking the object's own keys rather
 * than by looking the name up. A look-up by a name that changes from call to call, over the many shapes FHIR
 * objects take, keeps missing the engine's property caches and costs a runtime call each time; an object's
 * keys come from its shape's enumeration cache, and reading the key in hand is a plain field load.
 * A primitive's id and extensions (`_name`) make it exist even without a value, and fhirpath.js reads children
 * of a complex value from its companion too: the model decides, so a companion goes to the full engine.
 */
function ownChild(item: Record<string, unknown>, child: ChildName): unknown {
  const name = child.name;
  const shadow = child.shadow;
  if (!child.byKeys) {
    if (item[shadow] !== undefined) throw new NeedsFullEngine('value with a companion');
    return item[name];
  }
  let v: unknown;
  for (const key in item) {
    if (key === name) v = item[key];
    else if (key === shadow && item[key] !== undefined) throw new NeedsFullEngine('value with a companion');
  }
  return v;
}

/**
 * Whether {@link member} gives `child` of `focus` any item, when the focus is one object whose value of it says
 * so plainly (absent, one value, an array without gaps); undefined when member has to work it out.
 */
export function hasMember(focus: unknown[], child: ChildName): boolean | undefined {
  if (focus.length !== 1) return undefined;
  const item = focus[0];
  if (!isObject(item)) return undefined;
  const v = ownChild(item, child);
  if (v === undefined) return child.choice ? undefined : false;
  if (Array.isArray(v)) return gapless(v) ? v.length > 0 : undefined;
  return v === null ? undefined : true;
}

/**
 * Children named `child` of each item: arrays flatten, choice elements match their typed spellings. A
 * primitive in a fast collection never has a `_name` companion (navigation hands those to the full engine),
 * so it has no children.
 */
export function member(focus: unknown[], child: ChildName): unknown[] {
  const name = child.name;
  if (focus.length === 1) {
    // The common case: one object. Its array is handed out as it is (closures never change what they
    // are given) unless it has null gaps.
    const item = focus[0];
    if (isObject(item)) {
      const v = ownChild(item, child);
      if (v === undefined) {
        if (!child.choice) return EMPTY;
      } else if (Array.isArray(v)) {
        if (gapless(v)) return v;
      } else if (v !== null) return [v];
    }
  }
  const out: unknown[] = [];
  for (const item of focus) {
    if (!isObject(item)) {
      const t = typeof item;
      if (child.absentOnPrimitives && (t === 'string' || t === 'number' || t === 'boolean')) continue;
      throw new NeedsFullEngine(`navigation into a primitive (${name})`);
    }
    const v = ownChild(item, child);
    if (v !== undefined) {
      push(out, v);
      continue;
    }
    if (!child.choice) continue;
    for (const key in item) {
      // `_valueString` is the companion of `valueString`: the value has extensions, or exists through them alone.
      const at = key.charCodeAt(0) === 95 ? 1 : 0;
      if (key.length - at > name.length && key.startsWith(name, at) && CHOICE_SUFFIXES.has(key.slice(at + name.length))) {
        if (at === 1) throw new NeedsFullEngine('choice value with a companion');
        push(out, item[key]);
      }
    }
  }
  return out;
}

/** Singleton-to-Boolean conversion (empty stays empty). */
export function truth(c: unknown[]): boolean | undefined {
  if (c.length === 0) return undefined;
  if (c.length > 1) throw new NeedsFullEngine('collection where a Boolean is expected');
  return typeof c[0] === 'boolean' ? c[0] : true;
}

export function bool(b: boolean | undefined): unknown[] {
  return b === undefined ? EMPTY : b ? TRUE : FALSE;
}

/** `=` on two items; dates and times compare by precision in FHIRPath, so they go to the full engine. */
export function itemEquals(a: unknown, b: unknown): boolean {
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

export function equals(l: unknown[], r: unknown[]): boolean | undefined {
  if (l.length === 0 || r.length === 0) return undefined;
  if (l.length !== r.length) return false;
  return l.every((x, i) => itemEquals(x, r[i]));
}

export function equivalent(l: unknown[], r: unknown[]): boolean {
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

export function compare(op: string, l: unknown[], r: unknown[]): boolean | undefined {
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
  } else if (isObject(a) && isObject(b)) {
    const local = localUnitOrder(a, b);
    if (local !== undefined) {
      // fhirpath.js compares such quantities as plain objects: `<=` and `>=` hold, `<` and `>` do not. Where
      // the values' order gives the same answer, that is the answer; elsewhere fhirpath.js decides.
      const byValue = decide(op, local);
      if (byValue === (op === '<=' || op === '>=')) return byValue;
      throw new NeedsFullEngine('order of quantities in a local unit');
    }
    c = quantityOrder(a, b);
  } else throw new NeedsFullEngine('comparison needing types');
  return decide(op, c);
}

function decide(op: string, c: number): boolean {
  return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
}

/**
 * Order of two Quantities in the same unit of the same code system other than UCUM (`TAB` of
 * v3-orderableDrugForm): their values; undefined for any other pair.
 */
function localUnitOrder(a: Record<string, unknown>, b: Record<string, unknown>): number | undefined {
  const x = a.value;
  const y = b.value;
  if (typeof x !== 'number' || typeof y !== 'number' || a.comparator !== undefined || b.comparator !== undefined) return undefined;
  if (typeof a.system !== 'string' || a.system === UCUM_SYSTEM || a.system !== b.system) return undefined;
  return typeof a.code === 'string' && a.code === b.code ? x - y : undefined;
}

/**
 * Order of two FHIR Quantities in the same UCUM unit: their values. FHIRPath compares quantities as
 * UCUM quantities (fhirpath.js converts a Quantity with a UCUM system, numeric value and code); other
 * units need conversion, and a comparator or a non-UCUM unit makes the comparison the full engine's to judge.
 */
function quantityOrder(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const x = a.value;
  const y = b.value;
  if (
    typeof x !== 'number' || typeof y !== 'number' || a.system !== UCUM_SYSTEM || b.system !== UCUM_SYSTEM ||
    typeof a.code !== 'string' || a.code !== b.code || a.comparator !== undefined || b.comparator !== undefined
  ) {
    throw new NeedsFullEngine('quantity comparison needing units');
  }
  return x - y;
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

export function distinct(c: unknown[]): unknown[] {
  if (c.length > 8 && plainStrings(c)) return c.length === new Set(c).size ? c : [...new Set(c)];
  const out: unknown[] = [];
  for (const x of c) if (!out.some((y) => itemEquals(x, y))) out.push(x);
  return out;
}

/**
 * Strings none of which reads as a date or time: {@link itemEquals} compares such strings as they are, so a
 * Set finds the distinct ones in one pass instead of comparing each with all kept before it.
 */
function plainStrings(c: unknown[]): boolean {
  for (const x of c) if (typeof x !== 'string' || DATE_LIKE.test(x)) return false;
  return true;
}

export function singleString(c: unknown[], fn: string): string | undefined {
  if (c.length === 0) return undefined;
  if (c.length > 1 || typeof c[0] !== 'string') throw new NeedsFullEngine(`${fn}() on a non-string`);
  return c[0];
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
export function plus(l: unknown[], r: unknown[]): unknown[] {
  const a = operand(l, '+');
  const b = operand(r, '+');
  if (a === undefined || b === undefined) return EMPTY;
  if (Number.isInteger(a) && Number.isInteger(b)) return [(a as number) + (b as number)];
  if (typeof a === 'string' && typeof b === 'string' && !DATE_LIKE.test(a) && !DATE_LIKE.test(b)) return [a + b];
  throw new NeedsFullEngine('arithmetic needing types');
}

/** `-` on two integers; anything else goes to the full engine. */
export function minus(l: unknown[], r: unknown[]): unknown[] {
  const a = operand(l, '-');
  const b = operand(r, '-');
  if (a === undefined || b === undefined) return EMPTY;
  if (Number.isInteger(a) && Number.isInteger(b)) return [(a as number) - (b as number)];
  throw new NeedsFullEngine('arithmetic needing types');
}

/** allTrue() and friends: every item must be a Boolean (fhirpath.js reports anything else). */
export function booleans(c: unknown[], fn: string): boolean[] {
  for (const x of c) if (typeof x !== 'boolean') throw new NeedsFullEngine(`${fn}() on a non-Boolean`);
  return c as boolean[];
}
