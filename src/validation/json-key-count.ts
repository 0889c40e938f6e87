/**
 * How many properties a parsed JSON value holds, all objects in it counted. Set beside the number of property
 * names in its text (JsonLocator.keyCount), it tells whether the text repeats a name in one object: JSON.parse keeps
 * one value of each name and says nothing, where the reference reports the repeat and keeps the first.
 */
import { objectPrototypeHasEnumerableKeys } from './engine/own-keys.js';

export function countJsonKeys(value: unknown): number {
  // for-in lists inherited enumerable properties too; JSON.parse's objects inherit only from Object.prototype.
  const ownOnly = objectPrototypeHasEnumerableKeys();
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (item !== null && typeof item === 'object') pending.push(item);
      }
    } else if (ownOnly) {
      for (const item of Object.values(v)) {
        count++;
        if (item !== null && typeof item === 'object') pending.push(item);
      }
    } else {
      for (const key in v) {
        count++;
        const item: unknown = (v as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') pending.push(item);
      }
    }
  }
  return count;
}
