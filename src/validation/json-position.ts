/**
 * A JSON parser that remembers where each property and array item starts. The validator uses it only
 * for text that JSON.parse rejects, to place the syntax error; issues found in text that parses are
 * placed by `JsonLocator` (json-locator.ts), which builds nothing per value.
 */
import { LineIndex } from '../format/line-index.js';

export interface JsonLocation {
  line: number;
  column: number;
}

export interface PositionedParse {
  value: unknown;
  error?: { message: string } & JsonLocation;
  /** Start offset of the value held under each key/index of each container. */
  offsets: WeakMap<object, Map<string | number, number>>;
  /** Duplicate keys found, each with its location. */
  duplicates: { key: string; offset: number; container: object }[];
  locate(offset: number): JsonLocation;
}

/** Containers nested deeper than this are reported, not parsed, to keep the stack safe. */
export const MAX_JSON_DEPTH = 5000;

class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseWithPositions(text: string): PositionedParse {
  const offsets = new WeakMap<object, Map<string | number, number>>();
  const duplicates: PositionedParse['duplicates'] = [];
  const lines = new LineIndex(text);
  const locate = (offset: number): JsonLocation => lines.locate(offset);
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const fail = (msg: string): never => {
    throw new ParseError(msg, i);
  };
  const parseString = (): string => {
    const start = i;
    i++;
    let simple = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        simple = false;
        i += 2;
        continue;
      }
      if (c < 32) fail('Control character in a string');
      i++;
    }
    if (i >= n) {
      i = start;
      fail('Unterminated string');
    }
    i++;
    const raw = text.slice(start, i);
    if (simple) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      i = start;
      return fail('Invalid escape in a string');
    }
  };
  const parseValue = (depth: number): unknown => {
    ws();
    if (i >= n) fail('Unexpected end of input');
    const c = text[i];
    if (c === '{') {
      if (depth > MAX_JSON_DEPTH) fail(`Objects and arrays are nested more than ${MAX_JSON_DEPTH} levels deep`);
      i++;
      const obj: Record<string, unknown> = {};
      const pos = new Map<string | number, number>();
      offsets.set(obj, pos);
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`Expected a property name in double quotes but found '${text[i] ?? 'end of input'}'`);
        const keyStart = i;
        const key = parseString();
        ws();
        if (text[i] !== ':') fail(`Expected ':' after property name '${key.slice(0, 40)}'`);
        i++;
        ws();
        if (pos.has(key)) duplicates.push({ key, offset: keyStart, container: obj });
        pos.set(key, keyStart);
        const v = parseValue(depth + 1);
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail(i >= n ? "Unexpected end of input, expected '}'" : `Unexpected character '${text[i]}', expected ',' or '}'`);
      }
    }
    if (c === '[') {
      if (depth > MAX_JSON_DEPTH) fail(`Objects and arrays are nested more than ${MAX_JSON_DEPTH} levels deep`);
      i++;
      const arr: unknown[] = [];
      const pos = new Map<string | number, number>();
      offsets.set(arr, pos);
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        ws();
        pos.set(arr.length, i);
        arr.push(parseValue(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(i >= n ? "Unexpected end of input, expected ']'" : `Unexpected character '${text[i]}', expected ',' or ']'`);
      }
    }
    if (c === '"') return parseString();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!lit) return fail(`Unexpected character '${c}'`);
    i += lit[0].length;
    return lit[0] === 'true' ? true : lit[0] === 'false' ? false : lit[0] === 'null' ? null : Number(lit[0]);
  };
  try {
    const value = parseValue(0);
    ws();
    if (i < n) fail(`Unexpected content after the end of the JSON value: '${text[i]}'`);
    return { value, offsets, duplicates, locate };
  } catch (e) {
    const offset = e instanceof ParseError ? e.offset : i;
    const message = e instanceof ParseError ? e.message : 'The JSON is too deeply nested to parse';
    return { value: undefined, error: { message, ...locate(offset) }, offsets, duplicates, locate };
  }
}

/** An issue expression with each choice `x.ofType(T)` written as its JSON (and XML) name `xT`. */
export function choiceAsJsonName(expression: string): string {
  return expression.replace(/\.ofType\((\w+)\)/g, (_m, t: string) => t.charAt(0).toUpperCase() + t.slice(1));
}

/**
 * Finds the start offset of the node an issue expression points to, e.g.
 * `Bundle.entry[2].resource.name[0].given[1]`; choice `x.ofType(T)` maps to `xT`. Returns the
 * deepest offset found when the path leaves the JSON (so an issue on a missing element points at its parent).
 */
export function offsetOf(parsed: Pick<PositionedParse, 'value' | 'offsets'>, expression: string): number | undefined {
  let node: unknown = parsed.value;
  let best: number | undefined;
  const segs = choiceAsJsonName(expression).split('.');
  for (let s = 1; s < segs.length; s++) {
    const m = /^([^[]+)(?:\[(\d+|x)\])?$/.exec(segs[s]!);
    if (!m || !node || typeof node !== 'object') break;
    const pos = parsed.offsets.get(node);
    if (m[2] === 'x') {
      // A choice element as the JSON reader names it (`value[x]`): the value under `value` + a type name.
      const key = choiceKeyOf(node as Record<string, unknown>, m[1]!);
      if (key === undefined) break;
      best = pos?.get(key) ?? best;
      node = (node as Record<string, unknown>)[key];
      continue;
    }
    let key = m[1]!;
    let v = (node as Record<string, unknown>)[key];
    if (v === undefined && (node as Record<string, unknown>)[`_${key}`] !== undefined) {
      key = `_${key}`;
      v = (node as Record<string, unknown>)[key];
    }
    if (v === undefined) break;
    best = pos?.get(key) ?? best;
    node = v;
    if (m[2] !== undefined && Array.isArray(node)) {
      const idx = Number(m[2]);
      best = parsed.offsets.get(node)?.get(idx) ?? best;
      node = node[idx];
    }
  }
  return best;
}

/** Whether a JSON name is a value of the choice element `element` (`valueQuantity` of `value`): the name, then a type's capital. */
export function isChoiceJsonName(name: string, element: string): boolean {
  const c = name.charCodeAt(element.length);
  return c >= 65 && c <= 90 && name.startsWith(element);
}

/** The last property of `node` that is a value of the choice element `name` (`valueQuantity` for `value`). */
function choiceKeyOf(node: Record<string, unknown>, name: string): string | undefined {
  let found: string | undefined;
  for (const key of Object.keys(node)) if (isChoiceJsonName(key, name)) found = key;
  return found;
}
