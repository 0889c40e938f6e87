/**
 * The lexical tests of primitive values that read a value character by character, as the reference's Java
 * utilities do (Base64Util.isValidBase64, Utilities.isInteger and checkDecimal, StringUtils.isBlank; the calendar and
 * year tests of dates), written for speed (values run to megabytes; most are short): primitives-scan.test.ts holds
 * the base64 and decimal readings to plain ones on random text. The checks that use them are in primitives.ts.
 */

/** Java's Character.isLetterOrDigit, near enough: letters and digits of any script. */
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

/**
 * The reference's test of base64 (Base64Util.isValidBase64): whitespace aside, the characters of the alphabet
 * must come in fours. Other characters are not counted here; the type's regex catches them afterwards.
 */
export function isValidBase64(s: string): boolean {
  // Every code unit counts unless found otherwise: base64 values run to megabytes and are nearly all alphabet, and
  // the regex engine finds the few other characters far faster than a loop over every character.
  let count = s.length;
  NOT_BASE64_ASCII.lastIndex = 0;
  for (let m = NOT_BASE64_ASCII.exec(s); m !== null; m = NOT_BASE64_ASCII.exec(s)) {
    const i = m.index;
    const c = s.charCodeAt(i);
    count--;
    // ASCII other than the alphabet (whitespace and the rest) is not counted.
    if (c < 128) continue;
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) {
      count--;
      NOT_BASE64_ASCII.lastIndex = i + 2;
    }
    const ch = String.fromCodePoint(cp);
    if (!isJavaWhitespace(ch) && LETTER_OR_DIGIT.test(ch)) count++;
  }
  return count === 0 || count % 4 === 0;
}

/** A code unit that is not one of the ASCII letters, digits, '+', '/' and '='. */
const NOT_BASE64_ASCII = /[^A-Za-z0-9+/=]/g;
const NOT_BASE64_CHARACTER = /[^A-Za-z0-9+/=]/;

/** Java's Character.isWhitespace (what StringUtils.isBlank tests): non-breaking spaces are not whitespace there. */
const JAVA_WHITESPACE = /^[\t\n\x0B\f\r\x1C-\x1F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]$/u;

function isJavaWhitespace(ch: string): boolean {
  return JAVA_WHITESPACE.test(ch);
}

/** Utilities.isInteger: optional minus, digits only, within 32 bits. */
export function isInteger(s: string): boolean {
  const digits = s.startsWith('-') ? s.slice(1) : s;
  if (!/^[0-9]+$/.test(digits) || digits.length > 10) return false;
  if (digits.length < 10) return true;
  return s.startsWith('-') ? digits <= '2147483648' : digits <= '2147483647';
}

/**
 * Utilities.checkDecimal(value, allowExponent, no leading zero): the syntax (`[+-]?digits(.digits)?([eE][+-]?digits)?`,
 * no leading zero before another digit), then the range the reference supports (at most 18 digits, an exponent of
 * at most 4). Read in one pass over the characters, with no match object.
 */
export function decimalStatus(s: string): 'ok' | 'syntax' | 'range' {
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) i++;
  const integer = i;
  while (isDigitCode(s.charCodeAt(i))) i++;
  const integerDigits = i - integer;
  if (integerDigits === 0 || (integerDigits > 1 && s.charCodeAt(integer) === 0x30)) return 'syntax';
  let fractionDigits = 0;
  if (s.charCodeAt(i) === 0x2e /* . */) {
    const fraction = ++i;
    while (isDigitCode(s.charCodeAt(i))) i++;
    fractionDigits = i - fraction;
    if (fractionDigits === 0) return 'syntax';
  }
  let exponentDigits = 0;
  c = s.charCodeAt(i);
  if (c === 0x65 || c === 0x45) {
    c = s.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) i++;
    const exponent = i;
    while (isDigitCode(s.charCodeAt(i))) i++;
    exponentDigits = i - exponent;
    if (exponentDigits === 0) return 'syntax';
  }
  if (i !== s.length) return 'syntax';
  return exponentDigits > 4 || integerDigits + fractionDigits > 18 ? 'range' : 'ok';
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Nothing but ASCII letters, digits, '+', '/' and '=' (so no whitespace and no control character either). */
export function isBase64AlphabetOnly(v: string): boolean {
  return !NOT_BASE64_CHARACTER.test(v);
}

/** True when the value is blank as the reference sees it (empty, or Java whitespace only): it then counts as no value. */
export function isBlankValue(v: string): boolean {
  // Nearly every value starts with a visible ASCII character: no need to iterate.
  const first = v.charCodeAt(0);
  if (first < 128 && first !== 32 && !(first >= 9 && first <= 13) && !(first >= 28 && first <= 31)) return false;
  for (const ch of v) if (!isJavaWhitespace(ch)) return false;
  return true;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** False for dates that match the pattern but do not exist (2023-02-30). */
export function existsOnCalendar(s: string): boolean {
  if (s.length < 10) return true;
  return numberAt(s, 8, 10) <= daysInMonth(numberAt(s, 0, 4), numberAt(s, 5, 7));
}

/** The years the reference calls reasonable: 1800 to 80 years from now. */
export function yearIsReasonable(s: string): boolean {
  const year = numberAt(s, 0, 4);
  // The latest year only grows as time goes on: a year well below the one last read needs no clock.
  return year >= 1800 && (year < latestYear - 1 || year <= latestReasonableYear());
}

/** Number(s.slice(start, end)), read from the digits in place when they are all digits (a date's are). */
function numberAt(s: string, start: number, end: number): number {
  let n = 0;
  for (let k = start; k < end; k++) {
    const d = s.charCodeAt(k) - 0x30;
    if (!(d >= 0 && d <= 9)) return Number(s.slice(start, end));
    n = n * 10 + d;
  }
  return n;
}

// The current year, read again once a minute at most: a Date per value checked is most of the check's cost.
let yearReadAt = 0;
let latestYear = 0;
function latestReasonableYear(): number {
  const now = Date.now();
  if (now - yearReadAt > 60_000 || now < yearReadAt) {
    yearReadAt = now;
    latestYear = new Date(now).getFullYear() + 80;
  }
  return latestYear;
}
