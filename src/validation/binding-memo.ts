import type { BindingChecker } from '../plugin-types/index.js';

export const MAX_CLEAN_BINDINGS = 50_000;
const cleanBindingsByChecker = new WeakMap<BindingChecker, WeakMap<object, Set<string>>>();

/**
 * Values a checker found clean for one compiled binding (its strength and value set). A checker's
 * answer for a value does not change, so a value found clean once is clean again.
 */
export function cleanBindings(checker: BindingChecker, binding: object): Set<string> {
  let byBinding = cleanBindingsByChecker.get(checker);
  if (!byBinding) cleanBindingsByChecker.set(checker, (byBinding = new WeakMap()));
  let set = byBinding.get(binding);
  if (!set) byBinding.set(binding, (set = new Set()));
  return set;
}

/**
 * What a binding check reads besides the binding itself and where the value sits: the display
 * languages and the code, or each coding's system, code, display and version (plus the text of a
 * CodeableConcept). Undefined for values not worth remembering (Quantities, odd shapes).
 */
export function bindingKey(languages: string[] | undefined, value: string | Record<string, unknown>): string | undefined {
  const head = languages ? `${languages.join(',')}\u0000` : '';
  if (typeof value === 'string') return head === '' ? value : `${head}${value}`;
  if ('value' in value || 'unit' in value) return undefined;
  const concept = 'coding' in value || 'text' in value;
  const codings = concept ? (value.coding ?? []) : [value];
  if (!Array.isArray(codings)) return undefined;
  let key = concept ? `${head}\u0002c|${typeof value.text === 'string' ? value.text : ''}` : `${head}\u0002k`;
  for (const c of codings as Record<string, unknown>[]) {
    if (!c || typeof c !== 'object') return undefined;
    key += `|${String(c.system)}\u0001${String(c.code)}\u0001${String(c.display)}\u0001${String(c.version)}`;
  }
  return key;
}
