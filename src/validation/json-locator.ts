/**
 * Line and column of the issues found in JSON text. The validator parses text with `JSON.parse`; after validation,
 * the FHIRPath locations of all issues (`Bundle.entry[2].resource.name[0].given`) are merged into one tree of wanted
 * steps, and one forward pass over the text records only the keys and items on those steps, with their lines,
 * building nothing for any other value. The same pass counts every property name, so the validator can tell a
 * name repeated in one object (which JSON.parse drops without a word) for the price of one count of the parsed value.
 */
import { LineIndex } from '../format/line-index.js';
import { choiceAsJsonName, isChoiceJsonName, type JsonLocation } from './json-position.js';

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

/** What the next value met is (see JsonLocator.scan). */
const NEXT_NONE = 0;
const NEXT_ROOT = 1;
const NEXT_KEY = 2;
const NEXT_ITEM = 3;

/** Where a key of an object starts (its opening quote) and where its value starts. */
interface KeyPlace {
  key: number;
  value: number;
}

/** One step of a location: a property name and, when written `name[i]`, an item index. */
interface Step {
  name: string;
  index: number | undefined;
  /** `name[x]`: a choice element as the JSON reader names it, found under any `name` + type key (`valueQuantity`). */
  choice?: boolean;
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
  /** Choice elements wanted, by name (`value` for `value[x]`). */
  choices?: Map<string, Want>;
}

/** An object or array the pass is inside of, with what it records there. */
interface Frame {
  want: Want;
  /** Wanted keys seen in an object (the last of duplicate keys wins, as with JSON.parse). */
  keys: Map<string, KeyPlace> | undefined;
  /** Start offset of every item of an array. */
  items: number[] | undefined;
}


/**
 * The steps of an issue expression after the resource type, up to the first that is not a plain `name`, `name[i]`
 * or `name[x]` (a name being anything without `[`). Read by hand: this runs for every issue reported.
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
      // `name[digits]` or `name[x]`, and nothing after the closing bracket.
      if (open === start || end - open < 3 || path.charCodeAt(end - 1) !== 93) break;
      if (end - open === 3 && path.charCodeAt(open + 1) === 120 /* x */) {
        steps.push({ name: path.slice(start, open), index: undefined, choice: true });
        if (end === path.length) return steps;
        start = end + 1;
        continue;
      }
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
  let apart: [Want, Want][] | undefined;
  let want = root;
  for (const { name, index, choice } of steps) {
    if (choice) {
      const choices = (want.choices ??= new Map());
      let under = choices.get(name);
      if (!under) choices.set(name, (under = {}));
      want = under;
      continue;
    }
    const keys = (want.keys ??= new Map());
    const plain = keys.get(name);
    const companionName = companionOf(name);
    const companion = keys.get(companionName);
    const under = plain ?? companion ?? {};
    if (!plain) keys.set(name, under);
    if (!companion) keys.set(companionName, under);
    else if (companion !== under) (apart ??= []).push([companion, under]);
    if (index !== undefined) (under.items ??= new Set()).add(index);
    want = under;
  }
  if (apart) for (const [into, from] of apart) wantAlso(into, from);
}

/** `_name` for element names met before: one string kept per name, its hash worked out once, not one made per issue. */
const companions = new Map<string, string>();

