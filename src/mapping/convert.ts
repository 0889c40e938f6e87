import { AdsBuilderError } from '../builder/index.js';
import { calendarDate, compilePattern, DateTimeValueError, zonedDateTime, type AmbiguousRule } from './datetime.js';
import type { MappingProblem } from './errors.js';
import type { MappingItemSpec } from './items.js';

/** A value read for an item: the builder input, or why it is invalid (never the value itself). */
export type ConvertedValue = { value: string | number | boolean } | { invalid: string };

/** Turns one raw source value into a builder input; undefined when the value is missing (absent or blank). */
export type ValueConverter = (raw: unknown) => ConvertedValue | undefined;

interface ConvertOptions {
  readonly map?: Readonly<Record<string, string>>;
  readonly pattern: string;
  readonly timeZone: string;
  readonly ambiguous: AmbiguousRule;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * Compiles the converter of one item, or records problems (value map targets outside the item's value set,
 * a bad date pattern) and returns undefined.
 */
export function compileConverter(name: string, spec: MappingItemSpec, options: ConvertOptions, at: string, problems: MappingProblem[]): ValueConverter | undefined {
  const before = problems.length;
  const codes = spec.codes?.();
  const map = options.map ? new Map(Object.entries(options.map)) : undefined;
  if (map && (spec.kind === 'dateTime' || spec.kind === 'date' || spec.kind === 'number')) {
    problems.push({ at: `${at}/map`, message: `a value map applies to code and text items; ${name} is a ${spec.kind}` });
  }
  if (map && codes) {
    for (const [local, target] of map) {
      if (!codes.codes.has(target)) problems.push({ at: `${at}/map`, message: `local code "${local}" maps to "${target}", which is not in ${codes.source} (allowed: ${[...codes.codes].join(', ')})` });
    }
  }
  let pattern: ReturnType<typeof compilePattern> | undefined;
  if (spec.kind === 'dateTime' || spec.kind === 'date') {
    try {
      pattern = compilePattern(options.pattern, spec.kind);
    } catch (e) {
      problems.push({ at: `${at}/format`, message: (e as Error).message });
    }
  }
  if (problems.length > before) return undefined;

  const toValue = (text: string, original: unknown): ConvertedValue => {
    switch (spec.kind) {
      case 'text':
        if (!spec.check) return { value: text };
        try {
          return { value: spec.check(text, name) };
        } catch (e) {
          if (e instanceof AdsBuilderError) return { invalid: e.reason };
          throw e;
        }
      case 'code':
      case 'flag':
        if (!codes!.codes.has(text)) return { invalid: `is not a code of ${codes!.source}` };
        return { value: spec.kind === 'flag' ? text === spec.trueCode : text };
      case 'number': {
        if (typeof original === 'number') return Number.isFinite(original) ? { value: original } : { invalid: 'is not a number' };
        return NUMBER.test(text) ? { value: Number(text) } : { invalid: 'is not a number' };
      }
      case 'date':
      case 'dateTime': {
        const wall = pattern!.parse(text);
        if (!wall) return { invalid: `does not match the format ${pattern!.pattern}` };
        try {
          return { value: spec.kind === 'date' ? calendarDate(wall) : zonedDateTime(wall, options.timeZone, options.ambiguous) };
        } catch (e) {
          if (e instanceof DateTimeValueError) return { invalid: e.message };
          throw e;
        }
      }
    }
  };

  return (raw) => {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw === 'object') return { invalid: 'is not a single value (an object or a list)' };
    const text = String(raw).trim();
    if (text === '') return undefined;
    if (map) {
      const target = map.get(text);
      if (target === undefined) return { invalid: 'is a local code with no mapping' };
      return toValue(target, target);
    }
    return toValue(text, raw);
  };
}
