/**
 * Compiled value sets as JSON for the on-disk cache of derived data (packages/derived-cache.ts), and back: a
 * later process reads a value set's compiled membership test instead of reading the code systems it draws on
 * and compiling it again. The form is a tree of tagged arrays, one per code set:
 *   ['e', system, caseSensitive, partialReason | null, [[code, ...displays], ...]]   an enumerated list
 *   ['o', system, reason, syntax | null]   an open system; syntax: ['s', wholeSystem] (SYNTACTIC_SYSTEMS) or ['p', patterns]
 *   ['x', reason]   unknown;   ['u', parts]   union;   ['i', parts]   intersection
 *   ['d', include, exclude]   difference;   ['w', definition, shipped]   a definition backed by its shipped expansion
 * Anything that cannot be written (a check of unknown origin) is not cached; anything that cannot be read back
 * exactly (a damaged or foreign entry) is a miss, and the value set is compiled again.
 */
import {
  type CodeSet,
  DifferenceSet,
  EnumeratedSet,
  IntersectionSet,
  OpenSystemSet,
  type SystemSyntax,
  UnionSet,
  UnknownSet,
  WithShippedExpansion,
} from './code-sets.js';
import type { CompiledValueSet } from './local-terminology.js';
import { shapeFromPatterns, syntacticSyntax } from './system-syntax.js';

/** The modules whose code decides what a compiled value set holds: the stamp of its cached form (codeStamp). */
export const VALUE_SET_FORM_MODULE = import.meta.url;

/** A compiled value set as JSON, or undefined when some part of it cannot be written. */
export function toValueSetForm(vs: CompiledValueSet): unknown {
  const codes = setForm(vs.codes);
  if (codes === undefined) return undefined;
  return {
    url: vs.url,
    title: vs.title,
    problems: vs.problems,
    ...(vs.missingSupplements ? { missingSupplements: vs.missingSupplements } : {}),
    ...(vs.filterErrors ? { filterErrors: vs.filterErrors } : {}),
    ...(vs.activeOnly ? { activeOnly: true } : {}),
    codes,
  };
}

/** The compiled value set back from {@link toValueSetForm}'s data; undefined when the data is not such a form. */
export function fromValueSetForm(data: unknown): CompiledValueSet | undefined {
  try {
    const d = data as Record<string, unknown> | null;
    if (!d || typeof d !== 'object' || typeof d.url !== 'string' || typeof d.title !== 'string' || !strings(d.problems)) return undefined;
    const codes = readSet(d.codes);
    if (!codes) return undefined;
    const vs: CompiledValueSet = { url: d.url, title: d.title, codes, problems: d.problems };
    if (d.missingSupplements !== undefined) {
      if (!strings(d.missingSupplements)) return undefined;
      vs.missingSupplements = d.missingSupplements;
    }
    if (d.filterErrors !== undefined) {
      const errors = d.filterErrors;
      if (!Array.isArray(errors) || !errors.every((e) => e && typeof e.rule === 'string' && typeof e.message === 'string')) return undefined;
      vs.filterErrors = errors.map((e: { rule: string; message: string }) => ({ rule: e.rule, message: e.message }));
    }
    if (d.activeOnly === true) vs.activeOnly = true;
    return vs;
  } catch {
    return undefined;
  }
}

function setForm(set: CodeSet): unknown[] | undefined {
  if (set instanceof EnumeratedSet) {
    return ['e', set.system, set.caseSensitive, set.partialReason ?? null, [...set.list()].map((m) => [m.code, ...m.displays])];
  }
  if (set instanceof OpenSystemSet) {
    if (!set.syntax) return ['o', set.system, set.reason, null];
    const origin = set.syntax.origin;
    if (origin?.kind === 'syntactic') return ['o', set.system, set.reason, ['s', set.syntax.wholeSystem]];
    if (origin?.kind === 'shape' && !set.syntax.wholeSystem) return ['o', set.system, set.reason, ['p', origin.patterns]];
    return undefined;
  }
  if (set instanceof UnknownSet) return ['x', set.reason];
  if (set instanceof UnionSet || set instanceof IntersectionSet) {
    const parts = set.parts.map(setForm);
    return parts.every((p) => p !== undefined) ? [set instanceof UnionSet ? 'u' : 'i', parts] : undefined;
  }
  if (set instanceof DifferenceSet || set instanceof WithShippedExpansion) {
    const [a, b] = set instanceof DifferenceSet ? [set.include, set.exclude] : [set.definition, set.shipped];
    const pair = [setForm(a), setForm(b)];
    return pair.every((p) => p !== undefined) ? [set instanceof DifferenceSet ? 'd' : 'w', ...pair] : undefined;
  }
  return undefined;
}

function readSet(form: unknown): CodeSet | undefined {
  if (!Array.isArray(form)) return undefined;
  const [tag, a, b, c, d] = form as unknown[];
  switch (tag) {
    case 'e': {
      if (typeof a !== 'string' || typeof b !== 'boolean' || (c !== null && typeof c !== 'string') || !Array.isArray(d)) return undefined;
      const set = new EnumeratedSet(a, b, c ?? undefined);
      for (const m of d) {
        if (!strings(m) || m.length === 0) return undefined;
        set.add(m[0]!, m.slice(1));
      }
      return set;
    }
    case 'o': {
      if (typeof a !== 'string' || typeof b !== 'string') return undefined;
      if (c === null) return new OpenSystemSet(a, b);
      const syntax = readSyntax(a, c);
      return syntax ? new OpenSystemSet(a, b, syntax) : undefined;
    }
    case 'x':
      return typeof a === 'string' ? new UnknownSet(a) : undefined;
    case 'u':
    case 'i': {
      if (!Array.isArray(a)) return undefined;
      const parts = a.map(readSet);
      if (!parts.every((p): p is CodeSet => p !== undefined)) return undefined;
      return tag === 'u' ? new UnionSet(parts) : new IntersectionSet(parts);
    }
    case 'd':
    case 'w': {
      const x = readSet(a);
      const y = readSet(b);
      if (!x || !y) return undefined;
      return tag === 'd' ? new DifferenceSet(x, y) : new WithShippedExpansion(x, y);
    }
    default:
      return undefined;
  }
}

function readSyntax(system: string, form: unknown): SystemSyntax | undefined {
  if (!Array.isArray(form)) return undefined;
  if (form[0] === 's' && typeof form[1] === 'boolean') return syntacticSyntax(system, form[1]);
  if (form[0] === 'p' && strings(form[1])) return shapeFromPatterns(system, form[1]);
  return undefined;
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === 'string');
}
