import type { CodeableConcept, Coding, Identifier, Period, Quantity, Reference } from 'fhir/r4';
import { isValidUcum } from '../terminology/ucum.js';
import { AdsBuilderError } from './errors.js';
import { SYSTEMS } from './systems.js';

/** `value` as a non-empty string, or an AdsBuilderError naming `field` (guards callers that bypass the types). */
export function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new AdsBuilderError(field, 'must be a non-empty string');
  return value;
}

/** Throws naming `field` unless `value` is an object (builder inputs from untyped callers). */
export function requireInput(value: unknown, field: string): void {
  if (!value || typeof value !== 'object') throw new AdsBuilderError(field, 'is missing');
}

/** A point in time: a `Date`, or an ISO 8601 date-time string with seconds optional and a time zone. */
export type DateTimeInput = Date | string;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A FHIR dateTime with a time zone, from a Date or an ISO string. Throws when the value is no real
 * instant (ADS times are always full timestamps).
 */
export function dateTime(value: DateTimeInput, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new AdsBuilderError(field, 'is an invalid Date');
    return value.toISOString().replace('.000Z', 'Z');
  }
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value)) || !isCalendarDate(value.slice(0, 10))) {
    throw new AdsBuilderError(field, 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-23T14:05:00Z');
  }
  return value;
}

/** True when YYYY-MM-DD names a day that exists (Date.parse would roll 02-30 over to March). */
function isCalendarDate(ymd: string): boolean {
  const m = DATE.exec(ymd);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A FHIR date (YYYY-MM-DD) that exists in the calendar and is not in the future of `now`. */
export function pastDate(value: string, field: string, now: Date): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) throw new AdsBuilderError(field, 'must be a calendar date YYYY-MM-DD');
  if (Date.parse(`${value}T00:00:00Z`) > now.getTime()) throw new AdsBuilderError(field, 'is in the future');
  return value;
}

/** Milliseconds since the epoch of an already-normalised dateTime. */
export const instant = (normalised: string): number => Date.parse(normalised);

/**
 * A Period; throws when `end` is before `start`.
 * @param field - the input name used in error messages; `.start`/`.end` are appended.
 */
export function period(start: DateTimeInput | undefined, end: DateTimeInput | undefined, field: string): Period {
  const s = start === undefined ? undefined : dateTime(start, `${field}.start`);
  const e = end === undefined ? undefined : dateTime(end, `${field}.end`);
  if (s && e && instant(e) < instant(s)) throw new AdsBuilderError(`${field}.end`, 'is before the start');
  return { ...(s ? { start: s } : {}), ...(e ? { end: e } : {}) };
}

/** A Coding; `system` and `code` must be non-empty. */
export function coding(system: string, code: string, display?: string): Coding {
  if (typeof system !== 'string' || typeof code !== 'string' || !system || !code || code !== code.trim()) throw new AdsBuilderError('coding', 'needs a system and a code without surrounding spaces');
  return { system, code, ...(display ? { display } : {}) };
}

/** A CodeableConcept of one or more codings, with optional text. */
export function codeableConcept(codings: Coding | Coding[], text?: string): CodeableConcept {
  const list = Array.isArray(codings) ? codings : [codings];
  return { coding: list, ...(text ? { text } : {}) };
}

/** A SNOMED CT concept as a CodeableConcept; the id is checked (digits and Verhoeff check digit). */
export function snomedConcept(concept: { code: string; display?: string }, field: string): CodeableConcept {
  return codeableConcept({ system: SYSTEMS.snomed, code: snomedId(concept.code, field), ...(concept.display ? { display: concept.display } : {}) });
}

/** An Identifier. */
export function identifier(system: string, value: string, extra: Omit<Identifier, 'system' | 'value'> = {}): Identifier {
  text(value, 'identifier.value');
  return { system, value, ...extra };
}

/**
 * A UCUM Quantity. Throws when the value is not a finite number, or is below `min` or above `max`.
 * @param unit - human-readable unit (Quantity.unit); `code` is the UCUM code.
 */
export function ucumQuantity(value: number, code: string, unit: string, field: string, range: { min?: number; max?: number; integer?: boolean } = {}): Quantity {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new AdsBuilderError(field, 'must be a finite number');
  if (range.integer && !Number.isInteger(value)) throw new AdsBuilderError(field, 'must be a whole number');
  if (range.min !== undefined && value < range.min) throw new AdsBuilderError(field, `must be at least ${range.min}`);
  if (range.max !== undefined && value > range.max) throw new AdsBuilderError(field, `must be at most ${range.max}`);
  if (typeof code !== 'string' || !code) throw new AdsBuilderError(`${field}.ucum`, 'needs a UCUM code (e.g. mg, ug, mL)');
  // The validator's UCUM check (Unknown_Code_in, ADSFHIR_UCUM_CODE_INVALID as a fallback), at the call: mcg and
  // milligram are not UCUM.
  if (!isValidUcum(code)) throw new AdsBuilderError(`${field}.ucum`, 'is not a UCUM code (e.g. mg, ug, mL, /min)');
  return { value, unit, system: SYSTEMS.ucum, code };
}

// Verhoeff tables: SNOMED CT identifiers end in a Verhoeff check digit.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1], [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1], [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** A SNOMED CT (and so dm+d) concept id: 6 to 18 digits, no leading zero, valid Verhoeff check digit. */
export function snomedId(code: string, field: string): string {
  if (!/^[1-9]\d{5,17}$/.test(code)) throw new AdsBuilderError(field, 'a SNOMED CT id has 6 to 18 digits');
  let c = 0;
  const digits = [...code].reverse().map(Number);
  digits.forEach((digit, i) => {
    c = D[c]![P[i % 8]![digit]!]!;
  });
  if (c !== 0) throw new AdsBuilderError(field, 'the SNOMED CT id has a wrong check digit');
  return code;
}

/** A Reference to a bundle entry by its fullUrl. */
export const referenceTo = (fullUrl: string, type: string, display?: string): Reference => ({ reference: fullUrl, type, ...(display ? { display } : {}) });
