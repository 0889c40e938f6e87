import type { BindingChecker } from '../plugin-types/index.js';

export const MAX_CLEAN_BINDINGS = 50_000;

/** A level of the remembered values: one part of a value to the next level (END marks a whole value). */
type Level = Map<unknown, Level>;

const END = Symbol('end');
const CONCEPT = Symbol('CodeableConcept');
const CODING = Symbol('Coding');

/**
 * The coded values a checker found clean for one compiled binding (its strength and value set). A checker's
 * answer for a value does not change, so a value found clean once is clean again.
 *
 * What a binding check reads besides the binding itself and where the value sits is the display languages and
 * the code, or each coding's system, code, display and version (plus the text of a CodeableConcept). Those parts
 * are held as nested maps, one level per part, rather than joined into one string key: a lookup then hashes
 * strings the payload already holds (each hashes once) instead of building and hashing a new key per value.
 * Quantities and odd shapes are not remembered.
 */
export class CleanValues {
  private plain: Level = new Map();
  private byLanguages: Level = new Map();
  private count = 0;

  /** True when `value` was found clean before with these display languages. */
  has(languages: string[] | undefined, value: string | Record<string, unknown>): boolean {
    const at = this.levelOf(languages, value, false);
    return at !== undefined && at.has(END);
  }

  /** Remembers `value` as clean with these display languages (nothing for a value not worth remembering). */
  add(languages: string[] | undefined, value: string | Record<string, unknown>): void {
    if (this.count >= MAX_CLEAN_BINDINGS) this.clear();
    const at = this.levelOf(languages, value, true);
    if (at === undefined || at.has(END)) return;
    at.set(END, at);
    this.count++;
  }

  clear(): void {
    this.plain = new Map();
    this.byLanguages = new Map();
    this.count = 0;
  }

  /** The level that ends `value`'s parts; undefined when absent (create false) or not worth remembering. */
  private levelOf(languages: string[] | undefined, value: string | Record<string, unknown>, create: boolean): Level | undefined {
    let at: Level | undefined = languages ? next(this.byLanguages, languages.length === 1 ? languages[0] : languages.join(','), create) : this.plain;
    if (at === undefined) return undefined;
    if (typeof value === 'string') return next(at, value, create);
    if ('value' in value || 'unit' in value) return undefined;
    if (!('coding' in value || 'text' in value)) {
      at = next(at, CODING, create);
      return at && codingLevel(at, value, create);
    }
    const codings = value.coding ?? [];
    if (!Array.isArray(codings)) return undefined;
    at = next(at, CONCEPT, create);
    if (at !== undefined) at = next(at, typeof value.text === 'string' ? value.text : '', create);
    for (let i = 0; i < codings.length && at !== undefined; i++) {
      const c: unknown = codings[i];
      if (!c || typeof c !== 'object') return undefined;
      at = codingLevel(at, c as Record<string, unknown>, create);
    }
    return at;
  }
}

function next(at: Level, part: unknown, create: boolean): Level | undefined {
  let level = at.get(part);
  if (level === undefined && create) at.set(part, (level = new Map()));
  return level;
}

/** Whether a part can be a map key without holding on to the payload (an object part is not remembered). */
function plainPart(part: unknown): boolean {
  return part === null || (typeof part !== 'object' && typeof part !== 'function');
}

function codingLevel(at: Level, c: Record<string, unknown>, create: boolean): Level | undefined {
  const { system, code, display, version } = c;
  if (!plainPart(system) || !plainPart(code) || !plainPart(display) || !plainPart(version)) return undefined;
  let level = next(at, system, create);
  if (level !== undefined) level = next(level, code, create);
  if (level !== undefined) level = next(level, display, create);
  if (level !== undefined) level = next(level, version, create);
  return level;
}

const cleanBindingsByChecker = new WeakMap<BindingChecker, WeakMap<object, CleanValues>>();

/** The values `checker` found clean for one compiled binding. */
export function cleanBindings(checker: BindingChecker, binding: object): CleanValues {
  let byBinding = cleanBindingsByChecker.get(checker);
  if (!byBinding) cleanBindingsByChecker.set(checker, (byBinding = new WeakMap()));
  let set = byBinding.get(binding);
  if (!set) byBinding.set(binding, (set = new CleanValues()));
  return set;
}
