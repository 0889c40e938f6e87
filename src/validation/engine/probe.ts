import type { ValidationIssue } from '../../plugin-types/index.js';
import { IssueLimit } from './issue-sink.js';
import { ResourceWalk } from './walk.js';

/** Shared by a walk and the probes it starts: verdicts per value and profile, and targets being checked. */
export interface ProbeState {
  memo: WeakMap<object, Map<string, boolean>>;
  /** Resource targets whose profile conformance is being checked (to stop at circular references). */
  checkingTargets: Set<object>;
}

export function newProbeState(): ProbeState {
  return { memo: new WeakMap(), checkingTargets: new Set() };
}

/**
 * True when `v` validates without errors against the profile. A resource referenced from many places is
 * checked against a profile once per validation, not once per reference (and recursively per reference
 * of its own): without the memo a bundle's cost grows with the number of reference paths rather than
 * the number of entries.
 */
export function conformsTo(walk: ResourceWalk, state: ProbeState, v: unknown, canonical: string): boolean {
  const memo = v !== null && typeof v === 'object' ? state.memo.get(v) : undefined;
  const known = memo?.get(canonical);
  if (known !== undefined) return known;
  const result = probe(walk, state, v, canonical);
  if (v !== null && typeof v === 'object') {
    if (memo) memo.set(canonical, result);
    else state.memo.set(v, new Map([[canonical, result]]));
  }
  return result;
}

/** Validates `v` against the profile in a walk of its own (capped at 50 issues) that shares the state. */
function probe(walk: ResourceWalk, state: ProbeState, v: unknown, canonical: string): boolean {
  const issues = runProbe(walk, state, v, canonical);
  return issues !== undefined && !issues.some(isError);
}

/** The errors `v` gives against the profile (not memoised: asked once per finding that names them). */
export function profileFindings(walk: ResourceWalk, state: ProbeState, v: unknown, canonical: string): ValidationIssue[] {
  return (runProbe(walk, state, v, canonical) ?? []).filter(isError);
}

const isError = (i: ValidationIssue): boolean => i.severity === 'error' || i.severity === 'fatal';

/** The issues of a probe walk, or undefined when the profile is unknown or the value cannot be walked. */
function runProbe(walk: ResourceWalk, state: ProbeState, v: unknown, canonical: string): ValidationIssue[] | undefined {
  const prof = walk.registry.get(canonical);
  if (!prof) return undefined;
  const p = new ResourceWalk(walk.registry, { ...walk.options, maxIssues: 50 });
  p.root = walk.root;
  p.probeState = state;
  p.probeSubject = v;
  p.depth = walk.depth;
  p.bundle = walk.bundle;
  try {
    // The constrained type decides how to check, not the declared kind (some profiles misstate it).
    if (walk.registry.resourceType(prof.type)) p.validateResource(v, prof.type, [prof], undefined);
    else if (v === null || typeof v !== 'object') p.validatePrimitive(prof.root, prof.type, v, prof.type);
    else p.validateObject(prof.root, v, prof.type, prof.type);
  } catch (e) {
    // The cap was reached: the value does not conform (the issues so far say why).
    if (e instanceof IssueLimit) return p.issues;
    if (walk.registry.resourceType(prof.type) || !(e instanceof Error)) throw e;
    return undefined;
  }
  return p.issues;
}
