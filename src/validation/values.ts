/** Value comparisons for fixed[x], pattern[x] and slice discriminators, and JSON shape helpers for rule modules. */

/** The object items of a JSON array (anything else gives none): what rule modules walk. */
export function objectItems(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[]) : [];
}

// Shared with the FHIRPath fast path (its `~`/`=` on complex values), which sits below validation.
export { deepEqual } from '../fhirpath/json-equal.js';
import { deepEqual } from '../fhirpath/json-equal.js';
import { fixedExtensionProblems } from './fixed-extensions.js';

/**
 * Pattern semantics: every property of the pattern is present in the value with a matching value;
 * each item of a pattern array matches some item of the value array.
 */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return value === pattern;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return pattern.length === 1 && matchesPattern(value, pattern[0]);
    return pattern.every((p) => value.some((v) => matchesPattern(v, p)));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(pattern)) {
    const pv = (pattern as Record<string, unknown>)[k];
    const iv = v[k];
    if (iv === undefined) return false;
    if (Array.isArray(pv) && !Array.isArray(iv)) {
      if (!matchesPattern([iv], pv)) return false;
    } else if (!matchesPattern(iv, pv)) return false;
  }
  return true;
}

/** For fixed values: every difference, located; empty when equal. */
export function fixedMismatch(expected: unknown, actual: unknown, path: string): { rule: string; path: string; message: string }[] {
  if (expected === null || typeof expected !== 'object' || actual === null || typeof actual !== 'object') {
    return deepEqual(expected, actual) ? [] : [{ rule: '_DT_Fixed_Wrong', path, message: `Value is '${short(actual)}' but is fixed to '${short(expected)}'` }];
  }
  if (Array.isArray(expected)) {
    const arr = Array.isArray(actual) ? actual : [actual];
    if (arr.length !== expected.length) return [{ rule: 'ADSFHIR_FIXED_ARRAY_LENGTH', path, message: `Expected ${expected.length} values for a fixed value, found ${arr.length}` }];
    return expected.flatMap((e, i) => fixedMismatch(e, arr[i], `${path}[${i}]`));
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const out: { rule: string; path: string; message: string }[] = [];
  // Extensions are matched by url, not position (fixed-extensions.ts).
  if (e.extension !== undefined || a.extension !== undefined) out.push(...fixedExtensionProblems(e.extension, a.extension, path, fixedMismatch));
  for (const k of Object.keys(a)) {
    if (!(k in e) && k !== 'extension') out.push({ rule: 'Profile_VAL_NotAllowed', path: `${path}.${k}`, message: `The element ${k} is present in the instance but not allowed in the applicable fixed value` });
  }
  for (const k of Object.keys(e)) {
    if (k === 'extension') continue;
    if (!(k in a)) out.push({ rule: 'Profile_VAL_MissingElement', path: `${path}.${k}`, message: `Missing element '${k}' - required by fixed value` });
    else out.push(...fixedMismatch(e[k], a[k], `${path}.${k}`));
  }
  return out;
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
