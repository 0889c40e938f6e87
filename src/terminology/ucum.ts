import { createRequire } from 'node:module';

/**
 * The UCUM library of the Lister Hill center (the one fhirpath.js uses), required on the first unit checked, so runs
 * without units never load it, and loaded on its own: through fhirpath.js it would bring the FHIRPath parser too.
 */
const load = createRequire(import.meta.url);
let ucum: UcumValidator | undefined;
const ucumValidator = (): UcumValidator =>
  (ucum ??= (load('@lhncbc/ucum-lhc') as { UcumLhcUtils: { getInstance(): UcumValidator } }).UcumLhcUtils.getInstance());

export { UCUM_SYSTEM } from '../systems/index.js';

interface UcumValidator {
  validateUnitString(unit: string): { status: string; msg?: string[] };
}

const MAX_CACHED = 10_000;
const MAX_UNIT_LENGTH = 256;
const verdicts = new Map<string, boolean>();
/** Printable ASCII without spaces: the UCUM character set (case-sensitive form). */
const UCUM_CHARS = /^[!-~]+$/;

/**
 * True when `unit` is a syntactically valid UCUM expression with known atoms.
 *
 * Uses the UCUM library (offline, full unit table); verdicts are memoised
 * because the same few units recur across every Quantity of a feed.
 */
export function isValidUcum(unit: string): boolean {
  const cached = verdicts.get(unit);
  if (cached !== undefined) return cached;
  // Real units are short; the parser is not fed arbitrarily long input.
  let ok = unit.length <= MAX_UNIT_LENGTH && UCUM_CHARS.test(unit);
  if (ok) {
    try {
      ok = ucumValidator().validateUnitString(unit).status === 'valid';
    } catch {
      ok = false;
    }
  }
  if (verdicts.size >= MAX_CACHED) verdicts.clear();
  verdicts.set(unit, ok);
  return ok;
}
