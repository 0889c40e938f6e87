import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './suggest.js';

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('origin', 'origin')).toBe(0);
    expect(editDistance('orgin', 'origin')).toBe(1);
    expect(editDistance('orgiin', 'origin')).toBe(1);
    expect(editDistance('oirgin', 'origin')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggests a near name, or the only one ending in the name, and nothing for a far one', () => {
    const names = ['call.origin', 'call.stopCode', 'patient.gender'];
    expect(didYouMean('call.orign', names)).toBe('call.origin');
    expect(didYouMean('PATIENT.GENDER', names)).toBe('patient.gender');
    expect(didYouMean('stopCode', names)).toBe('call.stopCode');
    expect(didYouMean('ambulance.colour', names)).toBeUndefined();
  });
});
