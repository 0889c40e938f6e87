/** Small helpers the mutation families share. */
import type { ElementDefinition } from 'fhir/r4';
import type { Rng } from '../prng.js';
import type { JsonObject, Site } from '../sites.js';

export function pickWhere<T>(rng: Rng, list: readonly T[], keep: (x: T) => boolean): T | undefined {
  const candidates = list.filter(keep);
  return candidates.length ? rng.pick(candidates) : undefined;
}

export function isObject(x: unknown): x is JsonObject {
  return !!x && typeof x === 'object' && !Array.isArray(x);
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** `Patient.name[0]` style location of a site's property as a whole (no index). */
export function propertyPath(site: Site): string {
  return site.index === undefined ? site.instancePath : site.instancePath.replace(/\[\d+\]$/, '');
}

/** True when the element repeats in its base definition (JSON array). */
export function repeats(def: ElementDefinition): boolean {
  const max = def.base?.max ?? def.max;
  return max === '*' || Number(max) > 1;
}

/** A value shortened for a mutation description. */
export function short(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
