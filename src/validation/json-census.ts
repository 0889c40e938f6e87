/**
 * One look at every value of a parsed JSON value, counting what its text must hold and noting the strings a later
 * step asks about. Set beside the number of strings in the text (countJsonStrings), the counts tell whether the text
 * repeats a name in one object: JSON.parse keeps one value of each name and says nothing, where the reference
 * reports the repeat and keeps the first. Every string of JSON text is a property name or a string value; a
 * repeated name drops its earlier value and at least that name, so the text holds more strings than the parsed
 * value has names and string values exactly when a name was repeated.
 */
import { inheritsFromOther, objectPrototypeHasEnumerableKeys } from './engine/own-keys.js';

export interface JsonCensus {
  /** Property names, all objects counted. */
  keys: number;
  /** String values, in objects and arrays. */
  strings: number;
  /**
   * `noted` answered true for some string value, or an object inherits from a prototype other than
   * Object.prototype (what it inherits is not looked at, so it counts as noted).
   */
  noted: boolean;
}

const BACKSLASH = 92;

/** Counts names and string values of `value`, asking `note` about each string value until it answers true. */
export function takeCensus(value: unknown, note: (s: string) => boolean): JsonCensus {
  // for-in lists inherited enumerable properties too; JSON.parse's objects inherit only from Object.prototype.
  const ownOnly = objectPrototypeHasEnumerableKeys();
  let keys = 0;
  let strings = 0;
  let noted = false;
  if (typeof value === 'string') return { keys, strings: 1, noted: note(value) };
  const pending: unknown[] = [value];
  const see = (item: unknown): void => {
    if (typeof item === 'string') {
      strings++;
      if (!noted && note(item)) noted = true;
    } else if (item !== null && typeof item === 'object') pending.push(item);
  };
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) see(v[i]);
      continue;
    }
    if (!noted && inheritsFromOther(v)) noted = true;
    if (ownOnly) {
      const values = Object.values(v);
      keys += values.length;
      for (let i = 0; i < values.length; i++) see(values[i]);
      continue;
    }
    for (const key in v) {
      keys++;
      see((v as Record<string, unknown>)[key]);
    }
  }
  return { keys, strings, noted };
}

/**
 * The number of strings (property names and string values) in valid JSON text: its quotes, less those escaped
 * inside a string (after an odd number of backslashes), halved. Found with the native substring search, quote to
 * quote, rather than a look at every character.
 */
export function countJsonStrings(text: string): number {
  let quotes = 0;
  for (let q = text.indexOf('"'); q >= 0; q = text.indexOf('"', q + 1)) {
    if (text.charCodeAt(q - 1) === BACKSLASH) {
      let b = q - 1;
      while (text.charCodeAt(b) === BACKSLASH) b--;
      if ((q - 1 - b) % 2 === 1) continue;
    }
    quotes++;
  }
  return quotes >> 1;
}
