import { narrativeHasContent, narrativeMarkupValid } from './narrative.js';

/**
 * Hand-written equivalents of the core invariants evaluated on almost every node, keyed by
 * `key` + exact expression so a profile that redefines a key with other text still goes to FHIRPath.
 * Each returns true when the constraint holds.
 */
export type NativeInvariant = ((node: unknown, resource: unknown) => boolean | NativeFailure[]) & {
  /** JSON keys without which the check holds on an object (see PreparedInvariant.holdsWithout). */
  readonly holdsWithout?: readonly string[];
};

/** A failure found by a native check, located below the node (e.g. `contained[1]`). */
export interface NativeFailure {
  at: string;
  message: string;
}

export const ELE_1 = 'hasValue() or (children().count() > id.count())';
export const EXT_1 = 'extension.exists() != value.exists()';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** ele-1: a primitive has a value, or a complex element has some child other than `id`. */
function ele1(node: unknown): boolean {
  if (!isObject(node)) return node !== undefined && node !== null && node !== '';
  for (const key in node) if (key !== 'id' && Object.prototype.hasOwnProperty.call(node, key)) return true;
  return false;
}

/** ext-1: an extension has either nested extensions or a value[x], not both. */
function ext1(node: unknown): boolean {
  if (!isObject(node)) return true;
  const hasExtensions = Array.isArray(node.extension) && node.extension.length > 0;
  let hasValue = false;
  for (const key in node) if (key.startsWith('value') && key.length > 5 && Object.prototype.hasOwnProperty.call(node, key)) hasValue = true;
  return hasExtensions !== hasValue;
}

/**
 * dom-3: every contained resource is referenced from elsewhere in the resource (a Reference.reference,
 * canonical or uri equal to `#id`) or itself references its container (`#`). The FHIRPath text walks
 * `descendants()` four times per contained resource; this walks the resource once.
 */
function dom3(node: unknown): NativeFailure[] {
  if (!isObject(node) || !Array.isArray(node.contained) || node.contained.length === 0) return [];
  const localRefs = new Set<string>();
  collectLocalRefs(node, localRefs, 0);
  const failures: NativeFailure[] = [];
  node.contained.forEach((c, i) => {
    // Without an id the published expression yields empty for the contained resource, which passes.
    if (!isObject(c) || typeof c.id !== 'string' || localRefs.has(`#${c.id}`)) return;
    const own = new Set<string>();
    collectLocalRefs(c, own, 0);
    if (own.has('#')) return;
    failures.push({
      at: `contained[${i}]`,
      message: `The contained resource '${c.id}' is not referenced from elsewhere in the containing resource, nor does it refer to the containing resource`,
    });
  });
  return failures;
}

const MAX_DEPTH = 200;

function collectLocalRefs(value: unknown, out: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (value.startsWith('#')) out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectLocalRefs(v, out, depth + 1);
    return;
  }
  if (isObject(value)) for (const key in value) collectLocalRefs(value[key], out, depth + 1);
}

/** `<child>.empty() or system.exists()` (cpt-2 on ContactPoint.value, qty-3 on Quantity.code). */
function systemRequiredWith(child: string): NativeInvariant {
  // The object's own keys walked rather than looked up by name (see ownChild in fast/values.ts).
  const check = (node: unknown): boolean => {
    if (!isObject(node)) return true;
    let has = false;
    let system = false;
    for (const key in node) {
      if (key === child) has = node[key] !== undefined;
      else if (key === 'system') system = node[key] !== undefined;
    }
    return !has || system;
  };
  return Object.assign(check, { holdsWithout: [child] });
}

/** txt-1 / txt-2 on Narrative.div: the same checks as the patched expressions, without FHIRPath. */
function onString(test: (s: string) => boolean): NativeInvariant {
  return (node) => typeof node !== 'string' || test(node);
}

const DOM_3_R4 =
  "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()";

/**
 * vs-1 of the core vital signs profiles, on Observation.effective[x]: a dateTime gives at least the day. Other
 * types of the choice (Period, Timing) are no dateTime, so the expression is empty and holds; an instant always
 * gives the day.
 */
const VS_1 = '($this as dateTime).toString().length() >= 8';

/** `key\0expression` -> native implementation. */
export const NATIVE_INVARIANTS: ReadonlyMap<string, NativeInvariant> = new Map<string, NativeInvariant>([
  [`ele-1\0${ELE_1}`, ele1],
  [`ext-1\0${EXT_1}`, ext1],
  [`dom-3\0${DOM_3_R4}`, dom3],
  ['cpt-2\0value.empty() or system.exists()', systemRequiredWith('value')],
  ['qty-3\0code.empty() or system.exists()', systemRequiredWith('code')],
  ['txt-1\0htmlChecks()', onString(narrativeMarkupValid)],
  ['txt-2\0htmlChecks()', onString(narrativeHasContent)],
  [`vs-1\0${VS_1}`, onString((s) => s.length >= 8)],
]);
