/**
 * LOINC code shape, offline. Observation codes are digits, a hyphen and a Mod 10 check digit
 * (`8310-5`); parts, answers, groups and answer lists carry a prefix (`LP`, `LA`, `LG`, `LL`) and are
 * only checked for shape. Passing says nothing about whether the code exists.
 */
export { LOINC_SYSTEM } from '../systems/index.js';

const NUMERIC = /^(\d{1,7})-(\d)$/;
const PREFIXED = /^L[APGL]\d{1,8}-\d$/;

/**
 * The LOINC Mod 10 check digit: double the number formed by the odd-position digits (counting from the
 * right), append it to the even-position digits, sum all those digits, and take what brings the sum up
 * to a multiple of 10.
 */
export function loincCheckDigit(digits: string): number {
  let odd = '';
  let even = '';
  for (let i = digits.length - 1, position = 1; i >= 0; i--, position++) {
    if (position % 2 === 1) odd += digits[i];
    else even += digits[i];
  }
  const doubled = String(Number(odd) * 2);
  let sum = 0;
  for (const d of even + doubled) sum += Number(d);
  return (10 - (sum % 10)) % 10;
}

/** True when `code` has the shape of a LOINC code (and, for observation codes, the right check digit). */
export function isValidLoincCode(code: string): boolean {
  const m = NUMERIC.exec(code);
  if (m) return loincCheckDigit(m[1] as string) === Number(m[2]);
  return PREFIXED.test(code);
}
