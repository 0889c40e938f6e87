/**
 * FHIR R4 primitive values as the HL7 Java validator reads them (InstanceValidator.checkPrimitive): the JSON kind
 * each type is written as, and the checks of a value's lexical form by type. The checks take the value as text
 * (a JSON number or boolean in its string form) and return every finding, as the reference does: a value can break
 * more than one rule (a dateTime without seconds has no timezone either), and the checks that need the element
 * definition or the instance (lengths, ranges, fixed values, URL resolution) are made by the caller.
 */

import { decimalStatus, existsOnCalendar, isBase64AlphabetOnly, isInteger, isValidBase64, yearIsReasonable } from './primitive-forms.js';
import { isAbsoluteUrl } from './reference-syntax.js';

export { isBase64AlphabetOnly, isBlankValue, isValidBase64 } from './primitive-forms.js';

/** JSON value kind each primitive must be written as. */
export type JsonKind = 'string' | 'number' | 'boolean';

/** A finding of a primitive check; the caller adds the location. */
export interface PrimitiveFinding {
  rule: string;
  severity: 'error' | 'warning';
  message: string;
}

const KIND_OF: Record<string, JsonKind> = {
  boolean: 'boolean',
  integer: 'number',
  unsignedInt: 'number',
  positiveInt: 'number',
  decimal: 'number',
  string: 'string',
  markdown: 'string',
  code: 'string',
  id: 'string',
  uri: 'string',
  url: 'string',
  canonical: 'string',
  oid: 'string',
  uuid: 'string',
  base64Binary: 'string',
  date: 'string',
  dateTime: 'string',
  instant: 'string',
  time: 'string',
  xhtml: 'string',
};

// Read for every primitive value: a Map, not a property lookup on a record by a key that changes from call to call.
const KIND = new Map(Object.entries(KIND_OF));

/** Longest string value accepted, as the reference validator does (1 MiB). */
export const MAX_STRING_LENGTH = 1024 * 1024;

/** True for the R4 primitive type codes. */
export function isPrimitiveType(code: string): boolean {
  return KIND.has(code); // not `in`: `constructor` is no primitive type
}

/** The JSON kind a primitive type must be written as. */
export function primitiveKind(code: string): JsonKind {
  return KIND.get(code) ?? 'string';
}

/** The types written as a JSON number or boolean ({@link primitiveKind} other than 'string'), told by comparison. */
export function writtenAsNumberOrBoolean(code: string): boolean {
  return code === 'boolean' || code === 'decimal' || code === 'integer' || code === 'positiveInt' || code === 'unsignedInt';
}

/**
 * A primitive value as the reference's JSON reader keeps it: a string as it is, a number or boolean as its text (the
 * wrong JSON kind is reported, Error_parsing_JSON_the_primitive_value_must_be_a_*, and the text validated); an array,
 * object or null is reported and dropped, so the element is absent (undefined).
 */
export function readPrimitiveText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Shortens a value quoted in a message. */
export function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// Java's regex classes: \s is [ \t\n\x0B\f\r] only (JavaScript's \s takes in every Unicode space).
const S = '[ \\t\\n\\x0B\\f\\r]';
const NS = '[^ \\t\\n\\x0B\\f\\r]';
const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const TZ = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';
const CLOCK = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)';

/** The reference's own patterns for dates and times (checkPrimitive): a dateTime's timezone is checked on its own. */
const DATE = new RegExp(`^${YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$`);
const DATETIME = new RegExp(`^${YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T${CLOCK}(\\.[0-9]+)?${TZ}?)?)?)?$`);
const INSTANT = new RegExp(`^-?[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T${CLOCK}(\\.[0-9]+)?${TZ}$`);
const TIME = new RegExp(`^${CLOCK}$`);
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The regex the R4 definitions give each primitive type's value (the reference checks it last, when nothing else
 * failed); written with Java's meaning of \s. id, base64Binary and markdown are exempt there, as here.
 */
