/**
 * Line and column of the issues found in JSON text, worked out only for the issues reported. The
 * validator parses text with `JSON.parse`; when it has issues to report, the FHIRPath locations of all of
 * them (`Bundle.entry[2].resource.name[0].given`) are merged into one tree of wanted steps, and one forward
 * pass over the text enters only the objects and arrays on those steps, skipping over every other value
 * without building anything for it. So the text is read once per document, however many issues it has
 * and however deep they sit, and not at all when there is nothing to locate. Line starts are counted only
 * as far as the furthest issue.
 */
import { LineIndex } from '../format/line-index.js';
import { choiceAsJsonName, type JsonLocation } from './json-position.js';

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

/** One step of a location: a property name and, when written `name[i]`, an item index. */
interface Step {
  name: string;
  index: number | undefined;
}

/**
 * What the pass must look at inside a value: the keys wanted if it is an object (with what is wanted under each),
 * the items wanted if it is an array. An item is wanted as the value holding the array is: a location goes on from
 * `name[i]` inside item i, or inside the value itself when it is an object and not an array. Wanting more than a
 * location needs costs a little reading and never changes where it is found.
 */
interface Want {
  keys?: Map<string, Want>;
  items?: Set<number>;
}

/** An object or array the pass is inside of, with what it records there. */
interface Frame {
  want: Want;
  /** Wanted keys seen in an object (the last of duplicate keys wins, as with JSON.parse). */
  keys: Map<string, KeyPlace> | undefined;
  /** Start offset of every item of an array. */
  items: number[] | undefined;
}

/** The characters that open or close strings, objects and arrays. */
const STRUCTURAL = /["{}[\]]/g;

/**
 * The steps of an issue expression after the resource type, up to the first that is not a plain `name` or
 * `name[i]` (a name being anything without `[`). Read by hand: this runs for every issue reported.
 */
function stepsOf(expression: string): Step[] {
  const steps: Step[] = [];
  const path = expression.includes('.ofType(') ? choiceAsJsonName(expression) : expression;
  let start = path.indexOf('.') + 1;
  if (start === 0) return steps;
  for (;;) {
    let end = path.indexOf('.', start);
    if (end < 0) end = path.length;
    const open = path.indexOf('[', start);
    if (open < 0 || open >= end) {
      if (end === start) break;
      steps.push({ name: path.slice(start, end), index: undefined });
    } else {
      // `name[digits]` and nothing after the closing bracket.
      if (open === start || end - open < 3 || path.charCodeAt(end - 1) !== 93) break;
      let index = 0;
      for (let d = open + 1; d < end - 1; d++) {
        const digit = path.charCodeAt(d) - 48;
        if (digit < 0 || digit > 9) return steps;
        index = index * 10 + digit;
      }
      steps.push({ name: path.slice(start, open), index });
    }
    if (end === path.length) return steps;
    start = end + 1;
  }
  return steps;
}

/**
 * Adds one location to the tree, one node per step. A primitive known only by its `_x` companion is found there,
 * so `x` and `_x` are both wanted, as one node. Two nodes already made for them (a location that names `_x`
 * itself, another `x`) are kept apart, and what one wants is also wanted by the other.
 */
function addSteps(root: Want, steps: Step[]): void {
  const apart: [Want, Want][] = [];
  let want = root;
  for (const { name, index } of steps) {
    const keys = (want.keys ??= new Map());
    const plain = keys.get(name);
    const companion = keys.get(`_${name}`);
    const under = plain ?? companion ?? {};
    if (!plain) keys.set(name, under);
    if (!companion) keys.set(`_${name}`, under);
    else if (companion !== under) apart.push([companion, under]);
    if (index !== undefined) (under.items ??= new Set()).add(index);
    want = under;
  }
  for (const [into, from] of apart) wantAlso(into, from);
}

/**
 * Makes `into` want all `from` wants (both stand for the same place, as `x` and `_x` do). With a list of pairs to
 * merge rather than recursion, as locations can be as deep as the JSON; each pair is merged once.
 */
function wantAlso(into: Want, from: Want): void {
  const done = new Map<Want, Set<Want>>();
  const pending: [Want, Want][] = [[into, from]];
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const [to, by] = pair;
    if (to === by) continue;
    let doneTo = done.get(to);
    if (!doneTo) done.set(to, (doneTo = new Set()));
    if (doneTo.has(by)) continue;
    doneTo.add(by);
    if (by.items) for (const i of by.items) (to.items ??= new Set()).add(i);
    if (!by.keys) continue;
    const keys = (to.keys ??= new Map());
    for (const [key, want] of by.keys) {
      const mine = keys.get(key);
      if (!mine) keys.set(key, want);
      else pending.push([mine, want]);
    }
  }
}

