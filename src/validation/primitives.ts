/**
 * Checks of FHIR R4 primitive values as they appear in JSON: the JSON type, the R4 regex of the type
 * and the calendar validity of dates. Regexes are the ones published in the R4 type definitions.
 */

import type { Finding } from '../plugin-types/index.js';
/** JSON value kind each primitive must be written as. */
export type JsonKind = 'string' | 'number' | 'boolean';

interface PrimitiveRule {
  kind: JsonKind;
  /** Rule id of a value that is not valid for the type (the reference validator's key for the type). */
  invalid: string;
  regex?: RegExp;
  /**
   * Extra semantic check after the regex (dates, integer ranges, base64). Returns a reason (under the
   * type's `invalid` rule, or a rule of its own) or undefined.
   */
  check?: (v: string | number | boolean) => string | { reason: string; rule: string } | undefined;
}

const DATE = /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$/;
const DATETIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;
const INSTANT =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?$/;
const CODE = /^[^\s]+( [^\s]+)*$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const OID = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;
const UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const URI_NO_SPACE = /^\S*$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Rejects syntactically fine but impossible calendar dates such as 2023-02-30. */
function checkCalendar(v: string | number | boolean): string | undefined {
  const s = String(v);
  if (s.length < 10) return undefined;
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  return day > daysInMonth(year, month) ? `day ${day} does not exist in month ${s.slice(0, 7)}` : undefined;
}

function intRange(min: number): NonNullable<PrimitiveRule['check']> {
  return (v) => {
    const n = v as number;
    if (!Number.isInteger(n)) return 'not an integer';
    if (n < min) return { reason: `less than ${min}`, rule: min === 0 ? 'Type_Specific_Checks_DT_Integer_LT0' : min === 1 ? 'Type_Specific_Checks_DT_Integer_LT1' : 'Type_Specific_Checks_DT_Integer_LT' };
    if (n > 2147483647 || n < -2147483648) return 'outside the 32-bit integer range';
    return undefined;
  };
}

function checkBase64(v: string | number | boolean): string | undefined {
  return looksLikeBase64(String(v)) ? undefined : 'not valid base64';
}

/**
 * The reference validator's test of a base64Binary value (its Base64Util): ignoring whitespace, the letters,
 * digits, `+`, `/` and `=` come in groups of four. Deliberately coarse: stricter decoding is the
 * Attachment rule's (data and hash are decoded there, as the reference decodes them).
 */
export function looksLikeBase64(text: string): boolean {
  let count = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    if (/[\p{L}\p{Nd}+/=]/u.test(ch)) count++;
  }
  return count === 0 || count % 4 === 0;
}

const RULES: Record<string, PrimitiveRule> = {
  boolean: { kind: 'boolean', invalid: 'Type_Specific_Checks_DT_Boolean_Value' },
  integer: { kind: 'number', invalid: 'Type_Specific_Checks_DT_Integer_Valid', check: intRange(-2147483648) },
  unsignedInt: { kind: 'number', invalid: 'Type_Specific_Checks_DT_Integer_Valid', check: intRange(0) },
  positiveInt: { kind: 'number', invalid: 'Type_Specific_Checks_DT_Integer_Valid', check: intRange(1) },
  decimal: { kind: 'number', invalid: 'Type_Specific_Checks_DT_Decimal_Valid', check: (v) => (Number.isFinite(v as number) ? undefined : 'not a finite number') },
  string: { kind: 'string', invalid: 'Type_Specific_Checks_DT_String_Length' },
  markdown: { kind: 'string', invalid: 'Type_Specific_Checks_DT_String_Length' },
  code: { kind: 'string', invalid: 'Type_Specific_Checks_DT_Code_WS', regex: CODE },
  id: { kind: 'string', invalid: 'Type_Specific_Checks_DT_ID_Valid', regex: ID },
  uri: { kind: 'string', invalid: 'Type_Specific_Checks_DT_URI_WS', regex: URI_NO_SPACE },
  url: { kind: 'string', invalid: 'Type_Specific_Checks_DT_URI_WS', regex: URI_NO_SPACE },
  canonical: { kind: 'string', invalid: 'Type_Specific_Checks_DT_URI_WS', regex: URI_NO_SPACE },
  oid: { kind: 'string', invalid: 'Type_Specific_Checks_DT_OID_Valid', regex: OID },
  uuid: { kind: 'string', invalid: 'Type_Specific_Checks_DT_UUID_Valid', regex: UUID },
  base64Binary: { kind: 'string', invalid: 'Type_Specific_Checks_DT_Base64_Valid', check: checkBase64 },
  date: { kind: 'string', invalid: 'Type_Specific_Checks_DT_Date_Valid', regex: DATE, check: checkCalendar },
  dateTime: { kind: 'string', invalid: 'Type_Specific_Checks_DT_DateTime_Valid', regex: DATETIME, check: checkCalendar },
  instant: { kind: 'string', invalid: 'Type_Specific_Checks_DT_Instant_Valid', regex: INSTANT, check: checkCalendar },
  time: { kind: 'string', invalid: 'Type_Specific_Checks_DT_Time_Valid', regex: TIME },
  xhtml: { kind: 'string', invalid: 'Error_parsing_XHTML_' },
};

/** Longest string value accepted, as the reference validator does (1 MiB). */
export const MAX_STRING_LENGTH = 1024 * 1024;

/** True for the R4 primitive type codes. */
export function isPrimitiveType(code: string): boolean {
  return code in RULES;
}

/** The JSON kind a primitive type must be written as. */
export function primitiveKind(code: string): JsonKind {
  return RULES[code]?.kind ?? 'string';
}

/**
 * Checks a primitive value. Returns undefined when valid, else the rule broken and a sentence naming
 * the problem. Assumes the JSON kind was already checked.
 */
export function checkPrimitive(code: string, value: string | number | boolean): Finding | undefined {
  const rule = RULES[code];
  if (!rule) return undefined;
  if (typeof value === 'string') {
    if (value.length > MAX_STRING_LENGTH) return { rule: 'Type_Specific_Checks_DT_String_Length', message: `value is longer than permitted maximum length of 1 MB (${MAX_STRING_LENGTH} bytes)` };
    if (value.length === 0) return { rule: 'Type_Specific_Checks_DT_Primitive_NotEmpty', message: '@value cannot be empty' };
    if (code !== 'xhtml' && code !== 'base64Binary' && value.trim().length === 0) return { rule: 'Type_Specific_Checks_DT_String_WS_ALL', message: 'value cannot be only whitespace' };
    if (rule.regex && !rule.regex.test(value)) return { rule: rule.invalid, message: `the value '${clip(value)}' is not a valid ${code}` };
  }
  const found = rule.check?.(value);
  if (found === undefined) return undefined;
  const { reason, rule: id } = typeof found === 'string' ? { reason: found, rule: rule.invalid } : found;
  return { rule: id, message: `the value '${clip(String(value))}' is not a valid ${code}: ${reason}` };
}

/** Shortens a value quoted in a message. */
export function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
