import { r4Model } from './fhirpath-js.js';
import { narrativeHasContent, narrativeMarkupValid } from './narrative.js';
import { definitionRegex } from './regex.js';
import { CORE_SD_BASE } from '../systems/index.js';

/** A function made available to FHIRPath expressions (fhirpath.js user invocation table entry). */
export interface FhirPathFunction {
  // fhirpath.js passes the input collection first, then the evaluated arguments.
  fn: (inputs: unknown[], ...args: any[]) => unknown;
  arity?: Record<number, string[]>;
  /** When true, `inputs` holds fhirpath.js ResourceNodes rather than plain values. */
  internalStructures?: boolean;
}

/** What custom functions may consult about the evaluation in progress. */
export interface EvaluationScope {
  resource: unknown;
  root: unknown;
  notes: string[];
}

/** Membership of a code, Coding or CodeableConcept in a value set: undefined when it cannot be told. */
export type MemberOfHook = (value: unknown, valueSetUrl: string) => boolean | undefined;
/** Conformance of a resource to a profile: undefined when it cannot be told. */
export type ConformsToHook = (resource: unknown, profileUrl: string) => boolean | undefined;

function singleString(inputs: unknown[], fn: string): string | undefined {
  if (inputs.length === 0) return undefined;
  if (inputs.length > 1) throw new Error(`${fn}() expects a single string but got ${inputs.length} items`);
  const s = inputs[0];
  if (typeof s !== 'string') throw new Error(`${fn}() expects a string`);
  return s;
}

/**
 * `matches()` as the HL7 Java validator evaluates it: the whole string must match. fhirpath.js follows
 * FHIRPath 2.0 (a partial match, with `matchesFull` for the whole string), but R4 invariants such as
 * `mea-0` and `sdf-0` are written for whole-string matching.
 */
export const matchesWhole: FhirPathFunction = {
  fn: (inputs, regex: unknown, flags?: unknown) => {
    const s = singleString(inputs, 'matches');
    if (s === undefined || typeof regex !== 'string' || regex === '') return [];
    if (flags !== undefined && (typeof flags !== 'string' || !/^[im]*$/.test(flags))) throw new Error('matches() flags must only contain i and/or m');
    return definitionRegex(`^(?:${regex})$`, typeof flags === 'string' ? flags : '').test(s);
  },
  arity: { 1: ['String'], 2: ['String', 'String'] },
};

/** `replaceMatches()` tolerant of Java-style escapes (see {@link definitionRegex}). */
export const replaceMatches: FhirPathFunction = {
  fn: (inputs, regex: unknown, substitution: unknown) => {
    const s = singleString(inputs, 'replaceMatches');
    if (s === undefined || typeof regex !== 'string' || typeof substitution !== 'string' || regex === '') return [];
    return s.replace(definitionRegex(regex, 'g'), substitution);
  },
  arity: { 2: ['String', 'String'] },
};

interface ResourceNodeClass {
  makeResNode(ctx: unknown, data: unknown, parent: null, path: null, _data: null, type: null): unknown;
}

/**
 * A synchronous `resolve()`: contained resources (`#id`), then Bundle entries of the outermost
 * resource by fullUrl or by `Type/id`. References elsewhere resolve to nothing (offline).
 */
export function resolveFunction(scope: () => EvaluationScope): FhirPathFunction {
  return {
    internalStructures: true,
    fn(this: unknown, inputs: unknown[]) {
      const { resource, root } = scope();
      const out: unknown[] = [];
      for (const item of inputs) {
        const data = (item as { data?: unknown })?.data ?? item;
        const reference = typeof data === 'string' ? data : (data as { reference?: unknown })?.reference;
        if (typeof reference !== 'string') continue;
        const target = resolveLocally(reference, resource, root);
        if (!target) continue;
        // ResourceNode is not exported by fhirpath.js; the input node's own class builds a typed node.
        const nodeClass = (item as { constructor?: Partial<ResourceNodeClass> })?.constructor;
        out.push(typeof nodeClass?.makeResNode === 'function' ? nodeClass.makeResNode(this, target, null, null, null, null) : target);
      }
      return out;
    },
  };
}

