import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArraySplitter, NdjsonLineSplitter, type JsonRecordText } from './json-records.js';

function split(text: string, size: number): { records: JsonRecordText[]; problem: string | undefined } {
  const s = new JsonArraySplitter();
  const records: JsonRecordText[] = [];
  for (let i = 0; i < text.length; i += size) records.push(...s.push(text.slice(i, i + size)));
  records.push(...s.end());
  return { records, problem: s.problem };
}

const ARRAY = '\uFEFF [ {"a": "x]}\\"", "b": [1, {"c": 2}]},\n {"a": 2} , 7, {"bad": tru} ]\n';

describe('JsonArraySplitter', () => {
  it('cuts each element out whole, whatever the chunk size', () => {
    for (let size = 1; size <= 9; size++) {
      const { records, problem } = split(ARRAY, size);
      expect(problem).toBeUndefined();
      expect(records.map((r) => r.row)).toEqual([1, 2, 3, 4]);
      expect(JSON.parse(records[0]!.text)).toEqual({ a: 'x]}"', b: [1, { c: 2 }] });
      expect(records[2]!.text.trim()).toBe('7');
      expect(() => JSON.parse(records[3]!.text)).toThrow();
    }
  });

  it('says when the extract is not an array or is cut short', () => {
    expect(split('{"a": 1}', 4).problem).toMatch(/array of records/);
    expect(split('[{"a": 1},', 4).problem).toMatch(/cut short/);
    expect(split('', 4).problem).toMatch(/empty/);
    expect(split('[1] x', 2).problem).toMatch(/after the closing/);
  });
});

describe('JsonArraySplitter on any array', () => {
  it('gives back each element of any JSON array, whatever the chunk size and spacing', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }), fc.integer({ min: 1, max: 13 }), fc.boolean(), (values, size, pretty) => {
      const text = JSON.stringify(values, null, pretty ? 2 : undefined);
      const { records, problem } = split(text, size);
      expect(problem).toBeUndefined();
      expect(records.map((r) => JSON.parse(r.text))).toEqual(JSON.parse(text));
    }), { numRuns: 300 });
  });
});

describe('NdjsonLineSplitter', () => {
  it('numbers NDJSON lines, skipping blank ones, across chunks and CRLF', () => {
    const s = new NdjsonLineSplitter();
    const text = '{"a":1}\r\n\n{"a":2}\n{"a":3}';
    const out = [...s.push(text.slice(0, 5)), ...s.push(text.slice(5)), ...s.end()];
    expect(out).toEqual([{ row: 1, text: '{"a":1}' }, { row: 3, text: '{"a":2}' }, { row: 4, text: '{"a":3}' }]);
  });
});
