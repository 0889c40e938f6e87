import { createRequire } from 'node:module';
import { knownValidUcum } from './ucum-table.js';

export { UCUM_SYSTEM } from '../systems/index.js';

interface UcumUtils {
  validateUnitString(unit: string): { status: string; msg?: string[] };
  convertUnitTo(from: string, value: number, to: string): { status: string; toVal: number | null; msg?: string[] };
}

const MAX_CACHED = 10_000;
const MAX_UNIT_LENGTH = 256;
/** Why a unit is not valid UCUM ('' when it is), memoised. */
const verdicts = new Map<string, string>();
/** Printable ASCII without spaces: the UCUM character set (case-sensitive form). */
const UCUM_CHARS = /^[!-~]+$/;

/**
 * The UCUM library of the Lister Hill center (the one fhirpath.js uses: offline, the full unit table of the
 * case-sensitive form, prefixes, exponents, `10*n`, parentheses and annotations), required on the first unit
 * checked, so runs without units never load it, and loaded on its own: through fhirpath.js it would bring the
 * FHIRPath parser too.
 */
const load = createRequire(import.meta.url);
let loaded: UcumUtils | undefined;
const ucumUtils = (): UcumUtils =>
  (loaded ??= (load('@lhncbc/ucum-lhc') as { UcumLhcUtils: { getInstance(): UcumUtils } }).UcumLhcUtils.getInstance());

/**
 * Why `unit` is not a valid UCUM expression (unknown atom, bad syntax, unbalanced braces...), or
 * undefined when it is. Verdicts are memoised because the same few units recur across every Quantity
 * of a feed.
 */
export function ucumProblem(unit: string): string | undefined {
  let why = verdicts.get(unit);
  if (why === undefined) {
    why = judge(unit);
    if (verdicts.size >= MAX_CACHED) verdicts.clear();
    verdicts.set(unit, why);
  }
  return why === '' ? undefined : why;
}

/** True when `unit` is a syntactically valid UCUM expression with known atoms. */
export function isValidUcum(unit: string): boolean {
  return ucumProblem(unit) === undefined;
}

function judge(unit: string): string {
  // Real units are short; the parser is not fed arbitrarily long input.
  if (unit.length === 0) return 'a UCUM unit cannot be empty';
  if (unit.length > MAX_UNIT_LENGTH) return `a UCUM unit is at most ${MAX_UNIT_LENGTH} characters`;
  if (!UCUM_CHARS.test(unit)) return 'UCUM units are printable ASCII characters without spaces';
  // The plain shapes most units take are vouched for by the library's own unit table, without building the library.
  if (knownValidUcum(unit)) return '';
  try {
    const r = ucumUtils().validateUnitString(unit);
    if (r.status === 'valid') return '';
    const msg = (r.msg ?? []).join(' ').replace(/\s+/g, ' ').trim();
    return msg || `'${unit}' is not a valid UCUM unit`;
  } catch {
    return `'${unit}' is not a valid UCUM unit`;
  }
}

/**
 * `value` in unit `from` expressed in unit `to` (both UCUM), or undefined when either unit is not valid
 * UCUM or they measure different things (mg and mL). Annotations are ignored, as UCUM says.
 */
export function convertUcum(value: number, from: string, to: string): number | undefined {
  if (from === to) return value;
  if (!isValidUcum(from) || !isValidUcum(to)) return undefined;
  try {
    const r = ucumUtils().convertUnitTo(from, value, to);
    return r.status === 'succeeded' && typeof r.toVal === 'number' && Number.isFinite(r.toVal) ? r.toVal : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first `{annotation}` of a UCUM code (braces included) and its text, when it has one: annotations
 * are ignored when units are compared, so the reference validator flags them as a best-practice matter.
 */
export function ucumAnnotation(code: string): { annotation: string; text: string } | undefined {
  const b = code.indexOf('{');
  const e = code.indexOf('}');
  if (b < 0 || e <= 0 || b >= e) return undefined;
  return { annotation: code.slice(b, e + 1), text: code.slice(b + 1, e) };
}
