import type { StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../packages/core-r4.js';
import { functionNames, isKnownFunction } from './expression-check.js';
import { FhirPathInvariantEvaluator } from './invariant-evaluator.js';
import { NATIVE_INVARIANTS } from './native-invariants.js';
import { CORE_R4_PATCHES, patchedExpression } from './patches.js';

describe('core R4 invariants', () => {
  const constraints = new Map<string, { key: string; expression: string; base: string }>();
  let total = 0;
  for (const r of readCoreR4()) {
    if (r.resourceType !== 'StructureDefinition') continue;
    for (const el of (r as StructureDefinition).snapshot?.element ?? []) {
      for (const c of el.constraint ?? []) {
        total++;
        if (!c.expression) continue;
        const base = el.path.includes('.') ? el.path : (r as StructureDefinition).type;
        constraints.set(`${c.key}\0${c.expression}\0${base}`, { key: c.key, expression: c.expression, base });
      }
    }
  }

  it('every constraint of every core snapshot compiles, after patches, with known functions only', () => {
    const ev = new FhirPathInvariantEvaluator();
    const broken: string[] = [];
    const unique = new Set<string>();
    for (const { key, expression, base } of constraints.values()) {
      unique.add(`${key}\0${expression}`);
      const compiled = ev.compile(key, expression, base);
      if (compiled.kind === 'broken') broken.push(`${key}: ${compiled.error}`);
      if (compiled.kind === 'fhirpath') {
        const unknown = functionNames(compiled.expression).filter((f) => !isKnownFunction(f, ev.customFunctions));
        if (unknown.length > 0) broken.push(`${key}: ${unknown.join(', ')}`);
      }
    }
    expect(broken).toEqual([]);
    // The numbers quoted in docs/invariants.md.
    expect(total).toBeGreaterThan(14_000);
    expect(unique.size).toBe(251);
  });

  it('every patch and native implementation targets a published core expression', () => {
    const published = new Set([...constraints.values()].map((c) => `${c.key}\0${c.expression}`));
    for (const p of CORE_R4_PATCHES) {
      const targeted = published.has(`${p.key}\0${p.published}`);
      expect(targeted, `${p.key} patch`).toBe(true);
      expect(patchedExpression(p.key, p.published)).toBe(p.replacement);
    }
    for (const key of NATIVE_INVARIANTS.keys()) expect(published.has(key), key.split('\0')[0]).toBe(true);
  });
});
