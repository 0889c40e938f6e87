/**
 * The bytes a Bundle's signature covers: the Bundle in FHIR canonical JSON
 * (http://hl7.org/fhir/canonicalization/json: properties sorted, no whitespace, numbers in their
 * shortest form), without its signature, and for `#document` without its id and meta as well, as the
 * reference validator composes it before verifying.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Canonical JSON text of a value: object properties sorted by UTF-16 code units, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  // JSON.stringify gives numbers the ECMAScript shortest form, which is what JSON canonicalization (RFC 8785) asks for.
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** The signed content of a Bundle under the canonicalization `canon` (a JSON one). */
export function signableBundle(bundle: Record<string, unknown>, canon: string): Buffer {
  const omit = canon.endsWith('#document') ? new Set(['id', 'meta', 'signature']) : new Set(['signature']);
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(bundle)) if (!omit.has(k)) kept[k] = v;
  return Buffer.from(canonicalJson(kept), 'utf8');
}

/** Where two JSON values first differ (a JSONPath-like location and what differs), or undefined when they are the same. */
export function jsonDifference(expected: Json, actual: Json, path = '$'): string | undefined {
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return `${path}: an array on one side only`;
    if (expected.length !== actual.length) return `${path}: ${expected.length} items vs ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = jsonDifference(expected[i]!, actual[i]!, `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object') {
    for (const k of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(k in expected)) return `${path}.${k}: only in the signed content`;
      if (!(k in actual)) return `${path}.${k}: missing from the signed content`;
      const d = jsonDifference(expected[k]!, actual[k]!, `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${path}: ${JSON.stringify(expected)} vs ${JSON.stringify(actual)}`;
}

export type { Json };