/** The target of a reference found in the resource's contained resources or the root Bundle's entries. */
export function resolveLocally(reference: string, resource: unknown, root: unknown): unknown {
  if (reference.startsWith('#')) {
    const contained = (resource as { contained?: unknown[] })?.contained;
    const id = reference.slice(1);
    return Array.isArray(contained) ? contained.find((c) => (c as { id?: unknown })?.id === id) : undefined;
  }
  const entries = (root as { resourceType?: string; entry?: unknown[] })?.resourceType === 'Bundle' ? (root as { entry?: unknown[] }).entry : undefined;
  if (!Array.isArray(entries)) return undefined;
  for (const e of entries) {
    const entry = e as { fullUrl?: unknown; resource?: { resourceType?: string; id?: string } };
    if (entry?.fullUrl === reference) return entry.resource;
    const r = entry?.resource;
    if (r && (reference === `${r.resourceType}/${r.id}` || (typeof entry.fullUrl === 'string' && entry.fullUrl.endsWith(`/${reference}`)))) return r;
  }
  return undefined;
}

/** `memberOf(valueSet)` through the terminology hook; empty (unknown) when the hook cannot tell. */
export function memberOfFunction(hook: MemberOfHook | undefined, scope: () => EvaluationScope): FhirPathFunction {
  return {
    fn: (inputs, valueSet: unknown) => {
      if (inputs.length !== 1 || typeof valueSet !== 'string') return [];
      const verdict = hook?.(inputs[0], valueSet);
      if (verdict === undefined) {
        scope().notes.push(`memberOf('${valueSet}') could not be decided offline`);
        return [];
      }
      return verdict;
    },
    arity: { 1: ['String'] },
  };
}

/**
 * `conformsTo(profile)`: the hook's answer; otherwise true for a core resource type profile matching the
 * resource's type, and true with a note for any other profile (the validator checks profiles itself).
 */
export function conformsToFunction(hook: ConformsToHook | undefined, scope: () => EvaluationScope): FhirPathFunction {
  return {
    fn: (inputs, profile: unknown) => {
      if (inputs.length !== 1 || typeof profile !== 'string') return [];
      const resource = inputs[0];
      const verdict = hook?.(resource, profile);
      if (verdict !== undefined) return verdict;
      const type = (resource as { resourceType?: unknown })?.resourceType;
      if (profile.startsWith(CORE_SD_BASE) && !profile.slice(CORE_SD_BASE.length).includes('/') && /^[A-Z]/.test(profile.slice(CORE_SD_BASE.length))) {
        return type === profile.slice(CORE_SD_BASE.length).split('|')[0];
      }
      scope().notes.push(`conformsTo('${profile}') was assumed true`);
      return true;
    },
    arity: { 1: ['String'] },
  };
}

/** Wraps a string predicate as a FHIRPath function over a single string input (empty stays empty). */
export function stringPredicate(name: string, test: (s: string) => boolean): FhirPathFunction {
  return {
    fn: (inputs) => {
      const s = singleString(inputs, name);
      return s === undefined ? [] : test(s);
    },
  };
}

/** The functions behind the patched txt-1 and txt-2. */
export const narrativeFunctions: Record<string, FhirPathFunction> = {
  narrativeMarkupValid: stringPredicate('narrativeMarkupValid', narrativeMarkupValid),
  narrativeHasContent: stringPredicate('narrativeHasContent', narrativeHasContent),
};

/** True when `name` is an R4 resource type (its ancestry reaches `Resource`). */
export function isResourceTypeName(name: string): boolean {
  const typeParents = r4Model().type2Parent;
  let current: string | undefined = name;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current === 'Resource') return true;
    current = typeParents[current];
  }
  return false;
}

/** Functions used by the patched core invariants. */
export const patchFunctions: Record<string, FhirPathFunction> = {
  ...narrativeFunctions,
  isResourceType: stringPredicate('isResourceType', isResourceTypeName),
};
