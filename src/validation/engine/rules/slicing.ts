/**
 * Slicing: each item of a sliced element is assigned to the first slice whose discriminators it
 * matches (value, pattern, exists, type, profile; re-slicing within a slice), then closed slicing,
 * ordering, openAtEnd and each slice's cardinality are checked.
 */
import { allSlices, evaluatePath, splitPath, typesAtPath } from '../../discriminator.js';
import type { CompiledType, ElementNode } from '../../model.js';
import { deepEqual, matchesPattern } from '../../values.js';
import type { RuleContext } from '../context.js';
import { inValueSet } from './bindings.js';
import { checkCount, checkSliceCount, walkedProfile } from './cardinality.js';
import { hasUnevaluableSlices, plainDefinition, reportUncheckedCount, reportUnevaluableSlices } from './slice-evaluability.js';
import { claims } from '../root-cause.js';
import { CORE_SD_BASE } from '../../../systems/index.js';

/**
 * Assigns each item to a slice; returns the slice node per item (undefined when unsliced). `resliced` is set
 * when assigning again within a slice that is itself sliced.
 */
export function applySlicing(child: ElementNode, items: unknown[], itemPaths: string[], path: string, t: CompiledType | undefined, ctx: RuleContext, resliced = false): (ElementNode | undefined)[] {
  const slicing = child.slicing!;
  const profileUrl = walkedProfile(ctx) ?? child.path;
  // Slices the reference cannot evaluate are reported on each item and take none; the slicing is then unchecked.
  const skip = items.length > 0 ? reportUnevaluableSlices(child, itemPaths, profileUrl, (s, p) => plainDefinition(s, p, ctx), ctx) : undefined;
  const matched: number[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    matched[i] = -1;
    for (let s = 0; s < child.slices.length; s++) {
      if (skip?.[s]) continue;
      if (!matchesSlice(child.slices[s]!, slicing.discriminators, items[i], t, ctx)) continue;
      if (matched[i]! < 0) {
        matched[i] = s;
        continue;
      }
      // The item stays in the first slice it matches; a second match is an error where both slices tell items
      // apart by values, types or profiles they state (not where a slice states nothing for a discriminator).
      const first = child.slices[matched[i]!]!;
      const second = child.slices[s]!;
      if (decisive(first, slicing.discriminators, ctx) && decisive(second, slicing.discriminators, ctx)) {
        ctx.report('Validation_VAL_Profile_MatchMultiple', 'error', 'invalid', itemPaths[i]!, `Profile ${walkedProfile(ctx) ?? child.path}, Element matches more than one slice - ${first.sliceName ?? ''}, ${second.sliceName ?? ''}`);
      }
    }
  }
  if (!skip) fillShortSlices(child, items, itemPaths, matched, t, ctx);
  const assigned: (ElementNode | undefined)[] = new Array(items.length);
  const counts = new Map<ElementNode, number>();
  let lastSlice = -1;
  let sawUnmatched = false;
  for (let i = 0; i < items.length; i++) {
    if (matched[i]! < 0) {
      sawUnmatched = true;
      if (skip) continue;
      if (slicing.rules === 'closed') {
        ctx.report('Validation_VAL_Profile_NotSlice', 'error', 'structure', itemPaths[i]!, `This element does not match any known slice defined in the profile ${child.path} and slicing is CLOSED`);
      } else if (!resliced && child.slices.length > 0 && !ignoresSlicingHint(child, ctx)) {
        // A slicing without slices (Element.extension's 'always sliced by url') has nothing to miss.
        ctx.report('This_element_does_not_match_any_known_slice_', 'information', 'informational', itemPaths[i]!, `This element does not match any known slice defined in the profile ${walkedProfile(ctx) ?? child.path} (this may not be a problem, but you should check that it's not intended to match a slice)`);
      }
      continue;
    }
    const m = matched[i]!;
    const slice = child.slices[m]!;
    assigned[i] = slice;
    counts.set(slice, (counts.get(slice) ?? 0) + 1);
    if (skip) continue;
    if (slicing.ordered && m < lastSlice) ctx.report('Validation_VAL_Profile_SliceOrder', 'error', 'structure', itemPaths[i]!, `As specified by profile, elements must be in the order of the slices of ${child.path}`);
    if (slicing.rules === 'openAtEnd' && sawUnmatched) ctx.report('ADSFHIR_SLICE_OPEN_AT_END', 'error', 'structure', itemPaths[i]!, `Unmatched elements must come after all slices of ${child.path} (openAtEnd)`);
    lastSlice = Math.max(lastSlice, m);
  }
  for (const slice of child.slices) {
    if (skip) reportUncheckedCount(slice, counts.get(slice) ?? 0, path, profileUrl, ctx);
    else checkSliceCount(slice, counts.get(slice) ?? 0, path, ctx);
  }
  // Re-slicing: items of a slice that is itself sliced are assigned again within it.
  for (const slice of child.slices) {
    if (!slice.slicing || !(counts.get(slice) ?? 0)) continue;
    const idx: number[] = [];
    for (let i = 0; i < items.length; i++) if (assigned[i] === slice) idx.push(i);
    const sub = applySlicing(slice, idx.map((i) => items[i]), idx.map((i) => itemPaths[i]!), path, t, ctx, true);
    idx.forEach((i, k) => {
      if (sub[k]) assigned[i] = sub[k];
    });
  }
  return assigned;
}

