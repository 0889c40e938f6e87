import type { BindingChecker } from '../plugin-types/index.js';

export const MAX_CLEAN_BINDINGS = 50_000;

/** Most values one code is remembered with (codings of one code in many systems or displays): scans stay short. */
const MAX_PER_CODE = 32;

const CODE = 0;
const CODING = 1;
const CONCEPT = 2;

/** A value found clean: its kind, display languages, CodeableConcept text, and each coding's system, code, display, version. */
interface Remembered {
  kind: number;
  languages: string | undefined;
  text: unknown;
  parts: unknown[];
  /** The status hints of the value's value set and code systems were none, and follow from the parts compared (see {@link CleanValues.add}). */
  noHints: boolean;
}

/** What {@link CleanValues.lookup} knows of a value. */
export const NOT_SEEN = 0;
export const CLEAN = 1;
/** Clean, and the status hints of its value set and code systems are none too. */
export const CLEAN_NO_HINTS = 2;

/**
 * The coded values a checker found clean for one compiled binding (its strength and value set). A checker's
 * answer for a value does not change, so a value found clean once is clean again.
 *
 * What a binding check reads besides the binding itself and where the value sits is the display languages and
 * the code, or each coding's system, code, display and version (plus the text of a CodeableConcept). Values are
 * found by their (first) code, a short string, and the other parts compared as they stand: no key is built and no
 * long string (a system URL, a display) hashed per value. Quantities and odd shapes are not remembered.
 */
export class CleanValues {
  private byCode = new Map<unknown, Remembered[]>();
  private count = 0;

  /** True when `value` was found clean before with these display languages. */
  has(languages: string[] | undefined, value: string | Record<string, unknown>): boolean {
    return this.lookup(languages, value) !== NOT_SEEN;
  }

  /** Whether `value` was found clean before with these display languages, and with no status hints. */
  lookup(languages: string[] | undefined, value: string | Record<string, unknown>): number {
    let list: Remembered[] | undefined;
    let kind: number;
    let codings: unknown[] | undefined;
    let text: unknown;
    if (typeof value === 'string') {
      kind = CODE;
      list = this.byCode.get(value);
    } else {
      if ('value' in value || 'unit' in value) return NOT_SEEN;
      if ('coding' in value || 'text' in value) {
        const c = value.coding ?? [];
        if (!Array.isArray(c)) return NOT_SEEN;
        kind = CONCEPT;
        codings = c;
        text = typeof value.text === 'string' ? value.text : '';
        const first: unknown = c[0];
        list = this.byCode.get(c.length === 0 ? text : first && typeof first === 'object' ? (first as Record<string, unknown>).code : undefined);
      } else {
        kind = CODING;
        list = this.byCode.get(value.code);
      }
    }
    if (list === undefined) return NOT_SEEN;
    const joined = languages ? languages.join(',') : undefined;
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      if (r.kind === kind && r.languages === joined && sameParts(r, value, codings, text)) return r.noHints ? CLEAN_NO_HINTS : CLEAN;
    }
    return NOT_SEEN;
  }

  /**
   * Remembers `value` as clean with these display languages (nothing for a value not worth remembering). `noHints`:
   * the status hints were none for a value set whose own status is worth none, so they depend only on the systems and
   * codes of the codings, which a later value must share to be found; kept only where that holds (a bare code, a
   * Coding, a CodeableConcept with codings: one without reads no coding to judge).
   */
  add(languages: string[] | undefined, value: string | Record<string, unknown>, noHints = false): void {
    const r = remembered(languages, value, noHints);
    if (!r) return;
    if (this.count >= MAX_CLEAN_BINDINGS) this.clear();
    const code = r.kind === CODE ? r.text : r.parts.length === 0 ? r.text : r.parts[1];
    const list = this.byCode.get(code);
    if (!list) this.byCode.set(code, [r]);
    else if (list.length < MAX_PER_CODE) list.push(r);
    else return;
    this.count++;
  }

  clear(): void {
    this.byCode = new Map();
    this.count = 0;
  }
}

/** Whether a part can be compared as it stands without holding on to the payload (an object part is not remembered). */
function plainPart(part: unknown): boolean {
  return part === null || (typeof part !== 'object' && typeof part !== 'function');
}

/** What is remembered of a clean value (a bare code is kept as its text), or undefined for one not worth remembering. */
function remembered(languages: string[] | undefined, value: string | Record<string, unknown>, noHints: boolean): Remembered | undefined {
  const joined = languages ? languages.join(',') : undefined;
  if (typeof value === 'string') return { kind: CODE, languages: joined, text: value, parts: [], noHints };
  if ('value' in value || 'unit' in value) return undefined;
  const concept = 'coding' in value || 'text' in value;
  const codings: unknown = concept ? (value.coding ?? []) : [value];
  if (!Array.isArray(codings)) return undefined;
  const parts: unknown[] = [];
  for (const c of codings as unknown[]) {
    if (!c || typeof c !== 'object') return undefined;
    const { system, code, display, version } = c as Record<string, unknown>;
    if (!plainPart(system) || !plainPart(code) || !plainPart(display) || !plainPart(version)) return undefined;
    parts.push(system, code, display, version);
  }
  const text = concept ? (typeof value.text === 'string' ? value.text : '') : undefined;
  return { kind: concept ? CONCEPT : CODING, languages: joined, text, parts, noHints: noHints && (!concept || parts.length > 0) };
}

/** `value` (of the remembered kind) has the remembered parts; `codings` and `text` as {@link CleanValues.has} read them. */
function sameParts(r: Remembered, value: string | Record<string, unknown>, codings: unknown[] | undefined, text: unknown): boolean {
  if (typeof value === 'string') return true;
  const parts = r.parts;
  if (codings === undefined) return parts[0] === value.system && parts[1] === value.code && parts[2] === value.display && parts[3] === value.version;
  if (r.text !== text || parts.length !== codings.length * 4) return false;
  for (let i = 0, j = 0; i < codings.length; i++, j += 4) {
    const c = codings[i];
    if (!c || typeof c !== 'object') return false;
    const { system, code, display, version } = c as Record<string, unknown>;
    if (parts[j] !== system || parts[j + 1] !== code || parts[j + 2] !== display || parts[j + 3] !== version) return false;
  }
  return true;
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
