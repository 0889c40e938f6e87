import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumberValue, nhsNumberCheckDigit } from './nhs-number.js';

describe('NHS number Modulus 11', () => {
  it('accepts valid numbers', () => {
    for (const n of ['9434765919', '9000000009', '9449307539', '9912003888']) expect(isValidNhsNumberValue(n), n).toBe(true);
  });

  it('rejects wrong check digits, wrong lengths, spaces and non-digits', () => {
    for (const n of ['9434765918', '9000000001', '9912003890', '943476591', '94347659190', '943 476 5919', '943476591X', '', 'abcdefghij']) {
      expect(isValidNhsNumberValue(n), n).toBe(false);
    }
  });

  it('rejects numbers whose check digit would be 10', () => {
    // weighted sum 1*10 + 1*2 = 12, remainder 1, so the check digit would be 10
    const nine = '100000001';
    expect(nhsNumberCheckDigit(nine)).toBeUndefined();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumberValue(`${nine}${d}`)).toBe(false);
  });

  const nineDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).map((a) => a.join(''));

  it('property: a number with a recomputed check digit validates', () => {
    fc.assert(
      fc.property(nineDigits, (nine) => {
        const check = nhsNumberCheckDigit(nine);
        fc.pre(check !== undefined);
        expect(isValidNhsNumberValue(`${nine}${check}`)).toBe(true);
      }),
    );
  });

  it('property: changing any single digit of a valid number makes it invalid', () => {
    fc.assert(
      fc.property(nineDigits, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (nine, position, delta) => {
        const check = nhsNumberCheckDigit(nine);
        fc.pre(check !== undefined);
        const digits = `${nine}${check}`.split('').map(Number);
        digits[position] = ((digits[position] as number) + delta) % 10;
        expect(isValidNhsNumberValue(digits.join(''))).toBe(false);
      }),
    );
  });
});