const TYPE_REGEX = new Map<string, { source: string; re: RegExp }>();
function typeRegex(code: string, source: string, java: string): void {
  TYPE_REGEX.set(code, { source, re: new RegExp(`^(?:${java})$`) });
}
typeRegex('boolean', 'true|false', 'true|false');
typeRegex('integer', '-?([0]|([1-9][0-9]*))', '-?([0]|([1-9][0-9]*))');
typeRegex('unsignedInt', '[0]|([1-9][0-9]*)', '[0]|([1-9][0-9]*)');
typeRegex('positiveInt', '[1-9][0-9]*', '[1-9][0-9]*');
typeRegex('decimal', '-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?', '-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?');
// [ \r\n\t] or Java's \S is every character but vertical tab and form feed: one class, not an alternation per character.
typeRegex('string', '[ \\r\\n\\t\\S]+', '[^\\x0B\\f]+');
typeRegex('code', '[^\\s]+(\\s[^\\s]+)*', `${NS}+(${S}${NS}+)*`);
typeRegex('uri', '\\S*', `${NS}*`);
typeRegex('url', '\\S*', `${NS}*`);
typeRegex('canonical', '\\S*', `${NS}*`);
typeRegex('oid', 'urn:oid:[0-2](\\.(0|[1-9][0-9]*))+', 'urn:oid:[0-2](\\.(0|[1-9][0-9]*))+');
typeRegex('uuid', UUID.source, `urn:uuid:${UUID.source.slice(1, -1)}`);

/** The reference's test of OIDs: valid arcs, and a root too short for a namespace is refused (1.3 aside). */
function isAcceptedOid(oid: string): boolean {
  return /^[0-2]\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(oid) && (oid.lastIndexOf('.') >= 4 || oid.startsWith('1.3'));
}

/**
 * Code whitespace rules: no leading or trailing whitespace, single spaces only inside (trimWS(v) === v, no two
 * spaces, no other whitespace). One loop over the code units: codes are short, and a loop costs less than the
 * three scans (all of the whitespace is single code units).
 */
function passesCodeWhitespaceRules(v: string): boolean {
  let lastWasSpace = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 32) {
      if (lastWasSpace) return false;
      lastWasSpace = true;
    } else if (isUtilitiesWhitespaceCode(c)) return false;
    else lastWasSpace = false;
  }
  return !lastWasSpace || v === '';
}

