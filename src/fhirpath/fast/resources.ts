/**
 * Type tests on resources and `resolve()`. A JSON resource names its type (`resourceType`), which answers
 * `is(T)` and `ofType(T)` for any T but the abstract `Resource` and `DomainResource`, which R4 resources
 * derive from; a value that is not a resource needs the model, and goes to the full engine.
 */
import { type Eval, NotInSubset } from './eval.js';
import { bool, EMPTY, isObject, NeedsFullEngine } from './values.js';

/** Finds what a reference points to (`#id`, a Bundle entry), or undefined; the evaluator's own resolve(). */
export type FastResolver = (reference: string) => unknown;

/** The resource type of `x`, when it is a resource and `type` is not one of its abstract ancestors. */
function resourceTypeFor(x: unknown, type: string): string {
  if (!/^[A-Z]/.test(type) || type === 'Resource' || type === 'DomainResource' || !isObject(x) || typeof x.resourceType !== 'string') {
    throw new NeedsFullEngine('type test needing the model');
  }
  return x.resourceType;
}

/** `c is T`: empty for empty, a single item's type test. */
export function isType(c: unknown[], type: string): unknown[] {
  if (c.length === 0) return EMPTY;
  if (c.length > 1) throw new NeedsFullEngine('is() on a collection');
  return bool(resourceTypeFor(c[0], type) === type);
}

/** `ofType(T)`: the items of type T. */
export function ofType(input: Eval, type: string): Eval {
  return (f, s, e) => {
    const c = input(f, s, e);
    if (c.length === 0) return EMPTY;
    return c.filter((x) => resourceTypeFor(x, type) === type);
  };
}

/**
 * `resolve()` as the evaluator's own function does it: each Reference (or reference string) in, the
 * resource it points to out when it can be found locally.
 */
export function resolveReferences(input: Eval, resolver: FastResolver | undefined): Eval {
  if (!resolver) throw new NotInSubset('resolve() without a resolver');
  return (f, s, e) => {
    const out: unknown[] = [];
    for (const item of input(f, s, e)) {
      const reference = typeof item === 'string' ? item : isObject(item) ? item.reference : undefined;
      if (typeof reference !== 'string') continue;
      const target = resolver(reference);
      if (target !== undefined && target !== null) out.push(target);
    }
    return out;
  };
}
