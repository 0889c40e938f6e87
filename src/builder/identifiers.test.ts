import { describe, expect, it } from 'vitest';
import { snomedId } from './datatypes.js';
import { AdsBuilderError } from './errors.js';
import { nhsNumber, odsOrganisationCode, odsSiteCode, postcode } from './identifiers.js';

const fieldOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof AdsBuilderError ? `${e.field}: ${e.reason}` : `not an AdsBuilderError: ${String(e)}`;
  }
  return undefined;
};

describe('identifier checks', () => {
  it('accepts NHS numbers with a valid Modulus 11 check digit, spaces allowed', () => {
    expect(nhsNumber('943 476 5919')).toBe('9434765919');
    expect(nhsNumber('9000000009')).toBe('9000000009');
  });

  it('rejects an 11-digit NHS number, a bad check digit and a check digit of 10, naming the field but not the number', () => {
    expect(fieldOf(() => nhsNumber('94347659190', 'patient.nhsNumber.value'))).toBe('patient.nhsNumber.value: an NHS number has 10 digits, got 11');
    expect(fieldOf(() => nhsNumber('9434765918', 'patient.nhsNumber.value'))).toBe('patient.nhsNumber.value: the NHS number check digit is wrong');
    // Weighted sum 6 * 2 = 12 leaves remainder 1, so the check digit would be 10: no valid number starts 000000006.
    expect(fieldOf(() => nhsNumber('0000000060'))).toBe('nhsNumber: the NHS number check digit is wrong');
    expect(fieldOf(() => nhsNumber('94347A5919'))).toMatch(/digits only/);
    const message = fieldOf(() => nhsNumber('9434765918'));
    expect(message).not.toContain('9434765918');
  });

  it('checks ODS organisation and site codes', () => {
    expect(odsOrganisationCode('RX9')).toBe('RX9');
    expect(odsSiteCode('RX1RA')).toBe('RX1RA');
    expect(fieldOf(() => odsOrganisationCode('rx9', 'submitter.odsCode'))).toMatch(/^submitter\.odsCode: /);
    expect(fieldOf(() => odsSiteCode('RX1', 'conveyance.destination.odsSiteCode'))).toMatch(/^conveyance\.destination\.odsSiteCode: /);
  });

  it('normalises UK postcodes and rejects others', () => {
    expect(postcode('ng72uh')).toBe('NG7 2UH');
    expect(postcode('SW1A 1AA')).toBe('SW1A 1AA');
    expect(fieldOf(() => postcode('12345'))).toBe('postcode: is not a UK postcode');
  });

  it('checks SNOMED CT ids with the Verhoeff check digit', () => {
    expect(snomedId('387458008', 'x')).toBe('387458008');
    expect(snomedId('1104051000000101', 'x')).toBe('1104051000000101');
    expect(fieldOf(() => snomedId('387458009', 'medication.medication.code'))).toBe('medication.medication.code: the SNOMED CT id has a wrong check digit');
    expect(fieldOf(() => snomedId('12', 'x'))).toMatch(/6 to 18 digits/);
  });
});