function companionOf(name: string): string {
  let companion = companions.get(name);
  if (companion === undefined) {
    companion = `_${name}`;
    // Names come from the definitions, so few; a payload's odd names do not grow the table without end.
    if (companions.size < 4096) companions.set(name, companion);
  }
  return companion;
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

/** The wanted choice element a JSON name is a value of (`valueQuantity` of `value`), and the name it is kept under. */
function choiceKey(choices: Map<string, Want>, name: string): [Want | undefined, string] {
  for (const [element, want] of choices) if (isChoiceJsonName(name, element)) return [want, `${element}[x]`];
  return [undefined, name];
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
  private readonly root: number;
  private readonly stepsByExpression = new Map<string, Step[]>();
  /** The offsets recorded (in text order), with the line each is on and where that line starts. */
  private readonly recorded: number[] = [];
  private readonly recordedLines: number[] = [];
  private readonly recordedLineStarts: number[] = [];
  /** For an offset not recorded (not asked for by offsetOf's callers): made on first use. */
  private lines: LineIndex | undefined;
  /** Property names in the whole text, duplicates included (JSON.parse keeps one of each). */
  keyCount = 0;

  /** Reads `text` once, recording what `expressions` need (of duplicate keys, the last, as JSON.parse keeps it). */
  constructor(
    private readonly text: string,
    expressions: Iterable<string>,
  ) {
    this.root = this.skipSpace(0);
    const want: Want = {};
    for (const expression of expressions) {
      if (!expression || this.stepsByExpression.has(expression)) continue;
      const steps = stepsOf(expression);
      this.stepsByExpression.set(expression, steps);
      addSteps(want, steps);
    }
    this.scan(want.keys || want.choices ? want : undefined);
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
    for (const { name, index, choice } of steps) {
      const keys = this.objects.get(node);
      if (!keys) break; // not an object
      const place = choice ? keys.get(`${name}[x]`) : keys.get(name) ?? keys.get(companionOf(name));
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
    const recorded = this.recorded;
    let lo = 0;
    let hi = recorded.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = recorded[mid]!;
      if (at === offset) return { line: this.recordedLines[mid]!, column: offset - this.recordedLineStarts[mid]! + 1 };
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return (this.lines ??= new LineIndex(this.text)).locate(offset);
  }

  private record(offset: number, line: number, lineStart: number): void {
    this.recorded.push(offset);
    this.recordedLines.push(line);
    this.recordedLineStarts.push(lineStart);
  }

  /**
   * The one forward pass over the whole text: strings are jumped with `indexOf`, the few characters between them
   * read one by one (lines are counted there: a JSON string holds no raw line break, and property names are
   * counted by their colons). Only the objects and arrays the tree wants are followed key by key and item by item,
   * recording the wanted keys and the items with their lines; any other object or array is jumped over as a
   * whole. Explicit stacks, so nesting depth does not matter.
   */
  private scan(rootWant: Want | undefined): void {
    const text = this.text;
    const n = text.length;
    // The wanted objects and arrays the pass is inside of, innermost last.
    const frames: Frame[] = [];
    let top: Frame | undefined;
    let line = 1;
    let lineStart = 0;
    let keyCount = 0;
    let expectKey = false;
    // What the next value is, once its first character is met: NEXT_KEY the value of `place`, NEXT_ITEM an item.
    let next = NEXT_ROOT;
    let nextWant: Want | undefined = rootWant;
    let place: KeyPlace | undefined;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (c <= 32) {
        // Whitespace, mostly a line break and its indentation (the text is valid JSON: nothing else is this low).
        if (c === 10) {
          line++;
          lineStart = i + 1;
        }
        c = text.charCodeAt(++i);
        while (c === 32) c = text.charCodeAt(++i);
        continue;
      }
      if (c === QUOTE && expectKey) {
        const end = this.stringEnd(i);
        expectKey = false;
        nextWant = undefined;
        place = undefined;
        const raw = text.slice(i + 1, end - 1);
        const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        let want = top!.want.keys?.get(name);
        let recordAs = name;
        if (!want && top!.want.choices) [want, recordAs] = choiceKey(top!.want.choices, name);
        if (want) {
          place = { key: i, value: -1 };
          top!.keys!.set(recordAs, place);
          this.record(i, line, lineStart);
          nextWant = want;
        }
        i = end;
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        frames.pop();
        top = frames[frames.length - 1];
        next = NEXT_NONE;
        expectKey = false;
        i++;
        continue;
      }
      if (c === COMMA) {
        if (top!.items) next = NEXT_ITEM;
        else expectKey = true;
        i++;
        continue;
      }
      if (c === COLON) {
        keyCount++;
        next = NEXT_KEY;
        i++;
        continue;
      }
      // The first character of a value.
      let want: Want | undefined;
      if (next === NEXT_KEY) {
        if (place) place.value = i;
        want = nextWant;
      } else if (next === NEXT_ITEM) {
        want = top!.want.items!.has(top!.items!.length) ? top!.want : undefined;
        top!.items!.push(i);
        this.record(i, line, lineStart);
      } else if (next === NEXT_ROOT) {
        want = nextWant;
      }
      next = NEXT_NONE;
      if (c === OPEN_BRACE && (want?.keys || want?.choices)) {
        const keys = new Map<string, KeyPlace>();
        this.objects.set(i, keys);
        frames.push((top = { want, keys, items: undefined }));
        expectKey = true;
        i++;
      } else if (c === OPEN_BRACKET && want?.items) {
        const items: number[] = [];
        this.arrays.set(i, items);
        frames.push((top = { want, keys: undefined, items }));
        next = NEXT_ITEM;
        i++;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        // Not wanted: jumped as a whole, its lines and names counted.
        let depth = 1;
        c = text.charCodeAt(++i);
        while (i < n) {
          if (c <= 32) {
            if (c === 10) {
              line++;
              lineStart = i + 1;
            }
            c = text.charCodeAt(++i);
            while (c === 32) c = text.charCodeAt(++i);
            continue;
          }
          if (c === QUOTE) i = this.stringEnd(i);
          else {
            if (c === COLON) keyCount++;
            else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
            else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) break;
            i++;
          }
          c = text.charCodeAt(i);
        }
        i++;
      } else if (c === QUOTE) {
        i = this.stringEnd(i);
      } else {
        // A number, true, false or null: its characters need no look.
        i++;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || d === 32 || d === 10 || d === 13 || d === 9) break;
          i++;
        }
      }
    }
    this.keyCount = keyCount;
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
}

/** Line and column of each issue, at the node its expression names (line 1, column 1 for the whole payload). */
export function placeIssues(issues: { expression: string; line?: number; column?: number }[], locator: JsonLocator): void {
  for (const issue of issues) {
    const { line, column } = locator.locate((issue.expression ? locator.offsetOf(issue.expression) : undefined) ?? 0);
    issue.line = line;
    issue.column = column;
  }
}
