import { describe, expect, it } from 'vitest';
import { typeOfReference } from './reference-syntax.js';

const types = new Set(['Patient', 'Observation']);
const isType = (t: string) => types.has(t);

describe('typeOfReference', () => {
  it('reads the type before the id, also behind a base and before _history/version', () => {
    expect(typeOfReference('Patient/1', isType)).toBe('Patient');
    expect(typeOfReference('http://server.test/fhir/Observation/abc', isType)).toBe('Observation');
    expect(typeOfReference('Patient/1/_history/2', isType)).toBe('Patient');
    expect(typeOfReference('http://server.test/fhir/Patient/1/_history/2', isType)).toBe('Patient');
  });

  it('names no type for a bare id, an unknown type or a history path too short to hold one', () => {
    expect(typeOfReference('Patient', isType)).toBeUndefined();
    expect(typeOfReference('Unknown/1', isType)).toBeUndefined();
    expect(typeOfReference('_history/2', isType)).toBeUndefined();
    expect(typeOfReference('/Patient', isType)).toBeUndefined();
  });
});
