import { describe, expect, it } from 'vitest';
import { isValidLoincCode, loincCheckDigit } from './loinc.js';

describe('LOINC codes', () => {
  it('computes the Mod 10 check digit', () => {
    expect(loincCheckDigit('12345')).toBe(5);
    expect(loincCheckDigit('8310')).toBe(5);
  });

  it('accepts real codes', () => {
    for (const c of ['8310-5', '85354-9', '8867-4', '29463-7', '8302-2', '59408-5', '9279-1', 'LA6576-8', 'LP43571-6']) expect(isValidLoincCode(c), c).toBe(true);
  });

  it('rejects wrong check digits and other shapes', () => {
    for (const c of ['8310-4', '85354-1', 'test', '8310', '8310-55', 'XX123-4', '']) expect(isValidLoincCode(c), c).toBe(false);
  });
});
