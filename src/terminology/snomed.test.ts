import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidSctid, passesSctidCheck, verhoeffValid } from './snomed.js';

describe('SNOMED CT identifiers', () => {
  it('accepts real concept identifiers, international and UK extension', () => {
    for (const id of ['22298006', '404684003', '138875005', '900000000000207008', '322236009', '999000531000000100']) expect(isValidSctid(id), id).toBe(true);
  });

  it('rejects wrong check digits, short codes, leading zeros and unknown partitions', () => {
    for (const id of ['22298007', '1', '2', '12345', '022298006', '22298036']) expect(isValidSctid(id), id).toBe(false);
  });

  it('leaves expressions to a terminology server', () => {
    expect(passesSctidCheck('22298006 |Myocardial infarction|')).toBe(true);
    expect(passesSctidCheck('1')).toBe(false);
  });

  it('property: changing one digit breaks the Verhoeff check', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 5, maxLength: 17 }), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const base = body.join('');
        const check = [...'0123456789'].find((d) => verhoeffValid(base + d)) as string;
        const digits = (base + check).split('').map(Number);
        const i = at % digits.length;
        digits[i] = ((digits[i] as number) + delta) % 10;
        expect(verhoeffValid(digits.join(''))).toBe(false);
      }),
    );
  });
});