/**
 * The count of a sliced element's items against its min and max; when a slice cannot be evaluated the reference
 * does not check it (a hint says so).
 */
export function checkSlicedCount(child: ElementNode, n: number, path: string, ctx: RuleContext): void {
  const profileUrl = walkedProfile(ctx) ?? child.path;
  if (n > 0 && hasUnevaluableSlices(child, profileUrl, (s, p) => plainDefinition(s, p, ctx))) reportUncheckedCount(child, n, path, profileUrl, ctx);
  else checkCount(child, n, path, ctx);
}

/**
 * Root-cause reporting (not with `reportConsequences`): a slice told apart by a profile is short of its minimum
 * while an item is there that matches every discriminator of the slice but the profile one, and the resource that
 * discriminator looks at (the entry's resource, a reference's target) claims the slice's profile in meta.profile
 * (or one derived from it) yet fails it. That item is the slice's item with defects, not a missing one: its
 * defects are reported where it is, against the profile it claims, so it fills the slice and no
 * minimum-cardinality error follows at the parent. The mismatch is kept as information (Does_not_match_slice_).
 * An item that claims nothing stays unmatched, as in the reference validator (the slice's minimum is reported).
 */
function fillShortSlices(child: ElementNode, items: unknown[], itemPaths: string[], matched: number[], t: CompiledType | undefined, ctx: RuleContext): void {
  const discriminators = child.slicing!.discriminators;
  if (ctx.options.reportConsequences || !discriminators.some((d) => d.type === 'profile')) return;
  for (let s = 0; s < child.slices.length; s++) {
    const slice = child.slices[s]!;
    let n = 0;
    for (const m of matched) if (m === s) n++;
    for (let i = 0; i < items.length && n < slice.min; i++) {
      if (matched[i]! >= 0 || !claimsSliceProfile(slice, discriminators, items[i], t, ctx)) continue;
      matched[i] = s;
      n++;
      const described = discriminators.map((d) => `${d.type}: ${d.path}`).join(', ');
      ctx.report('Does_not_match_slice_', 'information', 'structure', itemPaths[i]!, `Does not match slice '${slice.sliceName ?? slice.id}' (discriminator: ${described}): it fails the profile it claims, whose findings are reported where it is`);
    }
  }
}

/** Every non-profile discriminator matches, and the resource each profile discriminator looks at claims the slice's profile. */
function claimsSliceProfile(slice: ElementNode, discriminators: { type: string; path: string }[], item: unknown, t: CompiledType | undefined, ctx: RuleContext): boolean {
  for (const d of discriminators) {
    if (d.type !== 'profile') {
      if (!matchesDiscriminator(slice, d.type, d.path, item, t, ctx)) return false;
      continue;
    }
    const node = findDefinition(slice, d.path, ctx) ?? slice;
    const profiles = node.types.flatMap((x) => (d.path.endsWith('resolve()') ? x.targetProfiles : x.profiles));
    if (profiles.length === 0) return false;
    // Only resources (Bundle.entry.resource, a reference's target) are validated against what they claim.
    const isResource = (v: unknown) => !!v && typeof v === 'object' && typeof (v as { resourceType?: unknown }).resourceType === 'string';
    if (!evaluatePath(item, d.path, ctx.resolveRef).some((v) => isResource(v) && claims(v, profiles, ctx))) return false;
  }
  return true;
}

