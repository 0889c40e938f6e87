/** Value comparisons for fixed[x], pattern[x] and slice discriminators. */

/** Structural equality of two JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

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

/** For fixed complex values: the first difference, located, or undefined when equal. */
export function fixedMismatch(expected: unknown, actual: unknown, path: string): { path: string; message: string } | undefined {
  if (expected === null || typeof expected !== 'object') {
    return deepEqual(expected, actual) ? undefined : { path, message: `Value is '${short(actual)}' but is fixed to '${short(expected)}'` };
  }
  if (actual === null || typeof actual !== 'object') return { path, message: `Value is '${short(actual)}' but is fixed to '${short(expected)}'` };
  if (Array.isArray(expected)) {
    const arr = Array.isArray(actual) ? actual : [actual];
    if (arr.length !== expected.length) return { path, message: `Expected ${expected.length} values for a fixed value, found ${arr.length}` };
    for (let i = 0; i < expected.length; i++) {
      const m = fixedMismatch(expected[i], arr[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  for (const k of Object.keys(a)) {
    if (!(k in e)) return { path: `${path}.${k}`, message: `The element ${k} is present in the instance but not allowed in the applicable fixed value` };
  }
  for (const k of Object.keys(e)) {
    if (!(k in a)) return { path, message: `Missing element '${k}' - required by fixed value` };
    const m = fixedMismatch(e[k], a[k], `${path}.${k}`);
    if (m) return m;
  }
  return undefined;
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
