/**
 * The lenient JSON reading the reference validator falls back on (its JsonParser in "JSON5" mode): `//`
 * comments, a comma after the last member or item, a missing comma between members or items, and names or
 * values without quotes (a letter or `_`, then letters, digits, `_`, `.`, `-`) are read, each noted as a
 * finding, so the rest of the content can still be validated; a name repeated in an object is noted too (the
 * first value is kept). Duplicate names in text JSON.parse accepts are not looked for: that would cost every
 * valid payload a second reading. Used only for text JSON.parse rejects: valid
 * JSON never pays for it. Anything else that is not JSON stays unreadable (undefined).
 */

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
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"((?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*)"/y;

export function readLenientJson(text: string): { value: unknown; findings: LenientFinding[] } | undefined {
  const findings: LenientFinding[] = [];
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
    return JSON.parse(raw) as string;
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
    if (n !== undefined) return Number(n);
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
      else if (name === '__proto__') Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
      else out[name] = v;
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
      out.push(value(`${path}[${out.length}]`, owner, depth + 1));
    }
  };

  try {
    const root = value('', '', 0);
    skip();
    if (i < text.length) return undefined;
    // Paths were made before the resource's type was read: name the root by its resourceType.
    const rt = root && typeof root === 'object' && !Array.isArray(root) ? (root as { resourceType?: unknown }).resourceType : undefined;
    if (typeof rt === 'string') for (const f of findings) f.path = f.path === '' ? rt : f.path.startsWith(rt) ? f.path : `${rt}.${f.path}`;
    return { value: root, findings };
  } catch (e) {
    if (e instanceof Unreadable || e instanceof SyntaxError) return undefined;
    throw e;
  }
}
