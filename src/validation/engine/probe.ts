import type { ValidationIssue } from '../../plugin-types/index.js';
import type { EngineOptions } from './options.js';
import type { HeldResources } from './root-cause.js';
import { IssueLimit } from './issue-sink.js';
import { ResourceWalk } from './walk.js';

/** Shared by a walk and the probes it starts: verdicts per value and profile. */
export interface ProbeState {
  memo: WeakMap<object, Map<string, boolean>>;
  /** The resources held inside values, as root-cause.ts reads them (per validation). */
  held: WeakMap<object, HeldResources>;
}

export function newProbeState(): ProbeState {
  return { memo: new WeakMap(), held: new WeakMap() };
}

/**
 * True when `v` validates without errors against the profile. A resource referenced from many places is
 * checked against a profile once per validation, not once per reference (and recursively per reference
 * of its own): without the memo a bundle's cost grows with the number of reference paths rather than
 * the number of entries. `forReference`: `v` is a reference's target, judged against a target profile
 * (see {@link ProbeState}); the verdict is kept apart from a slice's, which judges a little more.
 */
export function conformsTo(walk: ResourceWalk, state: ProbeState, v: unknown, canonical: string, forReference = false): boolean {
  if (isOtherResourceType(walk, v, canonical)) return false;
  if (v === null || typeof v !== 'object') return probe(walk, state, v, canonical, forReference);
  let memo = state.memo.get(v);
  const key = forReference ? `${canonical} as a reference target` : canonical;
  const known = memo?.get(key);
  if (known !== undefined) return known;
  if (!memo) state.memo.set(v, (memo = new Map()));
  // While a value is being checked against a profile, a chain of references that comes back to it takes
  // it to conform (the reference validator's ResourceValidationTracker): a circle adds no finding of its own.
  memo.set(key, true);
  let result = false;
  try {
    result = probe(walk, state, v, canonical, forReference);
  } finally {
    memo.set(key, result);
  }
  return result;
}

/**
 * True when `v` is a resource of another type than the resource profile constrains: the probe would end in
 * Validation_VAL_Profile_WrongType, an error, but only after walking `v` against its own type and
 * meta.profile. A Bundle.entry discriminated by profile tries every entry against each slice's profile, so
 * this answer, known from resourceType alone, spares most of the probes.
 */
function isOtherResourceType(walk: ResourceWalk, v: unknown, canonical: string): boolean {
  if (v === null || typeof v !== 'object') return false;
  const rt = (v as { resourceType?: unknown }).resourceType;
  if (typeof rt !== 'string') return false;
  const prof = walk.registry.get(canonical);
  if (!prof || prof.type === rt) return false;
  const constrained = walk.registry.resourceType(prof.type);
  return !!constrained && !constrained.abstract && !!walk.registry.resourceType(rt);
}

/** Validates `v` against the profile in a walk of its own (capped at 50 issues) that shares the state. */
function probe(walk: ResourceWalk, state: ProbeState, v: unknown, canonical: string, forReference: boolean): boolean {
  const issues = runProbe(walk, state, v, canonical, forReference, true);
  return issues !== undefined && !issues.some(isError);
}

/** The errors `v` gives against the profile (not memoised: asked once per finding that names them). */
export function profileFindings(walk: ResourceWalk, state: ProbeState, v: unknown, canonical: string, forReference = false): ValidationIssue[] {
  return (runProbe(walk, state, v, canonical, forReference) ?? []).filter(isError);
}

const isError = (i: ValidationIssue): boolean => i.severity === 'error' || i.severity === 'fatal';

/**
 * The issues of a probe walk, or undefined when the profile is unknown or the value cannot be walked. For a
 * `verdict` only, the walk stops at the first error: the rest of the value cannot make it conform.
 */
/** A probe's options: its walk's, with a small issue cap (one object per walk options, not one per probe). */
const probeOptionsOf = new WeakMap<EngineOptions, EngineOptions>();

function probeOptions(options: EngineOptions): EngineOptions {
  let probe = probeOptionsOf.get(options);
  if (!probe) probeOptionsOf.set(options, (probe = { ...options, maxIssues: 50 }));
  return probe;
}

function runProbe(walk: ResourceWalk, state: ProbeState, v: unknown, canonical: string, forReference: boolean, verdict = false): ValidationIssue[] | undefined {
  const prof = walk.registry.get(canonical);
  if (!prof) return undefined;
  const p = new ResourceWalk(walk.registry, probeOptions(walk.options));
  if (verdict) p.stopAtFirstError();
  // Findings of the JSON reader are reported once by the walk of the instance; they decide no profile match.
  p.ignoreReaderFindings();
  p.root = walk.root;
  p.probeState = state;
  p.probeSubject = v;
  p.probeForReference = forReference;
  p.depth = walk.depth;
  p.bundle = walk.bundle;
  try {
    // The constrained type decides how to check, not the declared kind (some profiles misstate it).
    if (walk.registry.resourceType(prof.type)) p.validateResource(v, prof.type, [prof], undefined);
    else if (v === null || typeof v !== 'object') p.validatePrimitive(prof.root, prof.type, v, prof.type);
    else {
      p.validateObject(prof.root, v, prof.type, prof.type);
      // The profile's own constraints (a datatype profile's root, such as MoneyQuantity's mqty-1).
      p.evaluateConstraints(prof.root, v, prof.type, prof.type);
    }
  } catch (e) {
    // The cap was reached: the value does not conform (the issues so far say why).
    if (e instanceof IssueLimit) return p.issues;
    if (walk.registry.resourceType(prof.type) || !(e instanceof Error)) throw e;
    return undefined;
  }
  return p.issues;
}
