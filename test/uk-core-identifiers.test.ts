import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FhirPathInvariantEvaluator } from '../src/fhirpath/invariant-evaluator.js';
import { checkUkIdentifier } from '../src/terminology/uk/apply.js';
import { identifierRulesFor, ukFhirPathFunctions } from '../src/terminology/uk/rules.js';

interface Found {
  file: string;
  path: string;
  identifier: Record<string, unknown>;
  resource: unknown;
}

/** Every object with a UK identifier system, with its FHIRPath-style location and nearest resource. */
function identifiers(file: string, value: unknown, path: string, resource: unknown, out: Found[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => identifiers(file, v, `${path}[${i}]`, resource, out));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const obj = value as Record<string, unknown>;
  const here = typeof obj.resourceType === 'string' ? obj : resource;
  if (identifierRulesFor(obj.system).length > 0 && 'value' in obj) out.push({ file, path, identifier: obj, resource: here });
  for (const [k, v] of Object.entries(obj)) identifiers(file, v, `${path}.${k}`, here, out);
}

describe('UK identifier rules on the UK Core examples', () => {
  it('find exactly the one invalid NHS number', () => {
    // The UK Core examples as the toolkit ships them (profiles/ukcore, made from the published XML).
    const dir = join(import.meta.dirname, '..', 'profiles', 'ukcore', 'example');
    const found: Found[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { resourceType: string };
      identifiers(f, r, r.resourceType, r, found);
    }
    expect(found.length).toBeGreaterThan(10);
    const evaluator = new FhirPathInvariantEvaluator({ functions: ukFhirPathFunctions });
    const issues = found.flatMap((i) =>
      checkUkIdentifier(evaluator, { identifier: i.identifier, resource: i.resource, root: i.resource, path: i.path }).map((x) => `${i.file} ${x.expression} ${x.severity} ${x.message.split(':')[1]?.trim()}`),
    );
    expect(issues).toEqual(['Patient-UKCore-Patient-BabyPatient-Example.json Patient.identifier[0] error uk-nhs-1']);
  });
});
