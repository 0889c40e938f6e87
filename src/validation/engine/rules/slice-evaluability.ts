/**
 * Slices the reference validator cannot evaluate. InstanceValidator.sliceMatches builds a FHIRPath test per slice
 * from what the slice states at each discriminator path (a fixed or pattern value, a required binding, types,
 * profiles, min >= 1 or max = 0 for existence); when a slice states nothing usable it throws, and matchSlice
 * reports SLICING_CANNOT_BE_EVALUATED on each item of the sliced element (the thrown message inside), leaves the
 * items out of that slice, and no longer checks the cardinality of the sliced element and its slices
 * (checkCardinalities: Validation_VAL_Profile_NoCheckMin / NoCheckMax, hints) nor which items match no slice.
 *
 * Only what can be told for certain from the compiled slice is reported: a discriminator whose element cannot be
 * found here, or a slice whose type profiles may state the value, leaves the slice evaluable.
 */
import type { CompiledSlicing, ElementNode } from '../../model.js';
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';

type FindDefinition = (slice: ElementNode, dpath: string) => ElementNode | undefined;

/**
 * The element a discriminator path names below a slice, as the reference's evaluateDefinition walks it (the
 * profile's children, else those of the element's single type), where that walk is plain: undefined when the path
 * uses functions or meets slicing or type profiles on the way, where the reference's walk takes other turns.
 */
export function plainDefinition(slice: ElementNode, dpath: string, ctx: RuleContext): ElementNode | undefined {
  let node = slice;
  for (const seg of dpath.split('.')) {
    if (seg === '$this') continue;
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(seg)) return undefined;
    let holder: ElementNode | undefined = node.contentTarget ?? node;
    if (holder.children.length === 0) {
      const t = holder.types.length === 1 ? holder.types[0]! : undefined;
      if (!t || t.profiles.length > 0) return undefined;
      holder = ctx.registry.get(t.code)?.root;
    }
    const next = holder?.children.find((c) => c.name === seg);
    if (!next || next.slicing || next.slices.length > 0) return undefined;
    node = next;
  }
  return node;
}

const problems = new WeakMap<ElementNode, string | null>();

/** Why the slice cannot be evaluated (the reference's thrown message), or undefined when it can. */
export function sliceProblem(slice: ElementNode, slicing: CompiledSlicing, profileUrl: string, find: FindDefinition): string | undefined {
  let problem = problems.get(slice);
  if (problem === undefined) {
    problem = computeProblem(slice, slicing, profileUrl, find) ?? null;
    problems.set(slice, problem);
  }
  return problem ?? undefined;
}

function computeProblem(slice: ElementNode, slicing: CompiledSlicing, profileUrl: string, find: FindDefinition): string | undefined {
  const discriminators = slicing.discriminators;
  if (discriminators.length === 0) return undefined;
  const typeProfiles = slice.types.some((t) => t.profiles.length > 0);
  let anyFound = false;
  for (const d of discriminators) {
    if (d.type === 'value' && d.path === 'value' && slice.fixed !== undefined) {
      anyFound = true;
      continue;
    }
    const target = find(slice, d.path);
    if (!target) return undefined;
    if (target.max === 0) {
      anyFound = true;
      continue;
    }
    switch (d.type) {
      case 'type':
      case 'profile':
        anyFound = true;
        break;
      case 'exists':
        if (target.min < 1) return `Discriminator (${clip(d.path)}) is based on element existence, but slice ${clip(slice.id)} neither sets min>=1 or max=0`;
        anyFound = true;
        break;
      default:
        if (target.fixed !== undefined || target.pattern !== undefined || (target.binding?.strength === 'required' && target.binding.valueSet)) anyFound = true;
        else if (typeProfiles) return undefined;
    }
  }
  if (anyFound) return undefined;
  const paths = discriminators.map((d) => d.path);
  return paths.length === 1
    ? `Could not match discriminator (${clip(paths[0]!)}) for slice ${clip(slice.id)} in profile ${clip(profileUrl)} - the discriminator [${clip(paths[0]!)}] does not have fixed value, binding or existence assertions`
    : `Could not match any of the ${paths.length} discriminators for slice ${clip(slice.id)} in profile ${clip(profileUrl)} - None of the ${clip(paths.join('|'))} discriminators [${clip(paths.join(', '))}] have fixed value, binding or existence assertions`;
}

/** The slices of `child` that cannot be evaluated, reported on each item; returns which slices (by index) to leave out. */
export function reportUnevaluableSlices(child: ElementNode, itemPaths: string[], profileUrl: string, find: FindDefinition, ctx: RuleContext): boolean[] | undefined {
  let skip: boolean[] | undefined;
  child.slices.forEach((slice, s) => {
    const problem = sliceProblem(slice, child.slicing!, profileUrl, find);
    if (!problem) return;
    (skip ??= new Array(child.slices.length).fill(false))[s] = true;
    for (const p of itemPaths) ctx.report('SLICING_CANNOT_BE_EVALUATED', 'error', 'processing', p, `Slicing cannot be evaluated: ${problem}`);
  });
  return skip;
}

/** True when some slice of the sliced element `child` cannot be evaluated (its counts are then not checked). */
export function hasUnevaluableSlices(child: ElementNode, profileUrl: string, find: FindDefinition): boolean {
  return !!child.slicing && child.slices.some((s) => sliceProblem(s, child.slicing!, profileUrl, find) !== undefined);
}

/**
 * The counts of a sliced element and of its slices when its slicing cannot be evaluated: a finding becomes a hint
 * that it could not be checked (Validation_VAL_Profile_NoCheckMin / NoCheckMax), as checkCardinalities has it.
 */
export function reportUncheckedCount(node: ElementNode, n: number, path: string, profileUrl: string, ctx: RuleContext): void {
  const id = node.id || node.path;
  const matches = n === 1 ? 'match' : 'matches';
  if (n < node.min) {
    ctx.report('Validation_VAL_Profile_NoCheckMin', 'information', 'not-supported', path, `${id}: Found ${n} ${matches}, but unable to check minimum required (${node.path}) due to lack of slicing validation (from ${profileUrl})`);
  }
  if (n > node.max) {
    ctx.report('Validation_VAL_Profile_NoCheckMax', 'information', 'not-supported', path, `${id}: Found ${n} ${matches}, but unable to check max allowed (${node.path}) due to lack of slicing validation (from ${profileUrl})`);
  }
}