// Utilities.isWhitespace's characters: ASCII whitespace and the Unicode space separators (non-breaking spaces
// included). The regexes are made once: a literal inside a function is a new object on every call.
const UTILITIES_WHITESPACE = /^[ \t\n\x0B\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/u;
const UTILITIES_WHITESPACE_ONLY = /^[ \t\n\x0B\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$/u;
const UTILITIES_WHITESPACE_ANY = /[ \t\n\x0B\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/u;
const UTILITIES_WHITESPACE_ENDS = /^[ \t\n\x0B\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[ \t\n\x0B\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$/gu;

/** Utilities.isWhitespace (one character). */
export function isUtilitiesWhitespace(ch: string): boolean {
  return UTILITIES_WHITESPACE.test(ch);
}

/** Utilities.trimWS: trims the whitespace isUtilitiesWhitespace knows. */
export function trimWS(s: string): string {
  // Most values neither start nor end with whitespace: answered from two characters, without running the
  // end-anchored regex along the whole value (base64 data and narratives are long).
  if (s === '' || (!isUtilitiesWhitespaceCode(s.charCodeAt(0)) && !isUtilitiesWhitespaceCode(s.charCodeAt(s.length - 1)))) return s;
  return s.replace(UTILITIES_WHITESPACE_ENDS, '');
}

/** The characters of UTILITIES_WHITESPACE_ENDS, by UTF-16 code (all of them are single code units). */
function isUtilitiesWhitespaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** The value as the reference shows it in whitespace messages (JSON escapes). */
export function showWhitespace(s: string): string {
  return clip(JSON.stringify(s).slice(1, -1));
}

/** True for the types the reference reads as URIs (uri, url, canonical, oid, uuid). */
export function isUriType(code: string): boolean {
  // Asked of every value: five comparisons cost less than a lookup in a set.
  return code === 'uri' || code === 'url' || code === 'canonical' || code === 'oid' || code === 'uuid';
}

type Out = PrimitiveFinding[];
const err = (out: Out, rule: string, message: string): void => void out.push({ rule, severity: 'error', message });
const warn = (out: Out, rule: string, message: string): void => void out.push({ rule, severity: 'warning', message });

function uriFindings(code: string, v: string, known: number, out: Out): void {
  if (v.startsWith('oid:')) err(out, 'Type_Specific_Checks_DT_URI_OID', 'URI values cannot start with oid:');
  if (v.startsWith('uuid:')) err(out, 'Type_Specific_Checks_DT_URI_UUID', 'URI values cannot start with uuid:');
  if (((known & NO_ASCII_WHITESPACE) === 0 && v.includes(' ')) || trimWS(v) !== v) err(out, 'Type_Specific_Checks_DT_URI_WS', `URI values cannot have whitespace('${clip(v)}')`);
  if (code === 'oid' && !v.startsWith('urn:oid:')) err(out, 'Type_Specific_Checks_DT_OID_Start', 'OIDs must start with urn:oid:');
  if (code === 'uuid' && !v.startsWith('urn:uuid:')) err(out, 'Type_Specific_Checks_DT_UUID_Strat', 'UUIDs must start with urn:uuid:');
  if (code === 'canonical' && !v.startsWith('#') && !isAbsoluteUrl(v)) {
    err(out, 'TYPE_SPECIFIC_CHECKS_CANONICAL_ABSOLUTE', `Canonical URLs must be absolute URLs if they are not fragment references (${clip(v)})`);
  }
  if (v.startsWith('urn:uuid:')) {
    let s = v.includes('#') ? v.slice(0, v.indexOf('#')) : v;
    if (code === 'canonical' && s.includes('|')) s = s.slice(0, s.lastIndexOf('|'));
    s = s.slice(9);
    if (!UUID.test(s)) err(out, 'Type_Specific_Checks_DT_UUID_Valid', `UUIDs must be valid and lowercase (${clip(s)})`);
  }
  if (v.startsWith('urn:oid:')) {
    let oid = v.slice(8);
    if (code === 'canonical' && oid.includes('|')) oid = oid.slice(0, oid.indexOf('|'));
    if (!isAcceptedOid(oid)) err(out, 'Type_Specific_Checks_DT_OID_Valid', `OIDs must be valid (${clip(oid)})`);
  }
}

/** The message of a date or dateTime that is not valid (made only for a finding). */
function invalidDateText(code: 'date' | 'dateTime' | 'instant', v: string): string {
  return code === 'date' ? `Not a valid date format: '${clip(v)}'` : `Not a valid date/time format: '${clip(v)}'`;
}

/** A '-', '+' or 'Z' after the date part (from the eleventh character on): a timezone, or what may be one. */
function hasZoneSign(v: string): boolean {
  for (let i = 10; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x2d || c === 0x2b || c === 0x5a) return true;
  }
  return false;
}

function dateFindings(code: 'date' | 'dateTime' | 'instant', v: string, out: Out): void {
  const invalid = code === 'date' ? 'Type_Specific_Checks_DT_Date_Valid' : 'Type_Specific_Checks_DT_DateTime_Valid';
  let ok = true;
  if (code === 'instant') {
    if (!INSTANT.test(v)) {
      err(out, 'Type_Specific_Checks_DT_DateTime_Regex', `Not a valid instant format: '${clip(v)}'`);
      ok = false;
    }
  } else if (!(code === 'date' ? DATE : DATETIME).test(v)) {
    err(out, invalid, invalidDateText(code, v));
    ok = false;
  }
  if (code === 'dateTime' && v.includes('T') && !hasZoneSign(v)) {
    err(out, 'Type_Specific_Checks_DT_DateTime_TZ', 'If a date has a time, it must have a timezone');
    ok = false;
  }
  if (!ok) return;
  if (!existsOnCalendar(v)) err(out, invalid, invalidDateText(code, v));
  else if (!yearIsReasonable(v)) warn(out, 'Type_Specific_Checks_DT_DateTime_Reasonable', `The value '${clip(v)}' is outside the range of reasonable years - check for data entry error`);
}

/**
 * What a caller found of a value in a scan of its own, as bits, so that primitiveFindings need not scan it again:
 * no control character (checkCharacters in string-safety.ts: all a string's regex asks of a value), no ASCII
 * whitespace (with no control character, all a URI's regex asks), or nothing but the base64 alphabet
 * ({@link isBase64AlphabetOnly}).
 */
export const NO_CONTROL_CHARACTERS = 1;
export const BASE64_ALPHABET_ONLY = 2;
/** No space, tab, line feed or carriage return (with {@link NO_CONTROL_CHARACTERS}: no ASCII whitespace at all). */
export const NO_ASCII_WHITESPACE = 4;

/**
 * True when {@link primitiveFindings} would find nothing in the value, told at once for the common types' common
 * values (a string, code or URI whose ends are no whitespace and which the caller's scan found free of control
 * characters and ASCII whitespace): no list of findings is made for them. False says nothing. primitives-scan.test.ts
 * holds it to primitiveFindings.
 */
export function formIsQuiet(code: string, v: string, known: number): boolean {
  if (v === '' || (known & NO_CONTROL_CHARACTERS) === 0) return false;
  if (isUtilitiesWhitespaceCode(v.charCodeAt(0)) || isUtilitiesWhitespaceCode(v.charCodeAt(v.length - 1))) return false;
  switch (code) {
    case 'string':
      return v.length <= MAX_STRING_LENGTH;
    case 'code':
      return passesCodeWhitespaceRules(v);
    case 'uri':
    case 'url': {
      // Not 'oid:', 'uuid:', 'urn:uuid:' or 'urn:oid:', whose forms are checked further.
      const first = v.charCodeAt(0);
      return (known & NO_ASCII_WHITESPACE) !== 0 && first !== 0x6f /* o */ && first !== 0x75 /* u */;
    }
    default:
      return false;
  }
}

/**
 * The checks of a non-blank value of type `code`, given as the text the JSON held. Everything the reference checks
 * from the value alone, in its order; the type's regex comes last and only when nothing else was wrong.
 * `known`: what the caller's own scans found ({@link NO_CONTROL_CHARACTERS}, {@link BASE64_ALPHABET_ONLY}).
 */
export function primitiveFindings(code: string, v: string, known = 0): PrimitiveFinding[] {
  const out: Out = [];
  switch (code) {
    case 'boolean':
      if (v !== 'true' && v !== 'false') err(out, 'Type_Specific_Checks_DT_Boolean_Value', "Boolean values must be 'true' or 'false'");
      break;
    case 'uri':
    case 'url':
    case 'canonical':
    case 'oid':
    case 'uuid':
      uriFindings(code, v, known, out);
      break;
    case 'id':
      if (!ID.test(v)) err(out, 'Type_Specific_Checks_DT_ID_Valid', `id value '${clip(v)}' is not valid`);
      break;
    case 'string':
      if (v.length > MAX_STRING_LENGTH) err(out, 'Type_Specific_Checks_DT_String_Length', `value is longer than permitted maximum length of 1 MB (${MAX_STRING_LENGTH} bytes)`);
      // All whitespace only when empty or the first character is (most values start with a letter or digit).
      else if ((v === '' || isUtilitiesWhitespaceCode(v.charCodeAt(0))) && UTILITIES_WHITESPACE_ONLY.test(v)) warn(out, 'Type_Specific_Checks_DT_String_WS_ALL', `value should not be all whitespace '${showWhitespace(v)}'`);
      else if (trimWS(v) !== v) warn(out, 'Type_Specific_Checks_DT_String_WS', `value should not start or finish with whitespace '${showWhitespace(v)}'`);
      break;
    case 'date':
    case 'dateTime':
    case 'instant':
      dateFindings(code, v, out);
      break;
    case 'time':
      if (!TIME.test(v)) err(out, 'Type_Specific_Checks_DT_Time_Valid', `Not a valid time (${clip(v)})`);
      break;
    case 'base64Binary': {
      // Data is nearly always the alphabet alone: one scan tells, and then every character counts and none is whitespace.
      const alphabetOnly = (known & BASE64_ALPHABET_ONLY) !== 0 || isBase64AlphabetOnly(v);
      if (alphabetOnly ? v.length % 4 !== 0 : !isValidBase64(v)) err(out, 'Type_Specific_Checks_DT_Base64_Valid', `The value '${v.length < 100 ? clip(v) : '(snip)'}' is not a valid Base64 value`);
      else if (!alphabetOnly && UTILITIES_WHITESPACE_ANY.test(v)) {
        warn(out, 'TYPE_SPECIFIC_CHECKS_DT_BASE64_NO_WS_WARNING', 'Base64 encoded values SHOULD not contain any whitespace (per RFC 4648). Note that non-validating readers are encouraged to accept whitespace anyway');
      }
      break;
    }
    case 'integer':
    case 'unsignedInt':
    case 'positiveInt':
      if (!isInteger(v)) err(out, 'Type_Specific_Checks_DT_Integer_Valid', `The value '${clip(v)}' is not a valid integer`);
      else if (code === 'unsignedInt' && Number(v) < 0) err(out, 'Type_Specific_Checks_DT_Integer_LT0', 'value is less than permitted minimum value of 0');
      else if (code === 'positiveInt' && Number(v) < 1) err(out, 'Type_Specific_Checks_DT_Integer_LT1', 'value is less than permitted minimum value of 1');
      break;
    case 'decimal': {
      const status = decimalStatus(v);
      if (status === 'syntax') err(out, 'Type_Specific_Checks_DT_Decimal_Valid', `The value '${clip(v)}' is not a valid decimal`);
      else if (status === 'range') warn(out, 'Type_Specific_Checks_DT_Decimal_Range', `The value '${clip(v)}' is outside the range of commonly/reasonably supported decimals`);
      break;
    }
    case 'code':
      if (!passesCodeWhitespaceRules(v)) err(out, 'Type_Specific_Checks_DT_Code_WS', `The code '${clip(v)}' is not valid (whitespace rules)`);
      break;
  }
  if (hasError(out)) return out;
  const holds = v === '' ? undefined : regexHolds(code, v, known, out.length === 0);
  if (holds === true) return out;
  const regex = TYPE_REGEX.get(code);
  if (regex && (holds === false || !regex.re.test(v))) err(out, 'Type_Specific_Checks_DT_Primitive_Regex_Type', `Element value '${clip(v)}' does not meet ${code} regex '${regex.source}'`);
  return out;
}

function hasError(out: Out): boolean {
  for (let i = 0; i < out.length; i++) if (out[i]!.severity === 'error') return true;
  return false;
}

const BOTH = NO_CONTROL_CHARACTERS | NO_ASCII_WHITESPACE;

/**
 * Whether the type's regex matches a value (not empty) whose own checks found no error (`clean`: nor anything else),
 * told from what those checks and the caller's scan already read of it; undefined when only the regex can tell.
 * primitives-scan.test.ts holds each answer to the regex.
 */
function regexHolds(code: string, v: string, known: number, clean: boolean): boolean | undefined {
  switch (code) {
    case 'boolean':
      return true; // 'true' or 'false'
    case 'integer': {
      // `-?[0-9]+` (Utilities.isInteger): the regex refuses a leading zero before another digit.
      const digits = v.charCodeAt(0) === 0x2d ? 1 : 0;
      return v.length === digits + 1 || v.charCodeAt(digits) !== 0x30;
    }
    case 'unsignedInt':
      // Not negative, but '-0' and '-00' are: the regex has no sign.
      return v.charCodeAt(0) !== 0x2d && (v.length === 1 || v.charCodeAt(0) !== 0x30);
    case 'positiveInt':
      return v.charCodeAt(0) !== 0x30; // at least 1, so no sign
    case 'decimal':
      return v.charCodeAt(0) !== 0x2b; // the syntax of checkDecimal, which also takes a leading '+'
    case 'code':
      // A code that passed the whitespace rules has the regex's form: no whitespace but single inner spaces.
      return clean ? true : undefined;
    case 'string':
      // A string's regex asks only for no vertical tab or form feed, and a value.
      return clean && (known & NO_CONTROL_CHARACTERS) !== 0 ? true : undefined;
    case 'uri':
    case 'url':
    case 'canonical':
      return (known & BOTH) === BOTH ? true : undefined;
    default:
      return undefined;
  }
}
