import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4/index.js';
import type { Bundle } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { BROKEN_CASES, brokenBundle, expectationOf } from '../examples/broken/cases.js';
import { EXAMPLES } from '../examples/index.js';
import { checkAdsBundle } from '../src/builder/checks.js';
import { ruleOf } from '../src/validation/validator.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'broken');
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
const holds = (bundle: Bundle, expression: string) =>
  (fhirpath.evaluate(bundle, expression, { resource: bundle }, r4model) as unknown[]).some((v) => v === true);

describe('examples/broken', () => {
  it('has a payload and an expectation for every case, and nothing else', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(BROKEN_CASES.flatMap((c) => [`${c.name}.expect.json`, `${c.name}.json`]).sort());
  });

  describe.each(BROKEN_CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const broken = brokenBundle(c);

    it('is saved as built from its source example now (regenerate: npx tsx examples/broken/write-broken.ts)', () => {
      expect(readJson(`${name}.json`)).toEqual(broken);
      expect(readJson(`${name}.expect.json`)).toEqual(expectationOf(c));
    });

    it('carries the breakage its witness describes, which the source does not', () => {
      expect(holds(broken, c.witness)).toBe(true);
      expect(holds(EXAMPLES[c.source]!().bundle, c.witness)).toBe(false);
    });

    // Cases only a profile validator can see are checked by the validator's own tests (test/examples-validate.test.ts).
    if (c.detectedBy.includes('builder-checks')) it('is reported by the builder checks with its rule id, where expected', () => {
      const found = checkAdsBundle(broken).map((i) => `${i.severity} ${i.code} ${ruleOf(i)} ${i.expression?.[0]}`);
      expect(c.ruleIds.length).toBeGreaterThan(0);
      expect(found).toContain(`${c.expect.severity} ${c.expect.code} ${c.ruleIds[0]} ${c.expect.expression}`);
    });
  });
});
