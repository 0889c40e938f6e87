/**
 * Cardinality and types: min/max counts of elements and slices, required elements, unknown properties and
 * choice types a profile excluded, and primitives that must have a value (JSON shape: json-shape.ts).
 */
import type { ElementNode } from '../../model.js';
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';
import { CORE_SD } from '../options.js';
import { readerPath } from '../reader-findings.js';
import { checkAbsentValue, companionOf } from './primitives.js';
import { reportNotAllowedByProfile } from './profile-not-allowed.js';
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
  if (n < child.min) ctx.reportCount(sameElement(child, n), 'Validation_VAL_Profile_Minimum', path, `${child.id || child.path}: minimum required = ${child.min}, but only found ${n}${fromProfile(ctx, child)}`);
  if (n > child.max) ctx.reportCount(sameElement(child, n), 'Validation_VAL_Profile_Maximum', path, `${child.id || child.path}: max allowed = ${child.max}, but found ${n}${fromProfile(ctx, child)}`);
}

/**
 * The element a count finding is about, as every definition that constrains it names it: the last step of
 * its id (`extension:dateTimeType` both in the extension's profile and in a resource profile that slices the
 * extension), with the count and the bounds.
 */
function sameElement(node: ElementNode, n: number): string {
  const id = node.id || node.path;
  return `${id.slice(id.lastIndexOf('.') + 1)}|${n}|${node.min}|${node.max}`;
}

/**
 * Cardinality findings name the profile they come from while a resource inside another is walked against
 * one: a count both its base type and the profile require is a finding of each, as in the reference validator.
 */
function fromProfile(ctx: RuleContext, node: ElementNode): string {
  if (!ctx.passProfile) return '';
  // An element of another definition met on the way (an extension's own content, walked against its definition)
  // is that definition's finding, the same in every pass: the sink keeps it once, as the reference does
  // (InstanceValidator.addMessagesReplaceExistingIfMoreSevere: one message per text and location).
  const type = ctx.registry.get(ctx.passProfile)?.type;
  if (type && node.path.split('.')[0] !== type) return '';
  return ` (from ${ctx.passProfile})`;
}

/** Required children of `node` (and required slices of them) absent from the object, or dropped for their JSON shape. */
export function checkRequired(node: ElementNode, obj: Record<string, unknown>, path: string, choiceSeen: Map<ElementNode, string> | undefined, ctx: RuleContext, dropped?: Set<string>): void {
  const required = node.required;
  for (let i = 0; i < required.length; i++) {
    const r = required[i]!;
    let present = false;
    for (const k of r.keys) {
      if (obj[k] !== undefined && !dropped?.has(k)) {
        present = true;
        break;
      }
    }
    if (present || choiceSeen?.has(r.node)) continue;
    if (r.node.min > 0) ctx.reportCount(sameElement(r.node, 0), 'Validation_VAL_Profile_Minimum', path, `${r.node.id || r.node.path}: minimum required = ${r.node.min}, but only found 0${fromProfile(ctx, r.node)}`);
    for (const slice of r.node.slices) checkSliceCount(slice, 0, path, ctx);
  }
}

/**
 * A slice's cardinality (Validation_VAL_Profile_Minimum_SLICE, its _EXT form for an extension slice, and
 * Validation_VAL_Profile_Maximum), reported on the element that holds the slices.
 */
export function checkSliceCount(slice: ElementNode, n: number, path: string, ctx: RuleContext): void {
  const id = slice.id || slice.path;
  if (n < slice.min) {
    const url = extensionUrlOf(slice);
    const what = url ? `Slice '${id}' for extension '${url}'` : `Slice '${id}'`;
    // The codings of core Observation profiles (vital signs) require their 'magic' LOINC code.
    const magic = !url && slice.path === 'Observation.code.coding' && slice.sliceName !== undefined && (walkedProfile(ctx) ?? '').startsWith(CORE_SD);
    const rule = url ? 'Validation_VAL_Profile_Minimum_SLICE_EXT' : magic ? 'VALIDATION_VAL_PROFILE_MINIMUM_MAGIC' : 'Validation_VAL_Profile_Minimum_SLICE';
    ctx.reportCount(sameElement(slice, n), rule, path, slice.min === 1 ? `${what}: a matching slice is required, but not found${fromProfile(ctx, slice)}` : `${what}: minimum required = ${slice.min}, but only found ${n}${fromProfile(ctx, slice)}`);
  }
  if (n > slice.max) ctx.reportCount(sameElement(slice, n), 'Validation_VAL_Profile_Maximum', path, `${id}: max allowed = ${slice.max}, but found ${n}${fromProfile(ctx, slice)}`);
}

/** The URL of the profile the current resource is walked against (its innermost resource frame's definition). */
export function walkedProfile(ctx: RuleContext): string | undefined {
  const frames = ctx.hostFrames();
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.isResource) return frames[i]!.node.owner?.url;
  return undefined;
}

/** The URL of the extension a slice of `extension`/`modifierExtension` holds (its type's profile), if any. */
function extensionUrlOf(slice: ElementNode): string | undefined {
  if (slice.name !== 'extension' && slice.name !== 'modifierExtension') return undefined;
  const url = slice.types.find((x) => x.code === 'Extension')?.profiles[0];
  return url?.split('|')[0];
}

/**
 * A property the definition does not know. `valueString` where a profile narrowed `value[x]` to other
 * types is a choice the profile excluded, not an unknown property: returns that choice element.
 */
export function reportUnknownProperty(node: ElementNode, key: string, isUnderscore: boolean, path: string, ctx: RuleContext, value?: unknown): ElementNode | undefined {
  const excluded = isUnderscore ? undefined : excludedChoiceType(node, key, ctx);
  if (!excluded) {
    // An element of the base type that the walked profile's snapshot leaves out.
    if (!isUnderscore && reportNotAllowedByProfile(node, key, value, path, ctx)) return undefined;
    ctx.report('Unrecognised_property_', 'error', 'structure', readerPath(path), `Unrecognized property '${clip(key)}'`);
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
    // A type the base definition does not allow either is an unknown property, as the reference's parser has it.
    if (type && !ctx.registry.resourceType(type) && coreAllows(child.path, type, ctx)) return { node: child, type };
  }
  return undefined;
}

/** Whether the core definition of the choice element at `path` lists `type` (true when it cannot be told). */
function coreAllows(path: string, type: string, ctx: RuleContext): boolean {
  const segments = path.split('.');
  let node = ctx.registry.get(`${CORE_SD}${segments[0]}`)?.root;
  for (let i = 1; node && i < segments.length; i++) {
    const name = segments[i]!.replace('[x]', '');
    node = (node.contentTarget ?? node).children.find((c) => c.name === name);
  }
  return !node || node.types.some((t) => t.code === type);
}

/** A primitive item given only as its `_x` companion (extensions, an id) where the definition wants a value. */
export function checkMissingValue(child: ElementNode, x: unknown, itemPath: string, ctx: RuleContext): void {
  checkAbsentValue(child, itemPath, ctx, companionOf(x).extensionUrls);
  // ele-1: an id is an attribute, not content; a primitive with neither a value nor an extension is empty.
  if (x !== undefined && x !== null && typeof x === 'object' && !Array.isArray(x) && 'id' in x && !Array.isArray((x as { extension?: unknown }).extension)) {
    ctx.report(INV_ELE_1, 'error', 'invariant', itemPath, "Constraint failed: ele-1: 'All FHIR elements must have a @value or children'");
  }
}
