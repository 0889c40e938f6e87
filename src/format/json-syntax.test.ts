import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorOffset, offsetToLineColumn } from './json-syntax.js';
import { LineIndex } from './line-index.js';

describe('jsonSyntaxErrorOffset', () => {
  it('accepts what JSON.parse accepts', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(jsonSyntaxErrorOffset(text)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    expect(jsonSyntaxErrorOffset(' {"a": [1, -2.5e3, true, null, {}, []], "b": "\\u00e9\\n"} ')).toBeUndefined();
  });

  it('points at the first error', () => {
    const cases: [string, number][] = [
      ['{"a": SECRET}', 6],
      ['{"a": 1,}', 8],
      ['[1 2]', 3],
      ['{"a" 1}', 5],
      ['{"a": 01}', 7],
      ['{"a": 1} x', 9],
      ['{"a": [1', 8],
      ['', 0],
      ['"tab\there"', 0],
    ];
    for (const [text, offset] of cases) expect([text, jsonSyntaxErrorOffset(text)]).toEqual([text, offset]);
  });

  it('copes with very deep nesting', () => {
    expect(jsonSyntaxErrorOffset('['.repeat(100_000) + ']'.repeat(100_000))).toBeUndefined();
    expect(offsetToLineColumn('{\n  "a": x}', 9)).toEqual({ line: 2, column: 8 });
  });
});

describe('LineIndex', () => {
  it('places offsets asked for in any order as each is placed alone', () => {
    const text = fc.array(fc.constantFrom('a', ' ', '\n', '\r', '\r\n', '"'), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        text.chain((t) => fc.tuple(fc.constant(t), fc.array(fc.nat(t.length), { maxLength: 20 }))),
        ([t, offsets]) => {
          const lines = new LineIndex(t);
          for (const offset of offsets) expect(lines.locate(offset)).toEqual(offsetToLineColumn(t, offset));
        },
      ),
      { numRuns: 500 },
    );
  });
});
