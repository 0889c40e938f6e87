/**
 * What a pattern[x] on a CodeableConcept, a Coding or an Address finds missing, as the reference validator's
 * checkFixedValue reports it (InstanceValidator.checkCodeableConcept / checkAddress with pattern = true):
 * the text (or Address part) that differs at its own path, too few codings (lines) at the value, and each
 * pattern coding (line) no item of the value matches, at the value.
 */
import { deepEqual, matchesPattern, objectItems } from './values.js';

export interface PatternFinding {
  rule: string;
  path: string;
  message: string;
}

type Obj = Record<string, unknown>;

const show = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v.slice(0, 100) : JSON.stringify(v).slice(0, 100));

/** One primitive part of a pattern (`text`, `city`): absent or different in the value is a finding at its path. */
function primitivePart(value: Obj, pattern: Obj, name: string, path: string, out: PatternFinding[]): void {
  const expected = pattern[name];
  if (expected === undefined) return;
  // A value of the wrong JSON shape was dropped by the reader (and reported there): it is missing here.
  const raw = value[name];
  const actual = raw !== null && typeof raw === 'object' ? undefined : raw;
  if (actual === undefined) out.push({ rule: 'Profile_VAL_MissingElement', path: `${path}.${name}`, message: `Missing element '${name}' - required by fixed value assigned in profile` });
  else if (!deepEqual(actual, expected)) out.push({ rule: '_DT_Fixed_Wrong', path: `${path}.${name}`, message: `Value is '${show(actual)}' but is fixed to '${show(expected)}' in the profile` });
}

/**
 * The findings of a CodeableConcept pattern the value does not match; undefined when the pattern holds more
 * than text and codings (then the caller reports the mismatch as a whole).
 */
export function codeableConceptPatternFindings(value: Obj, pattern: Obj, path: string, profile: string): PatternFinding[] | undefined {
  if (Object.keys(pattern).some((k) => k !== 'text' && k !== 'coding')) return undefined;
  const out: PatternFinding[] = [];
  primitivePart(value, pattern, 'text', path, out);
  const wanted = objectItems(pattern.coding);
  const codings = Array.isArray(value.coding) ? value.coding : [];
  if (codings.length < wanted.length) {
    out.push({ rule: 'Terminology_TX_Coding_Count', path, message: `Expected ${wanted.length} but found ${codings.length} coding elements` });
    return out;
  }
  for (const w of wanted) {
    if (codings.some((c) => matchesPattern(c, w))) continue;
    const described = `system ${show(w.system)}, code ${show(w.code)}, ${w.userSelected !== undefined ? `display '${show(w.display)}' and userSelected ${String(w.userSelected)}` : `and display '${show(w.display)}'`}`;
    out.push({
      rule: w.userSelected !== undefined ? 'TYPE_CHECKS_PATTERN_CC_US' : 'TYPE_CHECKS_PATTERN_CC',
      path,
      message: `The pattern [${described}] defined in the profile ${profile} not found`,
    });
  }
  return out;
}

const CODING_PARTS = ['system', 'version', 'code', 'display', 'userSelected'];

/**
 * The findings of a Coding pattern the value does not match (InstanceValidator.checkCoding with pattern = true):
 * each part the pattern gives that the value lacks (Profile_VAL_MissingElement) or has otherwise (_DT_Fixed_Wrong),
 * at the part; undefined when the pattern holds other parts (the caller reports the mismatch as a whole).
 */
export function codingPatternFindings(value: Obj, pattern: Obj, path: string): PatternFinding[] | undefined {
  if (Object.keys(pattern).some((k) => !CODING_PARTS.includes(k))) return undefined;
  const out: PatternFinding[] = [];
  for (const part of CODING_PARTS) primitivePart(value, pattern, part, path, out);
  return out;
}

const ADDRESS_PARTS = ['use', 'text', 'city', 'state', 'country'];

/**
 * The findings of an Address pattern the value does not match; undefined when the pattern holds parts other
 * than use, text, lines, city, state and country (the caller reports the mismatch as a whole).
 */
export function addressPatternFindings(value: Obj, pattern: Obj, path: string, profile: string): PatternFinding[] | undefined {
  if (Object.keys(pattern).some((k) => k !== 'line' && !ADDRESS_PARTS.includes(k))) return undefined;
  const out: PatternFinding[] = [];
  for (const part of ADDRESS_PARTS) primitivePart(value, pattern, part, path, out);
  const wanted = Array.isArray(pattern.line) ? pattern.line : [];
  const lines = Array.isArray(value.line) ? value.line : [];
  if (lines.length < wanted.length) {
    out.push({ rule: 'Fixed_Type_Checks_DT_Address_Line', path, message: `Expected ${wanted.length} but found ${lines.length} line elements` });
    return out;
  }
  for (const w of wanted) {
    if (!lines.some((l) => deepEqual(l, w))) out.push({ rule: 'PATTERN_CHECK_STRING', path, message: `The pattern [${show(w)}] defined in the profile ${profile} not found` });
  }
  return out;
}

const NAME_LISTS = [
  ['given', 'Fixed_Type_Checks_DT_Name_Given'],
  ['prefix', 'Fixed_Type_Checks_DT_Name_Prefix'],
  ['suffix', 'Fixed_Type_Checks_DT_Name_Suffix'],
] as const;

/**
 * The findings of a HumanName pattern (InstanceValidator.checkHumanName with pattern = true): use and text as
 * parts; a pattern family needs a family in the value (Fixed_Type_Checks_DT_Name_Family) equal to it; a pattern
 * given, prefix or suffix list needs exactly as many items in the value, compared in order. Undefined when the
 * pattern holds other parts (period): the caller then judges the value as a whole.
 */
export function humanNamePatternFindings(value: Obj, pattern: Obj, path: string): PatternFinding[] | undefined {
  if (Object.keys(pattern).some((k) => !['use', 'text', 'family', 'given', 'prefix', 'suffix'].includes(k))) return undefined;
  const out: PatternFinding[] = [];
  primitivePart(value, pattern, 'use', path, out);
  primitivePart(value, pattern, 'text', path, out);
  if (pattern.family !== undefined) {
    if (value.family === undefined) out.push({ rule: 'Fixed_Type_Checks_DT_Name_Family', path, message: 'Expected 1 but found 0 family elements' });
    else if (!deepEqual(value.family, pattern.family)) out.push(wrongPart(value.family, pattern.family, `${path}.family`));
  }
  for (const [name, rule] of NAME_LISTS) {
    if (pattern[name] === undefined) continue;
    const wanted = Array.isArray(pattern[name]) ? pattern[name] : [pattern[name]];
    const items = Array.isArray(value[name]) ? value[name] : value[name] === undefined ? [] : [value[name]];
    if (items.length !== wanted.length) {
      out.push({ rule, path, message: `Expected ${wanted.length} but found ${items.length} ${name} elements` });
      continue;
    }
    items.forEach((item, i) => {
      if (!deepEqual(item, wanted[i])) out.push(wrongPart(item, wanted[i], `${path}.${name}`));
    });
  }
  return out;
}

function wrongPart(actual: unknown, expected: unknown, path: string): PatternFinding {
  return { rule: '_DT_Fixed_Wrong', path, message: `Value is '${show(actual)}' but is fixed to '${show(expected)}' in the profile` };
}
