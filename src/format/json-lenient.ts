/**
 * The lenient JSON reading the reference validator falls back on (its JsonParser in "JSON5" mode): `//`
 * comments, a comma after the last member or item, a missing comma between members or items, and names or
 * values without quotes (a letter or `_`, then letters, digits, `_`, `.`, `-`) are read, each noted as a
 * finding, so the rest of the content can still be validated; a name repeated in an object is noted too (the
 * first value is kept). As the reference's reader does, and with no finding, it also reads a control character
 * written as itself in a string, the escape `\'`, and a number written loosely (`01`, `1.`, `1.2.3`: a digit or
 * `-`, then digits, `.`, `-`, `+`, `e`, `E`), whose text is kept (`numbers`) so the validator judges it as
 * written. Duplicate names in text JSON.parse accepts are not looked for: that would cost every
 * valid payload a second reading. Used only for text JSON.parse rejects: valid
 * JSON never pays for it. Anything else that is not JSON stays unreadable (undefined).
 */
import { CollectedNumberTexts, writtenOtherwise } from './json-number-texts.js';

/** One departure from JSON: its rule id (the reference's message key), where it is (a JSON path), its offset. */
export interface LenientFinding {
  rule: 'DUPLICATE_JSON_PROPERTY_KEY' | 'JSON_COMMENTS_NOT_ALLOWED' | 'JSON_COMMA_EXTRA' | 'JSON_COMMA_MISSING' | 'JSON_PROPERTY_NO_QUOTES' | 'JSON_PROPERTY_VALUE_NO_QUOTES';
  path: string;
  offset: number;
  /** The property name, the unquoted value, or `Object`/`Array` for an extra comma. */
  detail: string;
  /** For a value without quotes: the property's name (`item` in an array). */
  name?: string;
}

class Unreadable extends Error {}

