import { describe, expect, it } from 'vitest';
import { NARRATIVE_ELEMENTS, OTHER_ELEMENT, tableByTag, tagOf, taggedNames } from './xhtml-names.js';

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
