import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonLocator } from './json-locator.js';
import { offsetOf, parseWithPositions } from './json-position.js';

/** What the full positioned parse says: the reference the on-demand locator must agree with. */
function reference(text: string, expression: string): { line: number; column: number } {
  const parsed = parseWithPositions(text);
  return parsed.locate((expression ? offsetOf(parsed, expression) : undefined) ?? 0);
}

function located(text: string, expression: string): { line: number; column: number } {
  const locator = new JsonLocator(text);
  return locator.locate((expression ? locator.offsetOf(expression) : undefined) ?? 0);
}

/** FHIRPath-style locations of every node of a value, plus a few that leave it. */
function expressionsOf(value: unknown, path = 'Resource'): string[] {
  const out = [path, `${path}.missing`];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...expressionsOf(v, `${path}[${i}]`)));
    out.push(`${path}[${value.length}]`);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!/^[^.[\]]+$/.test(k)) continue;
      const name = k.startsWith('_') ? k.slice(1) : k;
      out.push(...expressionsOf(v, `${path}.${name}`));
    }
  }
  return out;
}

describe('JsonLocator', () => {
  it('places nodes, primitive companions, choice types and missing children', () => {
    const text = '{\n  "resourceType": "Observation",\n  "valueQuantity": { "value": 1 },\n  "_status": { "id": "s" },\n  "component": [\n    {},\n    { "code": null }\n  ]\n}';
    expect(located(text, 'Observation.value.ofType(Quantity).value')).toEqual({ line: 3, column: 22 });
    expect(located(text, 'Observation.status')).toEqual({ line: 4, column: 3 });
    expect(located(text, 'Observation.component[1].code')).toEqual({ line: 7, column: 7 });
    expect(located(text, 'Observation.component[1].code.coding')).toEqual({ line: 7, column: 7 });
    expect(located(text, 'Observation.component[5]')).toEqual({ line: 5, column: 3 });
    expect(located(text, 'Observation.subject')).toEqual({ line: 1, column: 1 });
    expect(located(text, '')).toEqual({ line: 1, column: 1 });
  });

  it('takes the last of duplicate keys, as JSON.parse does, and reads escaped keys and strings', () => {
    const text = '{"resourceType":"Patient","name":[{"family":"a\\"]}"}],\n"name":[{"given":["x"]}],"a\\u0062":{"c":1}}';
    expect(located(text, 'Patient.name[0].given[0]')).toEqual(reference(text, 'Patient.name[0].given[0]'));
    expect(located(text, 'Patient.name[0].given[0]')).toEqual({ line: 2, column: 19 });
    expect(located(text, 'Patient.ab.c')).toEqual(reference(text, 'Patient.ab.c'));
  });

  it('is not limited by nesting depth', () => {
    const deep = `{"resourceType":"Patient","extension":${'[{"extension":'.repeat(20000)}[]${'}]'.repeat(20000)},\n"active":1}`;
    expect(located(deep, 'Patient.active')).toEqual({ line: 2, column: 1 });
  });

  it('agrees with the full positioned parse on random JSON, compact and indented', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 4 })), fc.constantFrom(0, 1, 2, '\t'), (body, indent) => {
        const value = { resourceType: 'Resource', ...body };
        const text = JSON.stringify(value, null, indent);
        for (const expression of expressionsOf(value)) expect(located(text, expression)).toEqual(reference(text, expression));
      }),
      { numRuns: 300 },
    );
  });
});
