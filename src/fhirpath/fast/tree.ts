/**
 * `children()` and `descendants()` over FHIR JSON, in the order fhirpath.js gives them: an object's
 * properties in key order (arrays flattened, `resourceType` left out), and descendants level by level
 * (all children, then all grandchildren...), not depth first.
 */
import { isObject, NeedsFullEngine } from './values.js';

/** The child nodes of each item. A primitive of a fast collection has none (it never has a `_name` companion). */
export function children(focus: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of focus) {
    if (!isObject(item)) continue;
    for (const key in item) {
      // `_name` companions give primitives ids and extensions as children: the model decides those.
      if (key.charCodeAt(0) === 95) throw new NeedsFullEngine('children with primitive extensions');
      if (key === 'resourceType') continue;
      const v = item[key];
      if (Array.isArray(v)) {
        for (const x of v) {
          // fhirpath.js keeps null array items as empty nodes; nested arrays are not FHIR JSON either.
          if (x === null || x === undefined || Array.isArray(x)) throw new NeedsFullEngine('null or nested array item');
          out.push(x);
        }
      } else if (v !== null && v !== undefined) out.push(v);
    }
  }
  return out;
}

/** All descendants, level by level, as fhirpath.js's repeat of children(). */
export function descendants(focus: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let level = children(focus); level.length > 0; level = children(level)) {
    for (const x of level) out.push(x);
  }
  return out;
}