const MAX_DEPTH = 1000;
const UNQUOTED = /[A-Za-z_][A-Za-z0-9_.-]*/y;
/** The reference's number token (JsonLexer): a digit or `-`, then digits, `.`, `-`, `+`, `e` or `E`. */
const NUMBER = /[0-9-][0-9.eE+-]*/y;
/** A string as the reference reads it: control characters may stand as themselves, and `\'` is an escape. */
const STRING = /"((?:[^"\\]|\\(?:["'\\/bfnrt]|u[0-9a-fA-F]{4}))*)"/y;
/** What the lenient reading gives: the value as the reference reads it, its findings, number texts and places. */
export interface LenientRead {
  value: unknown;
  findings: LenientFinding[];
  numbers: CollectedNumberTexts;
  /** Start offset of each kept property's name and of each array item, by container: where issues are placed. */
  offsets: WeakMap<object, Map<string | number, number>>;
}

/** What JSON.parse refuses in such a string: the escape `\'`, a control character (the other escapes are passed on). */
const NOT_JSON_IN_STRING = /\\([\s\S])|[\u0000-\u001f]/g;

export function readLenientJson(text: string): LenientRead | undefined {
  const findings: LenientFinding[] = [];
  const numbers = new CollectedNumberTexts();
  const offsets = new WeakMap<object, Map<string | number, number>>();
  const placesOf = (container: object): Map<string | number, number> => {
    let places = offsets.get(container);
    if (!places) offsets.set(container, (places = new Map()));
    return places;
  };
  /** The text of the last number read (valid until the next value is read). */
  let numberText = '';
  let i = 0;
  let comments: number[] = [];

  const skip = () => {
    for (;;) {
      while (i < text.length && ' \t\r\n\ufeff'.includes(text[i]!)) i++;
      if (text[i] === '/' && text[i + 1] === '/') {
        comments.push(i);
        while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      } else return;
    }
  };
  const fail = (): never => {
    throw new Unreadable();
  };
  const token = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    i = re.lastIndex;
    return m[0];
  };
  const readString = (): string => {
    const raw = token(STRING) ?? fail();
    try {
      return JSON.parse(raw) as string;
    } catch {
      return JSON.parse(raw.replace(NOT_JSON_IN_STRING, asJsonInString)) as string;
    }
  };
  /** A name or value without quotes; true, false and null are the JSON literals. */
  const readWord = (): { word: string; literal: boolean } | undefined => {
    const word = token(UNQUOTED);
    if (word === undefined) return undefined;
    return { word, literal: word === 'true' || word === 'false' || word === 'null' };
  };

  const value = (path: string, owner: string, depth: number, name = 'item'): unknown => {
    if (depth > MAX_DEPTH) fail();
    skip();
    const pending = comments;
    comments = [];
    const c = text[i];
    if (c === '{' || c === '[') {
      // As the reference reads them, comments count where an object or array follows them (they are lost before a primitive).
      for (const at of pending) findings.push({ rule: 'JSON_COMMENTS_NOT_ALLOWED', path, offset: at, detail: '' });
      return c === '{' ? object(path, depth) : array(path, owner, depth);
    }
    if (c === '"') return readString();
    const n = token(NUMBER);
    if (n !== undefined) {
      numberText = n;
      return Number(n);
    }
    const start = i;
    const w = readWord() ?? fail();
    if (w.literal) return w.word === 'true' ? true : w.word === 'false' ? false : null;
    findings.push({ rule: 'JSON_PROPERTY_VALUE_NO_QUOTES', path: owner, offset: start, detail: w.word, name });
    return w.word;
  };

  const object = (path: string, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    i++; // {
    let first = true;
    for (;;) {
      skip();
      if (text[i] === '}') {
        i++;
        return out;
      }
      if (!first) {
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === '}') {
            findings.push({ rule: 'JSON_COMMA_EXTRA', path, offset: i, detail: 'Object' });
            i++;
            return out;
          }
        } else if (text[i] === '"' || /[A-Za-z_]/.test(text[i] ?? '')) {
          findings.push({ rule: 'JSON_COMMA_MISSING', path, offset: i, detail: '' });
        } else fail();
      }
      first = false;
      const nameAt = i;
      let name: string;
      if (text[i] === '"') name = readString();
      else {
        const w = readWord() ?? fail();
        name = w.word;
        findings.push({ rule: 'JSON_PROPERTY_NO_QUOTES', path, offset: nameAt, detail: name });
      }
      skip();
      if (text[i] !== ':') fail();
      i++;
      const child = path === '' ? name : `${path}.${name}`;
      const v = value(child, path, depth + 1, name);
      // The first of two equal names is the one kept, and the second reported, as the reference does. `__proto__` is
      // defined, not assigned: assigning would set the object's prototype (JSON.parse makes it an own property).
      if (Object.prototype.hasOwnProperty.call(out, name)) findings.push({ rule: 'DUPLICATE_JSON_PROPERTY_KEY', path, offset: nameAt, detail: name });
      else {
        if (name === '__proto__') Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
        else out[name] = v;
        placesOf(out).set(name, nameAt);
        if (typeof v === 'number' && writtenOtherwise(numberText)) numbers.add(out, name, numberText);
      }
      if (path === '' && name === 'resourceType' && typeof v === 'string') path = v;
    }
  };

  const array = (path: string, owner: string, depth: number): unknown[] => {
    const out: unknown[] = [];
    i++; // [
    for (;;) {
      skip();
      if (text[i] === ']') {
        i++;
        return out;
      }
      if (out.length > 0) {
        if (text[i] === ',') {
          i++;
          skip();
          if (text[i] === ']') {
            findings.push({ rule: 'JSON_COMMA_EXTRA', path, offset: i, detail: 'Array' });
            i++;
            return out;
          }
        } else if (/["{\[\-0-9A-Za-z_]/.test(text[i] ?? '')) {
          findings.push({ rule: 'JSON_COMMA_MISSING', path: owner, offset: i, detail: '' });
        } else fail();
      }
      placesOf(out).set(out.length, i);
      const v = value(`${path}[${out.length}]`, owner, depth + 1);
      if (typeof v === 'number' && writtenOtherwise(numberText)) numbers.add(out, out.length, numberText);
      out.push(v);
    }
  };

  try {
    const root = value('', '', 0);
    skip();
    if (i < text.length) return undefined;
    // Paths were made before the resource's type was read: name the root by its resourceType.
    const rt = root && typeof root === 'object' && !Array.isArray(root) ? (root as { resourceType?: unknown }).resourceType : undefined;
    if (typeof rt === 'string') for (const f of findings) f.path = f.path === '' ? rt : f.path.startsWith(rt) ? f.path : `${rt}.${f.path}`;
    return { value: root, findings, numbers, offsets };
  } catch (e) {
    if (e instanceof Unreadable || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** One match of NOT_JSON_IN_STRING as JSON.parse reads it: `\'` as `'`, a control character as a `\u` escape. */
function asJsonInString(match: string, escaped: string | undefined): string {
  if (escaped === undefined) return `\\u${match.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return escaped === "'" ? "'" : match;
}
