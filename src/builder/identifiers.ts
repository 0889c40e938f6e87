import { isOdsCodeShape, nhsNumberCheckDigit } from '../terminology/uk/index.js';
import { AdsBuilderError } from './errors.js';

/**
 * A valid NHS number: 10 digits (spaces allowed and removed), Modulus 11 check digit.
 * Throws naming `field`, never the number.
 */
export function nhsNumber(value: string, field = 'nhsNumber'): string {
  const digits = String(value).replace(/\s+/g, '');
  if (!/^\d+$/.test(digits)) throw new AdsBuilderError(field, 'an NHS number has digits only');
  if (digits.length !== 10) throw new AdsBuilderError(field, `an NHS number has 10 digits, got ${digits.length}`);
  if (nhsNumberCheckDigit(digits.slice(0, 9)) !== Number(digits[9])) throw new AdsBuilderError(field, 'the NHS number check digit is wrong');
  return digits;
}

/** An ODS organisation code: 3 to 6 upper-case letters or digits (e.g. a trust `RX9`, a GP practice `A81001`). */
export function odsOrganisationCode(value: string, field = 'odsCode'): string {
  if (!isOdsCodeShape(value) || value.length > 6) throw new AdsBuilderError(field, 'an ODS organisation code is 3 to 6 upper-case letters or digits');
  return value;
}

/** An ODS site code: 5 to 9 upper-case letters or digits (e.g. `RX9AA`). */
export function odsSiteCode(value: string, field = 'odsSiteCode'): string {
  if (!isOdsCodeShape(value) || value.length < 5) throw new AdsBuilderError(field, 'an ODS site code is 5 to 9 upper-case letters or digits');
  return value;
}

/** A UK postcode in its usual written form (outward and inward code); normalised to upper case with one space. */
export function postcode(value: string, field = 'postcode'): string {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact)) throw new AdsBuilderError(field, 'is not a UK postcode');
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** A Lower Layer Super Output Area code (ONS): E01 (England) or W01 (Wales) and six digits. */
export function lsoaCode(value: string, field = 'lsoa'): string {
  if (typeof value !== 'string' || !/^[EW]01\d{6}$/.test(value)) throw new AdsBuilderError(field, 'an LSOA code is E01 or W01 and six digits');
  return value;
}
