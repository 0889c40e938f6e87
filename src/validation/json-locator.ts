/**
 * Line and column of the issues found in JSON text, worked out only for the issues reported. The
 * validator parses text with `JSON.parse`; when it has issues to report, a {@link JsonLocator} walks the
 * text along each issue's FHIRPath location (`Bundle.entry[2].resource.name[0].given`), skipping over
 * every value it does not enter. Nothing is built per value: only the objects and arrays on an issue's
 * path get a small index of their keys or items (reused by later issues), and line starts are counted
 * only as far as the furthest issue.
 */
import type { JsonLocation } from './json-position.js';

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

/** Where a key of an object starts (its opening quote) and where its value starts. */
interface KeyPlace {
  key: number;
  value: number;
}

const SEGMENT = /^([^[]+)(?:\[(\d+)\])?$/;
/** The characters that open or close strings, objects and arrays. */
const STRUCTURAL = /["{}[\]]/g;
const OF_TYPE = /\.ofType\((\w+)\)/g;

export class JsonLocator {
  /** Object start offset -> its keys (the last of duplicate keys wins, as with JSON.parse). */
  private readonly objects = new Map<number, Map<string, KeyPlace>>();
  /** Array start offset -> its items' start offsets. */
  private readonly arrays = new Map<number, number[]>();
  private readonly lineStarts: number[] = [0];
  private linesScannedTo = 0;

  /** `text` must be valid JSON (it has been through JSON.parse). */
  constructor(private readonly text: string) {}

  /**
   * Start offset of the node an issue expression points to; choice `x.ofType(T)` maps to `xT`, a primitive
   * known only by its `_x` companion maps to that. When the path leaves the JSON, the deepest offset found
   * (so an issue on a missing element points at its parent's key); undefined when not even the first step is there.
   */
  offsetOf(expression: string): number | undefined {
    let node = this.skipSpace(0);
    let best: number | undefined;
    const segments = expression.replace(OF_TYPE, (_m, t: string) => t.charAt(0).toUpperCase() + t.slice(1)).split('.');
    for (let s = 1; s < segments.length; s++) {
      const m = SEGMENT.exec(segments[s]!);
      if (!m || this.text.charCodeAt(node) !== OPEN_BRACE) break;
      const keys = this.keysOf(node);
      const place = keys.get(m[1]!) ?? keys.get(`_${m[1]!}`);
      if (!place) break;
      best = place.key;
      node = place.value;
      if (m[2] !== undefined && this.text.charCodeAt(node) === OPEN_BRACKET) {
        const item = this.itemsOf(node)[Number(m[2])];
        if (item === undefined) break;
        best = item;
        node = item;
      }
    }
    return best;
  }

  /** 1-based line and column of an offset. */
  locate(offset: number): JsonLocation {
    const starts = this.lineStarts;
    while (this.linesScannedTo <= offset && this.linesScannedTo < this.text.length) {
      const nl = this.text.indexOf('\n', this.linesScannedTo);
      if (nl < 0) {
        this.linesScannedTo = this.text.length;
        break;
      }
      starts.push(nl + 1);
      this.linesScannedTo = nl + 1;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  private keysOf(start: number): Map<string, KeyPlace> {
    let keys = this.objects.get(start);
    if (keys) return keys;
    keys = new Map();
    let i = this.skipSpace(start + 1);
    while (this.text.charCodeAt(i) === QUOTE) {
      const keyEnd = this.stringEnd(i);
      const raw = this.text.slice(i + 1, keyEnd - 1);
      const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      const value = this.skipSpace(this.skipSpace(keyEnd) + 1); // past the colon
      keys.set(name, { key: i, value });
      i = this.skipSpace(this.valueEnd(value));
      if (this.text.charCodeAt(i) !== COMMA) break;
      i = this.skipSpace(i + 1);
    }
    this.objects.set(start, keys);
    return keys;
  }

  private itemsOf(start: number): number[] {
    let items = this.arrays.get(start);
    if (items) return items;
    items = [];
    let i = this.skipSpace(start + 1);
    if (this.text.charCodeAt(i) !== CLOSE_BRACKET) {
      for (;;) {
        items.push(i);
        i = this.skipSpace(this.valueEnd(i));
        if (this.text.charCodeAt(i) !== COMMA) break;
        i = this.skipSpace(i + 1);
      }
    }
    this.arrays.set(start, items);
    return items;
  }

  private skipSpace(i: number): number {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return i;
    }
  }

  /** Offset just past the string starting at `start` (its opening quote). */
  private stringEnd(start: number): number {
    const text = this.text;
    let i = start + 1;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) return text.length;
      // A quote preceded by an odd number of backslashes is escaped.
      let slashes = 0;
      for (let b = q - 1; text.charCodeAt(b) === BACKSLASH; b--) slashes++;
      if (slashes % 2 === 0) return q + 1;
      i = q + 1;
    }
  }

  /** Offset just past the value starting at `start`, without recursion (nesting depth does not matter). */
  private valueEnd(start: number): number {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (c === QUOTE) return this.stringEnd(start);
    if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
      // A number, true, false or null: runs to the next delimiter.
      let i = start;
      for (;;) {
        const d = text.charCodeAt(i);
        if (i >= text.length || d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === 32 || d === 10 || d === 13 || d === 9) return i;
        i++;
      }
    }
    // Jump from one structural character to the next with the regex engine: far faster than a loop
    // over every character while this code is still cold, which it is in a one-shot CLI run.
    const structural = STRUCTURAL;
    structural.lastIndex = start;
    let depth = 0;
    while (structural.test(text)) {
      const at = structural.lastIndex - 1;
      const d = text.charCodeAt(at);
      if (d === QUOTE) {
        structural.lastIndex = this.stringEnd(at);
        continue;
      }
      if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if (--depth === 0) return at + 1;
    }
    return text.length;
  }
}

/** Adds line and column to issues found in JSON text (each issue at the node its expression names). */
export function addJsonLocations(text: string, issues: { expression: string; line?: number; column?: number }[]): void {
  const locator = new JsonLocator(text);
  for (const issue of issues) {
    const offset = issue.expression ? locator.offsetOf(issue.expression) : undefined;
    const at = locator.locate(offset ?? 0);
    issue.line = at.line;
    issue.column = at.column;
  }
}
