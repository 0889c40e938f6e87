/**
 * The walk lists an object's properties with for-in, which also lists enumerable properties it inherits; the JSON
 * reader's objects inherit none. These say when an object may inherit some, so that only its own are read (what
 * Object.keys gives).
 */

/** True when the object's prototype is neither Object.prototype nor null (a caller's own class, say). */
export function inheritsFromOther(obj: object): boolean {
  const proto = Object.getPrototypeOf(obj);
  return proto !== Object.prototype && proto !== null;
}

/** True when something enumerable was added to Object.prototype: for-in over any plain object would list it. */
export function objectPrototypeHasEnumerableKeys(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}
