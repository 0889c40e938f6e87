/**
 * Extensions on a value whose profile fixes it (ElementDefinition.fixed[x]), as the reference validator
 * compares them (InstanceValidator.checkFixedValue): a fixed value without extensions bans them, and one
 * with extensions needs as many, each found by url.
 */
import { clip } from './primitives.js';

export interface FixedProblem {
  rule: string;
  path: string;
  message: string;
}

/**
 * The extension findings of a complex value at `path` against its fixed value; `compare` compares a
 * fixed extension with the one found for its url.
 */
export function fixedExtensionProblems(expected: unknown, actual: unknown, path: string, compare: (e: unknown, a: unknown, path: string) => FixedProblem[]): FixedProblem[] {
  const fixed = Array.isArray(expected) ? expected : [];
  const found = Array.isArray(actual) ? actual : actual === undefined ? [] : [actual];
  if (fixed.length === 0) {
    return found.length === 0 ? [] : [{ rule: 'Extension_EXT_Fixed_Banned', path, message: "No extensions allowed, as the specified fixed value doesn't contain any extensions" }];
  }
  if (found.length !== fixed.length) {
    return [{ rule: 'Extension_EXT_Count_Mismatch', path, message: `Extensions count mismatch: expected ${fixed.length} but found ${found.length}` }];
  }
  const out: FixedProblem[] = [];
  for (const e of fixed) {
    const url = e && typeof e === 'object' ? (e as { url?: unknown }).url : undefined;
    const i = found.findIndex((a) => a && typeof a === 'object' && (a as { url?: unknown }).url === url);
    if (i < 0) out.push({ rule: 'Extension_EXT_Count_NotFound', path, message: `Extension count mismatch: unable to find extension: ${clip(String(url))}` });
    else out.push(...compare(e, found[i], `${path}.extension[${i}]`));
  }
  return out;
}
