import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countJsonStrings, takeCensus } from './json-census.js';

const never = (): boolean => false;

describe('takeCensus and countJsonStrings', () => {
  it('count the names and string values of a value as its text holds them', () => {
    const value = { resourceType: 'Patient', name: [{ given: ['a', 'b'], family: 'c' }], active: true, n: 1, x: null };
    expect(takeCensus(value, never)).toEqual({ keys: 7, strings: 4, noted: false });
    expect(countJsonStrings(JSON.stringify(value, null, 2))).toBe(11);
  });

  it('do not count a quote escaped inside a string, however many backslashes stand before it', () => {
    for (const s of ['a"b', 'a\\"b', 'a\\\\"b', '\\', '\\\\', '"', '""\\"', 'x\\']) {
      const value = { [s]: s, list: [s, { k: s }] };
      expect(countJsonStrings(JSON.stringify(value))).toBe(takeCensus(value, never).keys + takeCensus(value, never).strings);
    }
  });

  it('agree on any JSON value read back from its text, whatever its strings hold', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const census = takeCensus(JSON.parse(text), never);
        expect(countJsonStrings(text)).toBe(census.keys + census.strings);
      }),
      { numRuns: 300 },
    );
  });

  it('tell a name given twice: the text holds more strings than the parsed value', () => {
    const text = '{"a": "x", "b": {"c": 1, "c": 2}}';
    const census = takeCensus(JSON.parse(text), never);
    expect(countJsonStrings(text)).toBeGreaterThan(census.keys + census.strings);
  });

  it('note a string value the question answers true for, in an object or an array, and an object with another prototype', () => {
    const isX = (s: string) => s === 'X';
    expect(takeCensus({ a: [{ b: 'X' }] }, isX).noted).toBe(true);
    expect(takeCensus({ a: ['y', 'X'] }, isX).noted).toBe(true);
    expect(takeCensus({ X: 'y' }, isX).noted).toBe(false);
    class Held {
      a = 'y';
    }
    expect(takeCensus({ a: new Held() }, isX).noted).toBe(true);
  });
});
