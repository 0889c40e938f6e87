/**
 * Pure checks for the two UK identifiers a triage record carries.
 *
 * Kept dependency-free so they can later be unified with the terminology
 * package's UK identifier rules without touching callers.
 */

/** Digits only: spaces and hyphens in the usual 3-3-4 grouping are removed. */
export function normaliseNhsNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/**
 * True when `value` is a 10-digit NHS number whose last digit is the
 * Modulus 11 check digit of the first nine (weights 10 down to 2).
 * A computed check of 10 means the number can never be issued.
 */
export function isValidNhsNumber(value: string): boolean {
  const digits = normaliseNhsNumber(value);
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/**
 * True when `value` has the shape of an ODS organisation or site code:
 * 3 to 8 upper-case letters or digits (e.g. `RX9`, `NLO`, `RX901`, `A81001`).
 * Shape only: whether the code is issued needs the ODS register.
 */
export function isValidOdsCode(value: string): boolean {
  return /^[A-Z0-9]{3,8}$/.test(value) && /[A-Z]/.test(value);
}
