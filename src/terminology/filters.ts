import type { ValueSetComposeIncludeFilter } from 'fhir/r4';
import type { CodeSystemIndex, IndexedConcept } from './code-system-index.js';

/** Codes selected by a filter, or why the filter cannot be applied locally. */
export type FilterResult = { codes: Set<string> } | { unsupported: string };

/** Properties that address the concept itself rather than one of its `property` entries. */
const CONCEPT_PROPERTIES = new Set(['concept', 'code']);

/**
 * Applies one `compose.include.filter` to a local code system.
 *
 * Supported: `=`, `is-a`, `descendent-of`, `is-not-a`, `generalizes`, `in`, `not-in`, `regex`, `exists`,
 * on the concept itself (`concept`/`code`), its `display`, its hierarchy (`parent`/`child`) and any
 * concept property.
 */
export function applyFilter(cs: CodeSystemIndex, filter: ValueSetComposeIncludeFilter): FilterResult {
  const { property, op, value } = filter;
  if (typeof property !== 'string' || typeof op !== 'string' || typeof value !== 'string') {
    return { unsupported: 'the filter lacks a property, op or value' };
  }
  const onConcept = CONCEPT_PROPERTIES.has(property);
  switch (op) {
    case 'is-a':
    case 'descendent-of':
    case 'is-not-a':
    case 'generalizes': {
      if (!onConcept) return { unsupported: `op '${op}' on property '${property}'` };
      return { codes: hierarchyFilter(cs, op, value) };
    }
    case '=':
      return select(cs, (c) => valuesOf(c, property).some((v) => v === value));
    case 'in':
    case 'not-in': {
      const wanted = new Set(value.split(',').map((v) => v.trim()));
      const inSet = (c: IndexedConcept): boolean => valuesOf(c, property).some((v) => wanted.has(v));
      return select(cs, op === 'in' ? inSet : (c) => !inSet(c));
    }
    case 'regex': {
      let re: RegExp;
      try {
        // ValueSet regex filters must match the whole value, as in XML Schema.
        re = new RegExp(`^(?:${value})$`);
      } catch {
        return { unsupported: `the regex '${value}' is not a valid regular expression` };
      }
      return select(cs, (c) => valuesOf(c, property).some((v) => re.test(v)));
    }
    case 'exists': {
      const want = value === 'true';
      return select(cs, (c) => valuesOf(c, property).length > 0 === want);
    }
    default:
      return { unsupported: `filter op '${op}'` };
  }
}

function hierarchyFilter(cs: CodeSystemIndex, op: string, value: string): Set<string> {
  const root = cs.lookup(value);
  if (!root) return op === 'is-not-a' ? new Set(cs.concepts.keys()) : new Set();
  if (op === 'generalizes') return new Set([root.code, ...cs.ancestors(root.code)]);
  const below = cs.descendants(root.code);
  if (op === 'descendent-of') return below;
  const isA = new Set([root.code, ...below]);
  if (op === 'is-a') return isA;
  return new Set([...cs.concepts.keys()].filter((c) => !isA.has(c)));
}

function select(cs: CodeSystemIndex, keep: (c: IndexedConcept) => boolean): FilterResult {
  const codes = new Set<string>();
  for (const concept of cs.concepts.values()) if (keep(concept)) codes.add(concept.code);
  return { codes };
}

function valuesOf(c: IndexedConcept, property: string): string[] {
  if (CONCEPT_PROPERTIES.has(property)) return [c.code];
  if (property === 'display') return c.display === undefined ? [] : [c.display];
  if (property === 'parent') return [...c.parents];
  if (property === 'child') return [...c.children];
  return c.properties.get(property) ?? [];
}