/**
 * Offsets in one JSON text (valid: it has been through JSON.parse) of the nodes a set of issue expressions
 * point to. Choice `x.ofType(T)` maps to `xT`; a primitive known only by its `_x` companion maps to that.
 */
export class JsonLocator {
  /** Object start offset -> its wanted keys. */
  private readonly objects = new Map<number, Map<string, KeyPlace>>();
  /** Array start offset -> its items' start offsets. */
  private readonly arrays = new Map<number, number[]>();
  private readonly lines: LineIndex;
  private readonly root: number;
  private readonly stepsByExpression = new Map<string, Step[]>();

  /** Reads `text` once, recording what `expressions` need. */
  constructor(
    private readonly text: string,
    expressions: Iterable<string>,
  ) {
    this.lines = new LineIndex(text);
    this.root = this.skipSpace(0);
    const want: Want = {};
    for (const expression of expressions) {
      if (!expression || this.stepsByExpression.has(expression)) continue;
      const steps = stepsOf(expression);
      this.stepsByExpression.set(expression, steps);
      addSteps(want, steps);
    }
    if (want.keys) this.scan(want);
  }

  /**
   * Start offset of the node an expression (one of those given to the constructor) points to. When the path
   * leaves the JSON, the deepest offset found (so an issue on a missing element points at its parent's key);
   * undefined when not even the first step is there.
   */
  offsetOf(expression: string): number | undefined {
    const steps = this.stepsByExpression.get(expression);
    if (!steps) return undefined;
    let node = this.root;
    let best: number | undefined;
    for (const { name, index } of steps) {
      const keys = this.objects.get(node);
      if (!keys) break; // not an object
      const place = keys.get(name) ?? keys.get(`_${name}`);
      if (!place) break;
      best = place.key;
      node = place.value;
      if (index !== undefined) {
        const items = this.arrays.get(node);
        if (items) {
          const item = items[index];
          if (item === undefined) break;
          best = item;
          node = item;
        }
      }
    }
    return best;
  }

  /** 1-based line and column of an offset. */
  locate(offset: number): JsonLocation {
    return this.lines.locate(offset);
  }

  /**
   * The one forward pass: enters the objects and arrays the tree wants (with an explicit stack, so nesting depth
   * does not matter), records their wanted keys and their items, and jumps over every other value.
   */
  private scan(rootWant: Want): void {
    const text = this.text;
    const stack: Frame[] = [];
    let i = this.root;
    let want: Want | undefined = rootWant;
    for (;;) {
      // `i` is the start of a value, wanted as `want` says.
      const c = text.charCodeAt(i);
      if (want?.keys && c === OPEN_BRACE) {
        const keys = new Map<string, KeyPlace>();
        this.objects.set(i, keys);
        stack.push({ want, keys, items: undefined });
        i = this.skipSpace(i + 1);
      } else if (want?.items && c === OPEN_BRACKET) {
        const items: number[] = [];
        this.arrays.set(i, items);
        stack.push({ want, keys: undefined, items });
        i = this.skipSpace(i + 1);
      } else {
        i = this.skipSpace(this.valueEnd(i));
      }
      // `i` is just inside an opened object or array, or just after a value: close what ends, find the next value.
      want = undefined;
      for (;;) {
        const top = stack[stack.length - 1];
        if (!top) return;
        const d = text.charCodeAt(i);
        if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
          stack.pop();
          i = this.skipSpace(i + 1);
          continue;
        }
        if (d === COMMA) i = this.skipSpace(i + 1);
        if (top.keys) {
          const keyEnd = this.stringEnd(i);
          const raw = text.slice(i + 1, keyEnd - 1);
          const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
          const value = this.skipSpace(this.skipSpace(keyEnd) + 1); // past the colon
          want = top.want.keys!.get(name);
          if (want) top.keys.set(name, { key: i, value });
          i = value;
        } else {
          want = top.want.items!.has(top.items!.length) ? top.want : undefined;
          top.items!.push(i);
        }
        break;
      }
    }
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
  const locator = new JsonLocator(
    text,
    issues.map((i) => i.expression),
  );
  for (const issue of issues) {
    const { line, column } = locator.locate((issue.expression ? locator.offsetOf(issue.expression) : undefined) ?? 0);
    issue.line = line;
    issue.column = column;
  }
}