/** The reference gives no open-slicing hint for the codings of core Observation profiles (vital signs): any other code may accompany the required one. */
function ignoresSlicingHint(child: ElementNode, ctx: RuleContext): boolean {
  return child.path === 'Observation.code.coding' && (walkedProfile(ctx) ?? CORE_SD_BASE).startsWith(CORE_SD_BASE);
}

/** Whether the slice states, for every discriminator, what its items hold (a fixed or pattern value, an extension url, types, profiles, or presence). */
function decisive(slice: ElementNode, discriminators: { type: string; path: string }[], ctx: RuleContext): boolean {
  for (const d of discriminators) {
    const target = findDefinition(slice, d.path, ctx);
    switch (d.type) {
      case 'value':
      case 'pattern': {
        if (d.path === 'url' && slice.types.some((x) => x.code === 'Extension' && x.profiles.length > 0)) break;
        // Membership of value sets is left out: codes may sit in more than one bound value set.
        if (!target || (target.fixed === undefined && target.pattern === undefined && target.max !== 0)) return false;
        break;
      }
      case 'exists':
        if (!target || (target.min < 1 && target.max !== 0)) return false;
        break;
      case 'type':
        if ((target ?? slice).types.length === 0) return false;
        break;
      case 'profile':
        if (!(target ?? slice).types.some((x) => (d.path.endsWith('resolve()') ? x.targetProfiles : x.profiles).length > 0)) return false;
        break;
      default:
        return false;
    }
  }
  return discriminators.length > 0;
}

function matchesSlice(slice: ElementNode, discriminators: { type: string; path: string }[], item: unknown, t: CompiledType | undefined, ctx: RuleContext): boolean {
  if (discriminators.length === 0) return false;
  for (const d of discriminators) {
    if (!matchesDiscriminator(slice, d.type, d.path, item, t, ctx)) return false;
  }
  return true;
}

function matchesDiscriminator(slice: ElementNode, type: string, dpath: string, item: unknown, t: CompiledType | undefined, ctx: RuleContext): boolean {
  const target = findDefinition(slice, dpath, ctx);
  const values = droppedByReader(item, dpath, target) ? [] : evaluatePath(item, dpath, ctx.resolveRef);
  switch (type) {
    case 'value':
    case 'pattern': {
      const extensionUrl = dpath === 'url' && target?.fixed === undefined ? slice.types.find((x) => x.code === 'Extension')?.profiles[0] : undefined;
      // An extension slice is told apart by its definition's URL, even when the definition is not at hand.
      if (extensionUrl) return values.some((v) => v === extensionUrl.split('|')[0]);
      if (!target) return false;
      const expected = target.fixed ?? target.pattern;
      if (target.max === 0) return values.length === 0;
      if (expected === undefined) {
        // A slice told apart by a required binding holds the values its value set admits (an unknown
        // value set admits none; without a terminology service any present value matches).
        const required = target.binding?.strength === 'required' ? target.binding.valueSet : undefined;
        if (required && ctx.options.terminology) return values.some((v) => inValueSet(required, v, ctx));
        if (required) return values.length > 0;
        // The slice says nothing about this discriminator: it only asks for a value when it requires one.
        return target.min > 0 ? values.length > 0 : true;
      }
      return values.some((v) => (target.fixed !== undefined && type === 'value' ? deepEqual(expected, v) || matchesPattern(v, expected) : matchesPattern(v, expected)));
    }
    case 'exists': {
      const should = target ? target.min > 0 : false;
      const mustNot = target ? target.max === 0 : false;
      if (should) return values.length > 0;
      if (mustNot) return values.length === 0;
      return true;
    }
    case 'type': {
      if (dpath.endsWith('resolve()')) {
        const refNode = findDefinition(slice, dpath.slice(0, -'.resolve()'.length) || '$this', ctx);
        const allowedTargets = (refNode ?? slice).types.flatMap((x) => x.targetTypes);
        if (allowedTargets.length === 0) return false;
        return values.some((v) => !!v && typeof v === 'object' && allowedTargets.includes(String((v as { resourceType?: unknown }).resourceType)));
      }
      const node = target ?? slice;
      const allowed = node.types.map((x) => x.code.toLowerCase());
      if (allowed.length === 0) return false;
      if (dpath === '$this' && t) return allowed.includes(typeOfItem(item, t).toLowerCase());
      const actual = typesAtPath(item, dpath, ctx.resolveRef);
      return actual.length > 0 && actual.some((a) => allowed.includes(a.toLowerCase()));
    }
    case 'profile': {
      const node = target ?? slice;
      const profiles = node.types.flatMap((x) => (dpath.endsWith('resolve()') ? x.targetProfiles : x.profiles));
      // A slice that names no profile at this path says nothing about it (it asks for a value only when it requires one).
      if (profiles.length === 0) return target && target !== slice ? (target.min > 0 ? values.length > 0 : true) : false;
      return values.some((v) => profiles.some((p) => ctx.conformsTo(v, p)));
    }
    default:
      return false;
  }
}

