/**
 * Cardinality and types: min/max counts of elements and slices, required elements, JSON shape (arrays
 * where the definition repeats, single values where it does not), unknown properties and choice types a
 * profile excluded, and primitives that must have a value.
 */
import type { ElementNode } from '../../model.js';
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';
import { CORE_SD } from '../options.js';
import { checkBinding } from './bindings.js';
import { INV_ELE_1 } from '../../../plugin-types/index.js';

/** Names the JSON kind of a value for messages, without echoing content. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an Array';
  if (typeof v === 'object') return 'an Object';
  return `a ${typeof v}`;
}

/** n items of `child` against its min and max. */
export function checkCount(child: ElementNode, n: number, path: string, ctx: RuleContext): void {
  if (n < child.min) ctx.report('Validation_VAL_Profile_Minimum', 'error', 'structure', path, `${child.id || child.path}: minimum required = ${child.min}, but only found ${n}`);
  if (n > child.max) ctx.report('Validation_VAL_Profile_Maximum', 'error', 'structure', path, `${child.id || child.path}: max allowed = ${child.max}, but found ${n}`);
}

/** Required children of `node` (and required slices of them) absent from the object. */
export function checkRequired(node: ElementNode, obj: Record<string, unknown>, path: string, choiceSeen: Map<ElementNode, string> | undefined, ctx: RuleContext): void {
  const required = node.required;
  for (let i = 0; i < required.length; i++) {
    const r = required[i]!;
    let present = false;
    for (const k of r.keys) {
      if (obj[k] !== undefined) {
        present = true;
        break;
      }
    }
    if (present || choiceSeen?.has(r.node)) continue;
    if (r.node.min > 0) ctx.report('Validation_VAL_Profile_Minimum', 'error', 'structure', path, `${r.node.id || r.node.path}: minimum required = ${r.node.min}, but only found 0`);
    for (const slice of r.node.slices) {
      if (slice.min > 0) ctx.report('Validation_VAL_Profile_Minimum_SLICE', 'error', 'structure', path, `Slice '${slice.id || r.node.path}': a matching slice is required, but not found`);
    }
  }
}

/**
 * A property the definition does not know. `valueString` where a profile narrowed `value[x]` to other
 * types is a choice the profile excluded, not an unknown property: returns that choice element.
 */
export function reportUnknownProperty(node: ElementNode, key: string, isUnderscore: boolean, path: string, ctx: RuleContext): ElementNode | undefined {
  const excluded = isUnderscore ? undefined : excludedChoiceType(node, key, ctx);
  if (!excluded) {
    ctx.report('Unrecognised_property_', 'error', 'structure', path, `Unrecognized property '${clip(key)}'`);
    return undefined;
  }
  const allowed = excluded.node.types.map((t) => t.code);
  // On an extension's own definition the extension rule reports the value type (Extension_EXT_Type), as the
  // reference does; sub-extensions (found by relative url, no definition of their own) get this rule.
  if (allowed.length === 1 && node.path === 'Extension') return excluded.node;
  if (allowed.length === 1) ctx.report('Extension_PROF_Type', 'error', 'structure', `${path}.${excluded.node.name}.ofType(${excluded.type})`, `The profile allows only the type ${allowed[0]} for ${excluded.node.path}, but found type ${excluded.type}`);
  else ctx.report('Validation_VAL_Profile_NoType', 'error', 'structure', path, `The type of element ${clip(key)} is not allowed by the profile: valid types at this point are ${allowed.join(', ')}`);
  return excluded.node;
}

function excludedChoiceType(node: ElementNode, key: string, ctx: RuleContext): { node: ElementNode; type: string } | undefined {
  for (const child of node.children) {
    if (!child.isChoice || !key.startsWith(child.name) || key.length === child.name.length) continue;
    const suffix = key.slice(child.name.length);
    if (suffix.charCodeAt(0) > 90) continue;
    const candidates = [suffix, suffix.charAt(0).toLowerCase() + suffix.slice(1)];
    const type = candidates.find((c) => ctx.registry.get(c)?.url === `${CORE_SD}${c}`);
    if (type && !ctx.registry.resourceType(type)) return { node: child, type };
  }
  return undefined;
}

/** A primitive item given only as its `_x` companion (extensions, an id) where the definition wants a value. */
export function checkMissingValue(child: ElementNode, code: string, x: unknown, itemPath: string, ctx: RuleContext): void {
  if (code === 'code' && child.binding?.strength === 'required' && ctx.options.terminology) {
    // Extensions (data-absent-reason, ...) in place of a code still leave a required binding without a code.
    checkBinding(child, { coding: [] }, itemPath, ctx);
  }
  if (child.mustHaveValue) {
    ctx.report('PRIMITIVE_MUSTHAVEVALUE_MESSAGE', 'error', 'required', itemPath, `The element definition ${child.path} in the profile requires that a value be present in this element`);
  }
  if (child.valueAlternatives.length > 0) {
    const exts = x && typeof x === 'object' ? (x as { extension?: unknown }).extension : undefined;
    const urls = Array.isArray(exts) ? exts.map((e) => (e && typeof e === 'object' ? (e as { url?: unknown }).url : undefined)) : [];
    if (!child.valueAlternatives.some((a) => urls.includes(a))) {
      ctx.report('PRIMITIVE_VALUE_ALTERNATIVES_MESSAGE', 'error', 'required', itemPath, `The element definition ${child.path} requires that if a value is not present, one of the extensions ${child.valueAlternatives.join(', ')} must be present`);
    }
  }
  // ele-1: an id is an attribute, not content; a primitive with neither a value nor an extension is empty.
  if (x !== undefined && x !== null && typeof x === 'object' && !Array.isArray(x) && 'id' in x && !Array.isArray((x as { extension?: unknown }).extension)) {
    ctx.report(INV_ELE_1, 'error', 'invariant', itemPath, "Constraint failed: ele-1: 'All FHIR elements must have a @value or children'");
  }
}

/** The items of a property as an array, reporting JSON shape problems (an array where one value belongs, ...). */
export function itemsOf(child: ElementNode, raw: unknown, key: string, path: string, ctx: RuleContext): unknown[] | undefined {
  if (raw === undefined) return undefined;
  if (child.isArray) {
    if (!Array.isArray(raw)) {
      ctx.report('This_property_must_be_an_Array_not_', 'error', 'invalid', `${path}.${child.name}`, `The property ${key} must be a JSON Array, not ${describe(raw)}`);
      return [raw];
    }
    if (raw.length === 0) {
      ctx.report('ARRAY_CANNOT_BE_EMPTY', 'error', 'invalid', `${path}.${child.name}`, 'Array cannot be empty - the property should not be present if it has no values');
      return undefined;
    }
    return raw;
  }
  if (Array.isArray(raw)) {
    ctx.report('This_property_must_be_an_simple_value_not_', 'error', 'invalid', `${path}.${child.name}`, `The property ${key} must be a single value, not a JSON Array`);
    return raw.length ? [raw[0]] : undefined;
  }
  return [raw];
}
