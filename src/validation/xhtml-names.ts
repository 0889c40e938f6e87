/**
 * The element names of narrative XHTML, numbered. The walk over a narrative's tree looks each element's name
 * up once, for its number (its tag), and the checks keep what they know of each name in tables indexed by
 * tag: one lookup by name per element for all the checks, not one in each of them.
 */

/** The HTML 4 elements FHIR allows in a narrative (XhtmlValidator's list, which htmlChecks() repeats). */
export const NARRATIVE_ELEMENTS = [
  'p', 'br', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'span', 'b', 'em', 'i', 'strong', 'small', 'big', 'tt', 'dfn', 'q', 'var',
  'abbr', 'acronym', 'cite', 'blockquote', 'hr', 'address', 'bdo', 'kbd', 'sub', 'sup', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'pre',
  'table', 'caption', 'colgroup', 'col', 'thead', 'tr', 'tfoot', 'tbody', 'th', 'td', 'code', 'samp', 'img', 'map', 'area',
] as const;

/** The tag of every other name. */
export const OTHER_ELEMENT = NARRATIVE_ELEMENTS.length;

const TAGS = new Map<string, number>(NARRATIVE_ELEMENTS.map((name, tag) => [name, tag]));

/** The tag of an element name. */
export function tagOf(name: string): number {
  return TAGS.get(name) ?? OTHER_ELEMENT;
}

/**
 * A table by tag: `of(name)` for each narrative element, `other` for every other name. A check's own list of
 * names must be narrative elements (a name outside them could never be told by tag): {@link taggedNames}.
 */
export function tableByTag<T>(of: (name: string) => T, other: T): T[] {
  const table: T[] = NARRATIVE_ELEMENTS.map(of);
  table.push(other);
  return table;
}

/** A check's list of element names; refused at load when one is not a narrative element (see {@link tableByTag}). */
export function taggedNames(names: Iterable<string>): ReadonlySet<string> {
  const set = new Set(names);
  for (const name of set) if (!TAGS.has(name)) throw new Error(`'${name}' is not a narrative element`);
  return set;
}

/**
 * A list of names found by where they are written in a text, without slicing them out: by length and first
 * character, then compared character by character (the narrative scan reads every element and attribute name).
 */
export class NameTable {
  private readonly buckets: number[][];
  private readonly longest: number;

  constructor(private readonly names: readonly string[]) {
    this.longest = Math.max(...names.map((n) => n.length));
    this.buckets = Array.from({ length: (this.longest + 1) * 128 }, () => [] as number[]);
    names.forEach((name, index) => {
      if (name.charCodeAt(0) >= 128) throw new Error(`'${name}' does not start with an ASCII character`);
      this.buckets[name.length * 128 + name.charCodeAt(0)]!.push(index);
    });
  }

  /** The index of the name written at `source[start, end)`, or -1. */
  at(source: string, start: number, end: number): number {
    const length = end - start;
    const first = source.charCodeAt(start);
    if (length > this.longest || first >= 128) return -1;
    for (const index of this.buckets[length * 128 + first]!) {
      const name = this.names[index]!;
      let k = 1;
      while (k < length && source.charCodeAt(start + k) === name.charCodeAt(k)) k++;
      if (k === length) return index;
    }
    return -1;
  }
}

const ELEMENT_TABLE = new NameTable(NARRATIVE_ELEMENTS);

/** The tag of the element name written at `source[start, end)`. */
export function tagAt(source: string, start: number, end: number): number {
  const tag = ELEMENT_TABLE.at(source, start, end);
  return tag < 0 ? OTHER_ELEMENT : tag;
}
