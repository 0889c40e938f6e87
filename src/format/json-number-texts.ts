/**
 * The text of JSON numbers as written. `JSON.parse` keeps a number's value, not its text, but the reference
 * validator judges a primitive by its text: `1.0`, `1E2` or `-0.0` written for an integer is no integer
 * (Type_Specific_Checks_DT_Integer_Valid), `-0` for an unsignedInt fails its regex, a decimal with more digits than
 * a double holds is out of the supported range, and `1E400` is a valid decimal, not Infinity.
 *
 * Looked up only where a number's text can change a finding (numberTextMatters, validation/engine/primitive-element.ts),
 * by the name it is held under (LazyNumberTexts); the text is read again, to find which object holds which text, only
 * when a number under that name is written otherwise.
 */

/** Where a number's text is kept: the object or array holding it, by property name or item index. */
export interface NumberTexts {
  /** `key`: the property name or item index in `container`; `name`: the property name (of the array, for an item). */
  textOf(container: object, key: string | number, name: string): string | undefined;
  /** True when the texts are already at hand, so looking every number up costs no reading of the text. */
  readonly atHand: boolean;
}

/** Texts collected while reading (the lenient reader knows each number's container as it goes). */
export class CollectedNumberTexts implements NumberTexts {
  private readonly byContainer = new Map<object, Map<string | number, string>>();
  readonly atHand = true;

  add(container: object, key: string | number, text: string): void {
    let m = this.byContainer.get(container);
    if (!m) this.byContainer.set(container, (m = new Map()));
    m.set(key, text);
  }

  get size(): number {
    return this.byContainer.size;
  }

  textOf(container: object, key: string | number): string | undefined {
    return this.byContainer.get(container)?.get(key);
  }
}

/**
 * The texts of the numbers in JSON text that `JSON.parse` read as `root`. A number is looked for by the name it is
 * held under: the text is searched for that name, and only when a number under it is written otherwise is the text
 * read again to find which object holds which text (collectNumberTexts). Most texts are never read again.
 */
export class LazyNumberTexts implements NumberTexts {
  private read: CollectedNumberTexts | undefined;
  /** Per property name: whether a number under it is written otherwise. */
  private readonly names = new Map<string, boolean>();
  readonly atHand = false;

  constructor(
    private readonly text: string,
    private readonly root: unknown,
  ) {}

  textOf(container: object, key: string | number, name: string): string | undefined {
    if (this.read === undefined) {
      let some = this.names.get(name);
      if (some === undefined) this.names.set(name, (some = nameHoldsNumberWrittenOtherwise(this.text, name)));
      if (!some) return undefined;
      this.read = collectNumberTexts(this.text, this.root);
    }
    return this.read.textOf(container, key);
  }
}

/** True when `text` is not how JavaScript writes the number it reads as (`1.0`, `1E2`, `-0`, 20 digits). */
export function writtenOtherwise(text: string): boolean {
  return String(Number(text)) !== text;
}

const enum C {
  Quote = 0x22,
  Backslash = 0x5c,
  Minus = 0x2d,
  Zero = 0x30,
  Nine = 0x39,
}

/** End of the string whose opening quote is at `i` (the offset after its closing quote), or -1. */
function stringEnd(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  while (j > 0 && text.charCodeAt(j - 1) === C.Backslash) {
    let k = j - 1;
    while (text.charCodeAt(k) === C.Backslash) k--;
    if ((j - 1 - k) % 2 === 0) break; // the backslashes before the quote escape each other
    j = text.indexOf('"', j + 1);
  }
  return j < 0 ? -1 : j + 1;
}

function numberEnd(text: string, i: number): number {
  let j = i + 1;
  for (; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (!((d >= C.Zero && d <= C.Nine) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === C.Minus)) break;
  }
  return j;
}

/**
 * Whether the number token at text[i, end) may be written otherwise than JavaScript writes its value: digits
 * alone (no leading zero, `-0`, or more than 15 of them) are told without making a string.
 */
