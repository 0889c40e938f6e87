/**
 * JSON shape, as the HL7 Java validator's JSON reader (elementmodel JsonParser) reads a property: an array where
 * the element repeats, an object for a complex value, a string, number or boolean for a primitive, an object for a
 * primitive's `_x` companion. What has the wrong shape is reported with the reader's message and dropped: it is not
 * validated further and counts as absent, so a required element given the wrong shape is also missing. These are
 * findings about the JSON, made once however many profiles the value is checked against.
 */
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';
import { readerPath } from '../reader-findings.js';

/** One value of a property that the reader keeps: the value, its `_x` companion and its index in the JSON. */
export interface ReadItem {
  value: unknown;
  companion: unknown;
  index: number;
}

/** How the reader names a JSON value in its messages. */
export function describeJson(v: unknown): string {
  if (v === null) return 'a Null';
  if (Array.isArray(v)) return 'an Array';
  if (typeof v === 'object') return 'an Object';
  return 'a Primitive property';
}

function isJsonPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/**
 * The values of property `key` (and of its companion `_key`, for primitives) that the reader keeps, reporting the
 * rest. `path` is the object's location; the property is at `path.name`.
 */
export function readProperty(child: ElementNode, primitive: boolean, raw: unknown, companion: unknown, key: string, objectPath: string, ctx: RuleContext): ReadItem[] {
  // Where and how the reader names the property in its messages: a choice element as `value[x]`.
  const path = readerPath(objectPath);
  const at = `${path}.${child.name}${child.isChoice ? '[x]' : ''}`;
  return primitive ? readPrimitive(child, raw, companion, key, path, at, ctx) : readComplex(child, raw, key, path, at, ctx);
}

function readComplex(child: ElementNode, raw: unknown, key: string, path: string, at: string, ctx: RuleContext): ReadItem[] {
  if (raw === undefined) return [];
  if (child.isArray && Array.isArray(raw)) {
    if (raw.length === 0) ctx.report('ARRAY_CANNOT_BE_EMPTY', 'error', 'invalid', at, 'Array cannot be empty - the property should not be present if it has no values');
    const out: ReadItem[] = [];
    raw.forEach((item, index) => {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) out.push({ value: item, companion: undefined, index });
      else notObject(key, item, true, `${at}[${index}]`, ctx);
    });
    return out;
  }
  if (child.isArray) {
    ctx.report('This_property_must_be_an_Array_not_', 'error', 'invalid', at, `The property ${key} must be a JSON Array, not ${describeJson(raw)} (at ${path})`);
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return [{ value: raw, companion: undefined, index: 0 }];
  notObject(key, raw, child.isArray, at, ctx);
  return [];
}

/** A complex value that is not a JSON object ("must be an Array" when the element repeats, as the reader says). */
function notObject(key: string, v: unknown, repeats: boolean, at: string, ctx: RuleContext): void {
  ctx.report('This_property_must_be__not_', 'error', 'invalid', at, `The property ${key} must be ${repeats ? 'an Array' : 'an Object'}, not ${describeJson(v)} (at ${at})`);
}

function readPrimitive(child: ElementNode, raw: unknown, companion: unknown, key: string, path: string, at: string, ctx: RuleContext): ReadItem[] {
  if (raw === undefined && companion === undefined) return [];
  if (!child.isArray) {
    const item = readPrimitiveItem(raw, companion, key, at, ctx);
    return item ? [{ ...item, index: 0 }] : [];
  }
  let ok = true;
  if (raw !== undefined && !Array.isArray(raw)) {
    ctx.report('This_property_must_be_an_Array_not_', 'error', 'invalid', at, `The property ${key} must be a JSON Array, not ${describeJson(raw)} (at ${path})`);
    ok = false;
  }
  if (companion !== undefined && !Array.isArray(companion)) {
    ctx.report('This_base_property_must_be_an_Array_not_', 'error', 'invalid', at, `This base property must be an Array, not ${describeJson(companion)}`);
    ok = false;
  }
  if (!ok) return [];
  const values = (raw ?? []) as unknown[];
  const companions = (companion ?? []) as unknown[];
  const out: ReadItem[] = [];
  for (let index = 0; index < Math.max(values.length, companions.length); index++) {
    const v = values[index] ?? undefined;
    const x = companions[index] ?? undefined;
    if (v === undefined && x === undefined) {
      // null (or nothing) in both arrays: the item has neither a value nor extensions.
      ctx.report('JSON_PROPERTY_INVALID_ARRAY', 'error', 'invalid', at, `The JSON array for '${key}' is invalid at index ${index} - must have at least one valid value`);
      continue;
    }
    const item = readPrimitiveItem(v, x, key, at, ctx);
    if (item) out.push({ ...item, index });
  }
  return out;
}

function readPrimitiveItem(v: unknown, x: unknown, key: string, at: string, ctx: RuleContext): Omit<ReadItem, 'index'> | undefined {
  if (v !== undefined && !isJsonPrimitive(v)) {
    ctx.report('This_property_must_be_an_simple_value_not_', 'error', 'invalid', at, `This property must be a simple value, not ${describeJson(v)} (${key} at ${at})`);
    return undefined;
  }
  if (x !== undefined && (x === null || typeof x !== 'object' || Array.isArray(x))) {
    ctx.report('This_property_must_be_an_object_not_', 'error', 'invalid', at, `This property must be an object, not ${describeJson(x)} (${key} at ${at})`);
    return undefined;
  }
  return { value: v, companion: x };
}
