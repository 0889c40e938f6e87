import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, isValidOdsCode, normaliseNhsNumber } from './identifiers.js';

describe('isValidNhsNumber', () => {
  it('accepts numbers whose Modulus 11 check digit matches', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('9000000009')).toBe(true);
  });
  it('rejects a wrong check digit, a check of 10 and wrong lengths', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    // weighted sum 2 -> check digit 9
    expect(isValidNhsNumber('0000000019')).toBe(true);
    expect(isValidNhsNumber('0000000010')).toBe(false);
    // weighted sum 10 -> check digit 1
    expect(isValidNhsNumber('1000000001')).toBe(true);
    expect(isValidNhsNumber('0000000050')).toBe(false);
    // weighted sum 18 -> check digit 4
    expect(isValidNhsNumber('0000000600')).toBe(false);
    expect(isValidNhsNumber('0000000604')).toBe(true);
    expect(isValidNhsNumber('123456789')).toBe(false);
    expect(isValidNhsNumber('12345678901')).toBe(false);
    expect(isValidNhsNumber('94347659AB')).toBe(false);
  });
  it('treats a computed check of 10 as never valid', () => {
    // weighted sum 12 -> 12 % 11 = 1 -> check 10: no last digit can pass
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`000000006${d}`)).toBe(false);
  });
  it('catches every single-digit error in a valid number', () => {
    const nineDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 });
    fc.assert(
      fc.property(nineDigits, fc.nat(9), fc.integer({ min: 1, max: 9 }), (digits, pos, delta) => {
        const sum = digits.reduce((acc, d, i) => acc + d * (10 - i), 0);
        const check = 11 - (sum % 11);
        fc.pre(check !== 10);
        const valid = [...digits, check === 11 ? 0 : check];
        expect(isValidNhsNumber(valid.join(''))).toBe(true);
        const changed = [...valid];
        changed[pos] = (changed[pos]! + delta) % 10;
        expect(isValidNhsNumber(changed.join(''))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('normalises spaces and hyphens', () => {
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
  });
});

describe('isValidOdsCode', () => {
  it('accepts organisation and site code shapes', () => {
    for (const c of ['RX9', 'NLO', 'RX901', 'A81001', 'RRU', 'A81001001']) expect(isValidOdsCode(c)).toBe(true);
  });
  it('rejects lower case, punctuation, digits only and wrong lengths', () => {
    for (const c of ['rx9', 'RX', 'RX9-01', '123', 'ABCDEFGHIJ', '']) expect(isValidOdsCode(c)).toBe(false);
  });
});
