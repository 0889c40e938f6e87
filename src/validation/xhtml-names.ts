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
 * A list of names found by where they are written in a text, without slicing them out: by length, first and last
 * character (one table entry, rarely more than one name), then the characters between compared (the narrative scan
 * reads every element and attribute name).
 */
export class NameTable {
  private readonly longest: number;
  /** By key ({@link key}): the index of the first name with it, plus one (0: none). */
  private readonly heads: Int16Array;
  /** By index: the index of the next name with the same key, plus one. */
  private readonly chain: Int16Array;

  constructor(private readonly names: readonly string[]) {
    this.longest = Math.max(...names.map((n) => n.length));
    this.heads = new Int16Array((this.longest + 1) * SPAN * SPAN);
    this.chain = new Int16Array(names.length);
    names.forEach((name, index) => {
      const k = key(name.length, name.charCodeAt(0), name.charCodeAt(name.length - 1));
      if (k < 0) throw new Error(`'${name}' has a character a name cannot start or end with`);
      this.chain[index] = this.heads[k]!;
      this.heads[k] = index + 1;
    });
  }

  /** The index of the name written at `source[start, end)`, or -1. */
  at(source: string, start: number, end: number): number {
    const length = end - start;
    if (length > this.longest || length === 0) return -1;
    const k = key(length, source.charCodeAt(start), source.charCodeAt(end - 1));
    if (k < 0) return -1;
    for (let entry = this.heads[k]!; entry !== 0; entry = this.chain[entry - 1]!) {
      const name = this.names[entry - 1]!;
      let i = 1;
      while (i < length - 1 && source.charCodeAt(start + i) === name.charCodeAt(i)) i++;
      if (i >= length - 1) return entry - 1;
    }
    return -1;
  }
}

/** Name characters run from '-' to 'z' (ASCII; xhtml-tree.ts reads no other into a name). */
const LOW = 0x2d;
const SPAN = 0x7a - LOW + 1;

/** The table key of a name of this length, first and last character; -1 when a character is outside LOW..z. */
function key(length: number, first: number, last: number): number {
  const a = first - LOW;
  const b = last - LOW;
  return a >= 0 && a < SPAN && b >= 0 && b < SPAN ? (length * SPAN + a) * SPAN + b : -1;
}

const ELEMENT_TABLE = new NameTable(NARRATIVE_ELEMENTS);

/** The tag of the element name written at `source[start, end)`. */
export function tagAt(source: string, start: number, end: number): number {
  const tag = ELEMENT_TABLE.at(source, start, end);
  return tag < 0 ? OTHER_ELEMENT : tag;
}