/**
 * Whether the JSON reader drops the value a one-step discriminator path names: an array where the element holds one
 * value (an extension's `url` given as a list). The reference then finds no value there, so the item matches no slice
 * told apart by it.
 */
function droppedByReader(item: unknown, dpath: string, target: ElementNode | undefined): boolean {
  if (!target || target.isArray || !item || typeof item !== 'object' || !/^[A-Za-z]+$/.test(dpath)) return false;
  return Array.isArray((item as Record<string, unknown>)[dpath]);
}

function typeOfItem(item: unknown, t: CompiledType): string {
  if (item && typeof item === 'object' && typeof (item as { resourceType?: unknown }).resourceType === 'string') return (item as { resourceType: string }).resourceType;
  return t.code;
}

/**
 * Where each discriminator path leads below each slice: the same for every item sliced, as the registry keeps every
 * answer it gives (negative ones too). Kept per registry, since a definition read from another registry may differ.
 */
const definitionsFound = new WeakMap<ElementNode, Map<string, { registry: unknown; node: ElementNode | undefined }>>();

/** Finds the element definition a discriminator path points to, below a slice. */
function findDefinition(slice: ElementNode, dpath: string, ctx: RuleContext): ElementNode | undefined {
  let byPath = definitionsFound.get(slice);
  const hit = byPath?.get(dpath);
  if (hit && hit.registry === ctx.registry) return hit.node;
  const node = searchDefinition(slice, dpath, ctx);
  if (!byPath) definitionsFound.set(slice, (byPath = new Map()));
  byPath.set(dpath, { registry: ctx.registry, node });
  return node;
}

function searchDefinition(slice: ElementNode, dpath: string, ctx: RuleContext): ElementNode | undefined {
  let node: ElementNode | undefined = slice;
  for (const seg of splitPath(dpath)) {
    if (!node) return undefined;
    if (seg === '$this') continue;
    if (seg.startsWith('ofType(')) continue;
    if (seg === 'resolve()') {
      const tp: string | undefined = node.types[0]?.targetProfiles[0];
      node = tp ? ctx.registry.get(tp)?.root : undefined;
      continue;
    }
    const ext = /^extension\('([^']*)'\)$/.exec(seg);
    const name = ext ? 'extension' : seg;
    let next: ElementNode | undefined = node.children.find((c) => c.name === name);
    if (!next) {
      const prof = node.types[0]?.profiles[0];
      const typeRoot = prof ? ctx.registry.get(prof)?.root : node.types[0] ? ctx.registry.get(node.types[0].code)?.root : undefined;
      next = typeRoot?.children.find((c) => c.name === name);
    }
    if (next && ext) {
      const url = ext[1]!;
      const candidates = allSlices(next).filter((s) => s.types.some((x) => x.profiles.includes(url)) || s.children.some((c) => c.name === 'url' && c.fixed === url));
      // A re-slice with its own children (e.g. extension:type/Single fixing the value) is the most specific.
      next = candidates.reverse().find((s) => s.children.length > 0) ?? candidates[0] ?? next;
      if (next.children.length === 0 && next.types[0]?.profiles[0]) next = ctx.registry.get(next.types[0].profiles[0])?.root ?? next;
    } else if (next && next.isChoice && next.fixed === undefined && next.pattern === undefined) {
      next = next.slices.find((s) => s.fixed !== undefined || s.pattern !== undefined) ?? next;
    } else if (next && next.slices.length === 1 && next.fixed === undefined && next.pattern === undefined) {
      // A path through an element sliced once (code.coding:SBPCode.code) reaches the values that slice fixes.
      next = next.slices[0]!;
    }
    node = next;
  }
  return node;
}
