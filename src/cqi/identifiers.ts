/**
 * The two UK identifiers a triage record carries, checked by the toolkit's one set of UK identifier
 * rules (src/terminology/uk), with the spacing people type NHS numbers in.
 */
import { isOdsCodeShape, isValidNhsNumberValue } from '../terminology/uk/index.js';

/** Digits only: spaces and hyphens in the usual 3-3-4 grouping are removed. */
export function normaliseNhsNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** True when `value` (spaces and hyphens allowed) is an NHS number passing the Modulus 11 check. */
export function isValidNhsNumber(value: string): boolean {
  return isValidNhsNumberValue(normaliseNhsNumber(value));
}

/**
 * True when `value` has the shape of an ODS organisation or site code (3 to 9 upper-case letters or
 * digits, e.g. `RX9`, `NLO`, `RX901`, `A81001`) with at least one letter, as every issued code has.
 * Shape only: whether the code is issued needs the ODS register.
 */
export function isValidOdsCode(value: string): boolean {
  return isOdsCodeShape(value) && /[A-Z]/.test(value);
}
