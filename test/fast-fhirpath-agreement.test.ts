import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import { r4Examples } from '../bench/corpus.js';
import { describeWithShared } from './support/shared.js';
import { FhirPathInvariantEvaluator } from '../src/fhirpath/index.js';
import { compileFast } from '../src/fhirpath/fast/compile.js';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { coreResolver, Validator } from '../src/validation/index.js';

const repoRoot = resolve(import.meta.dirname, '..');

/** Every JSON resource of the HL7 suite folder and the ADS example bundles. */
function corpus(suite: string): { name: string; resource: unknown }[] {
  const out: { name: string; resource: unknown }[] = [];
  const add = (dir: string) => {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'manifest.json')) {
      try {
        const resource = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { resourceType?: unknown };
        if (typeof resource?.resourceType === 'string') out.push({ name: f, resource });
      } catch {
        // Deliberately malformed suite files are not FHIRPath material.
      }
    }
  };
  add(suite);
  add(join(repoRoot, 'examples', 'bundles'));
  return out;
}

describeWithShared('fast FHIRPath subset', ['fhir-test-cases', 'validator'], (suite) => {
  it('gives exactly the issues fhirpath.js gives, on every resource of the HL7 suite and the examples', () => {
    const resolver = coreResolver();
    const fast = new Validator(resolver, { invariants: new FhirPathInvariantEvaluator({ fast: true }) });
    const full = new Validator(resolver, { invariants: new FhirPathInvariantEvaluator({ fast: false }) });
    const files = corpus(suite);
    expect(files.length).toBeGreaterThan(300);
    const differing: string[] = [];
    for (const { name, resource } of files) {
      const a = JSON.stringify(fast.validateToIssues(resource));
      const b = JSON.stringify(full.validateToIssues(resource));
      if (a !== b) differing.push(name);
    }
    expect(differing).toEqual([]);
  }, 240_000);
});

// The official examples are a development dependency, so these run in every clone.
describe('fast FHIRPath subset, standalone', () => {
  it('gives exactly the issues fhirpath.js gives on the official R4 examples', () => {
    const resolver = coreResolver();
    const fast = new Validator(resolver, { invariants: new FhirPathInvariantEvaluator({ fast: true }) });
    const full = new Validator(resolver, { invariants: new FhirPathInvariantEvaluator({ fast: false }) });
    const examples = r4Examples();
    expect(examples.length).toBeGreaterThan(700);
    const differing = examples.filter((e) => JSON.stringify(fast.validateToIssues(e.resource)) !== JSON.stringify(full.validateToIssues(e.resource))).map((e) => e.file);
    expect(differing).toEqual([]);
  }, 240_000);

  it('compiles only expressions fhirpath.js accepts too (it is loaded only when a value needs it)', () => {
    const rejected: string[] = [];
    for (const r of readCoreR4()) {
      if (r.resourceType !== 'StructureDefinition') continue;
      for (const e of r.snapshot?.element ?? []) {
        for (const c of e.constraint ?? []) {
          if (!c.expression || !compileFast(c.expression, undefined, () => undefined)) continue;
          try {
            fhirpath.compile(c.expression, r4 as never);
          } catch {
            rejected.push(`${c.key}: ${c.expression}`);
          }
        }
      }
    }
    expect(rejected).toEqual([]);
  });

  it('covers most core R4 invariants, so the agreement above exercises it', () => {
    const expressions = new Set<string>();
    for (const r of readCoreR4()) {
      if (r.resourceType !== 'StructureDefinition') continue;
      for (const e of r.snapshot?.element ?? []) for (const c of e.constraint ?? []) if (c.expression) expressions.add(c.expression);
    }
    const compiled = [...expressions].filter((x) => compileFast(x, undefined, () => undefined) !== undefined).length;
    expect(compiled / expressions.size).toBeGreaterThan(0.9);
  });
});
