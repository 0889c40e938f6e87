import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, guessDelimiter, type CsvRecord } from './csv.js';

/** Parses `text` fed in chunks of `size` characters. */
function parse(text: string, size = text.length || 1, delimiter = ','): CsvRecord[] {
  const p = new CsvParser(delimiter);
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
  return [...out, ...p.end()];
}

const TRICKY = '\uFEFFid,note,n\r\n1,"a, b",x\r\n2,"line one\r\nline two",y\r\n3,"say ""hi""",z\r\n\r\n4,,\r\n5,last,"q"';

describe('CsvParser', () => {
  it('reads a BOM, CRLF, quoted delimiters, quoted line breaks, doubled quotes and blank lines', () => {
    const records = parse(TRICKY);
    expect(records.map((r) => r.fields)).toEqual([
      ['id', 'note', 'n'], ['1', 'a, b', 'x'], ['2', 'line one\r\nline two', 'y'], ['3', 'say "hi"', 'z'], ['4', '', ''], ['5', 'last', 'q'],
    ]);
    // Lines where each record starts: the quoted line break moves the next record down a line; the blank line is skipped.
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5, 7, 8]);
    expect(records.every((r) => r.error === undefined)).toBe(true);
  });

  it('gives the same records whatever the chunk size (chunks end inside quotes, between CR and LF)', () => {
    const whole = parse(TRICKY);
    for (let size = 1; size <= 7; size++) expect(parse(TRICKY, size)).toEqual(whole);
  });

  it('reads LF and bare CR line ends, and a last line without a line end', () => {
    expect(parse('a,b\n1,2\r3,4').map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });

  it('flags malformed records and goes on with the next line', () => {
    const records = parse('a,b\n1,x"y\n2,"ok"z\n3,fine\n4,"never closed\n');
    expect(records.map((r) => [r.line, r.error ?? null])).toEqual([
      [1, null], [2, 'field 2 has a quote inside an unquoted value'], [3, 'field 2 has text after its closing quote'], [4, null],
      [5, 'field 2 has a quote that is never closed'],
    ]);
  });

  it('uses the declared delimiter', () => {
    expect(parse('a;b\n1;"2;3"', 3, ';').map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2;3']]);
    expect(() => new CsvParser('"')).toThrow();
  });

  it('guesses the delimiter of a header read as one column', () => {
    expect(guessDelimiter('IncidentNo;CallSign', ',')).toBe(';');
    expect(guessDelimiter('IncidentNo\tCallSign', ',')).toBe('\t');
    expect(guessDelimiter('IncidentNo', ',')).toBeUndefined();
  });

  it('reads back any table written the RFC 4180 way, whatever the chunk size and line end', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é') , maxLength: 6 });
    fc.assert(fc.property(
      fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 9 }), fc.constantFrom('\n', '\r\n'),
      (rows, size, eol) => {
        const quote = (f: string) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f);
        const text = rows.map((r) => r.map(quote).join(',')).join(eol) + eol;
        expect(parse(text, size).map((r) => r.fields)).toEqual(rows);
      },
    ), { numRuns: 300 });
  });
});
