/**
 * The values of one property of an object: read as the JSON reader reads them (json-shape.ts), counted against the
 * element's cardinality or its slices, each item validated by the walk. The common shapes (one value of the right
 * kind, an array of objects without slicing) are validated without a record per item.
 */
import type { CompiledType, ElementNode } from '../model.js';
import { checkPrimitiveItem } from './primitive-element.js';
import { checkCount } from './rules/cardinality.js';
import { readProperty } from './rules/json-shape.js';
import { applySlicing, checkSlicedCount } from './rules/slicing.js';
import type { ResourceWalk } from './walk.js';

/**
 * Validates the value(s) of property `key` (and its `_key` companion) of `obj` against `child`. Returns how
 * many values were read: 0 when the JSON shape of all of them was wrong (they were reported and dropped).
 * `raw` is `obj[key]`, passed by a caller that has it already.
 */
export function validateChildValues(
  walk: ResourceWalk,
  child: ElementNode,
  t: CompiledType | undefined,
  key: string,
  ukey: string,
  obj: Record<string, unknown>,
  path: string,
  companions: boolean,
  segment: string = child.isChoice ? `.${child.name}.ofType(${t?.code ?? ''})` : `.${child.name}`,
  raw: unknown = obj[key],
): number {
  const code = t?.code ?? '';
  const primitive = t?.primitive === true;
  if (!child.isArray && !child.slicing && raw !== undefined && raw !== null && !Array.isArray(raw) && (primitive ? typeof raw !== 'object' && (!companions || obj[ukey] === undefined) : typeof raw === 'object')) {
    // The common case: one value of the right shape, no companion, no slicing. Same checks as below without the arrays.
    if (child.max === 0 || child.min > 1) checkCount(child, 1, path, walk);
    if (child.max === 0) return 1;
    walk.validateValue(child, t, raw, path + segment);
    return 1;
  }
  if (
    child.isArray && !child.slicing && Array.isArray(raw) && raw.length > 0 &&
    (primitive ? (!companions || obj[ukey] === undefined) && allPrimitives(raw) : allObjects(raw))
  ) {
    // The common repeating case, no slicing: objects only, or primitives (given names, address lines, profiles) as
    // strings, numbers or booleans without a companion. The reader keeps every item as it is; validated without a
    // record per item.
    checkCount(child, raw.length, path, walk);
    if (child.max === 0) return raw.length;
    const base = `${path}${segment}[`;
    for (let i = 0; i < raw.length; i++) walk.validateValue(child, t, raw[i], base + indexEnd(i));
    return raw.length;
  }
  const read = readProperty(child, primitive, raw, primitive && companions ? obj[ukey] : undefined, key, path, walk);
  const n = read.length;
  // Nothing read: the caller counts the property as absent (required elements and slices are checked there).
  if (n === 0) return 0;
  if (child.slicing) checkSlicedCount(child, n, path, walk);
  else checkCount(child, n, path, walk);
  if (child.max === 0) return n;
  const base = child.isArray ? `${path}${segment}[` : '';
  const items: unknown[] = new Array(n);
  const itemPaths: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = read[i]!;
    const itemPath = child.isArray ? base + indexEnd(r.index) : path + segment;
    itemPaths[i] = itemPath;
    items[i] = r.value;
    if (primitive) checkPrimitiveItem(walk, child, code, r.value, r.companion, itemPath);
  }
  const assigned = child.slicing ? applySlicing(child, items, itemPaths, path, t, walk) : undefined;
  for (let i = 0; i < n; i++) {
    const v = items[i];
    if (v === undefined || v === null) continue;
    const slice = assigned?.[i];
    const companion = read[i]!.companion;
    walk.validateValue(slice ?? child, t, v, itemPaths[i]!, companion);
    // An item in a slice must also meet the sliced element's own constraints when the profile set any.
    if (slice && child.children.length > 0) walk.validateValue(child, t, v, itemPaths[i]!, companion);
  }
  return n;
}

/** True when every item is a JSON object (not null, not an array). */
function allObjects(items: unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  }
  return true;
}

/** True when every item is a JSON string, number or boolean (what the reader keeps as a primitive's value). */
function allPrimitives(items: unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const v = typeof items[i];
    if (v !== 'string' && v !== 'number' && v !== 'boolean') return false;
  }
  return true;
}

/** `0]`, `1]`, ...: the end of an item's location, the same string for every array of that length or more. */
const INDEX_ENDS: string[] = [];
for (let i = 0; i < 256; i++) INDEX_ENDS.push(`${i}]`);

function indexEnd(i: number): string {
  return INDEX_ENDS[i] ?? `${i}]`;
}
