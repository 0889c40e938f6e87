import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NARRATIVE_ELEMENTS, NameTable, OTHER_ELEMENT, tableByTag, tagAt, tagOf, taggedNames } from './xhtml-names.js';

describe('narrative element tags', () => {
  it('numbers each narrative element by its place in the list, and every other name alike', () => {
    NARRATIVE_ELEMENTS.forEach((name, tag) => expect(tagOf(name)).toBe(tag));
    for (const other of ['script', 'DIV', 'h7', 'x:p', '', 'constructor', '__proto__']) expect(tagOf(other)).toBe(OTHER_ELEMENT);
  });

  it('keeps a table by tag with the value for other names last', () => {
    const table = tableByTag((name) => name.length, -1);
    expect(table[tagOf('blockquote')]).toBe(10);
    expect(table[tagOf('script')]).toBe(-1);
  });

  it('refuses, when a check is loaded, a list of names that holds one the tags cannot tell', () => {
    expect([...taggedNames(['p', 'div'])]).toEqual(['p', 'div']);
    expect(() => taggedNames(['p', 'script'])).toThrow(/script/);
  });
});

describe('names found where they are written', () => {
  it('finds the tag of a name inside a text as the lookup by name does, for the names and near misses', () => {
    const name = fc.oneof(fc.constantFrom(...NARRATIVE_ELEMENTS, 'code', 'cite', 'samp', 'span', 'tx', 'h7', 'bb', 'Div', 'x:p', 'a.b', '_'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.string({ maxLength: 3 }), name, fc.string({ maxLength: 3 }), (before, n, after) => {
        const text = before + n + after;
        expect(tagAt(text, before.length, before.length + n.length)).toBe(tagOf(n));
      }),
      { numRuns: 3000 },
    );
  });

  it('tells apart names of one length, first and last character', () => {
    const table = new NameTable(['code', 'cite', 'cove', 'xml:lang']);
    expect(['code', 'cite', 'cove', 'cide', 'xml:lang', 'xml_lang'].map((n) => table.at(`<${n}>`, 1, n.length + 1))).toEqual([0, 1, 2, -1, 3, -1]);
  });
});