function tokenWrittenOtherwise(text: string, i: number, end: number): boolean {
  let j = text.charCodeAt(i) === C.Minus ? i + 1 : i;
  const first = text.charCodeAt(j);
  if (end - j > 15 || end === j || (first === C.Zero && (end - j > 1 || j > i))) return writtenOtherwise(text.slice(i, end));
  for (; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c < C.Zero || c > C.Nine) return writtenOtherwise(text.slice(i, end));
  }
  return false;
}

function isNumberStart(c: number): boolean {
  return (c >= C.Zero && c <= C.Nine) || c === C.Minus;
}

function skipSpace(text: string, i: number): number {
  for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  return i;
}

/**
 * True when a number under the property `name` (or an item of an array under it) may be written otherwise: each
 * `"name":` in the text is looked at (a native substring search, faster here than a pass over every character).
 * The name is asked for because the value read holds it: when it is nowhere in the text as such, it was written
 * with escapes (`"value\u0049nteger"`), and the answer is a cautious true, as for a `"name":` inside a string value.
 */
export function nameHoldsNumberWrittenOtherwise(text: string, name: string): boolean {
  const needle = JSON.stringify(name);
  let at = text.indexOf(needle);
  if (at < 0) return true;
  for (; at >= 0; at = text.indexOf(needle, at + needle.length)) {
    let i = skipSpace(text, at + needle.length);
    if (text.charCodeAt(i) !== 0x3a /* : */) continue;
    i = skipSpace(text, i + 1);
    let c = text.charCodeAt(i);
    if (isNumberStart(c)) {
      if (tokenWrittenOtherwise(text, i, numberEnd(text, i))) return true;
    } else if (c === 0x5b /* [ */) {
      // An array: its items up to the first that is not a number (an array of numbers is not mixed in valid content).
      for (i = skipSpace(text, i + 1), c = text.charCodeAt(i); isNumberStart(c); i = skipSpace(text, i + 1), c = text.charCodeAt(i)) {
        const end = numberEnd(text, i);
        if (tokenWrittenOtherwise(text, i, end)) return true;
        i = skipSpace(text, end);
        if (text.charCodeAt(i) !== 0x2c /* , */) break;
      }
    }
  }
  return false;
}

interface Frame {
  container: unknown;
  isArray: boolean;
  index: number;
  key: string | undefined;
}

/**
 * Reads valid JSON text again, beside the value `JSON.parse` made of it, and keeps the text of each number
 * written otherwise, under the object or array holding it. (A repeated name leads to the value JSON.parse
 * kept, the last.)
 */
export function collectNumberTexts(text: string, root: unknown): CollectedNumberTexts {
  const out = new CollectedNumberTexts();
  const frames: Frame[] = [];
  const n = text.length;
  let i = 0;
  /** The value the next token stands for, in the parsed tree, and where it is held. */
  const place = (): { holder: unknown; key: string | number | undefined } => {
    const top = frames[frames.length - 1];
    if (!top) return { holder: undefined, key: undefined };
    return { holder: top.container, key: top.isArray ? top.index : top.key };
  };
  const child = (holder: unknown, key: string | number | undefined): unknown =>
    holder !== null && typeof holder === 'object' && key !== undefined ? (holder as Record<string | number, unknown>)[key] : undefined;
  while (i < n) {
    const c = text.charCodeAt(i);
    const top = frames[frames.length - 1];
    if (c === C.Quote) {
      const end = stringEnd(text, i);
      if (end < 0) break;
      // A string in an object is a name when no name is waiting for its value.
      if (top && !top.isArray && top.key === undefined) top.key = JSON.parse(text.slice(i, end)) as string;
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const { holder, key } = place();
      frames.push({ container: frames.length === 0 ? root : child(holder, key), isArray: c === 0x5b, index: 0, key: undefined });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      if (top) {
        if (top.isArray) top.index++;
        else top.key = undefined;
      }
      i++;
    } else if (isNumberStart(c)) {
      const j = numberEnd(text, i);
      const written = text.slice(i, j);
      const { holder, key } = place();
      if (writtenOtherwise(written) && holder !== null && typeof holder === 'object' && key !== undefined) out.add(holder, key, written);
      i = j;
    } else i++;
  }
  return out;
}
