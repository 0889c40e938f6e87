import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonLocator, placeIssues } from './json-locator.js';

/** Places issues as the validator does: one locator for all their expressions. */
function addJsonLocations(text: string, issues: { expression: string; line?: number; column?: number }[]): void {
  placeIssues(issues, new JsonLocator(text, issues.map((i) => i.expression)));
}
import { offsetOf, parseWithPositions } from './json-position.js';

/** What the full positioned parse says: the reference the on-demand locator must agree with. */
function reference(text: string, expression: string): { line: number; column: number } {
  const parsed = parseWithPositions(text);
  return parsed.locate((expression ? offsetOf(parsed, expression) : undefined) ?? 0);
}

function located(text: string, expression: string): { line: number; column: number } {
  const locator = new JsonLocator(text, [expression]);
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
    // Locations as deep as the JSON, among them `x`, `_x` and `__x` at one place (their wants are merged).
    const path = '.extension[0]'.repeat(20000);
    const issues = ['Patient.__extension[0]', 'Patient.extension[0]', 'Patient._extension[0]'].map((head) => ({ expression: head + path }) as { expression: string; line?: number; column?: number });
    addJsonLocations(deep, issues);
    expect(issues.map((i) => [i.line, i.column])).toEqual([[1, 1], [1, deep.lastIndexOf('"extension"') + 1], [1, 1]]);
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

  it('places many issues read in one pass as each is placed alone, duplicate keys and `_x` companions included', () => {
    // Few, short names (`a`, `_a`, `__a`...) so locations share steps, and names and their companions collide.
    const key = fc.stringMatching(/^_{0,3}(?:[ab]|aB)$/);
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(null, 1, true, 'x"]}'), tie('object'), tie('array')),
      object: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }),
      array: fc.array(tie('value'), { maxLength: 4 }).map((items) => ({ items })),
    })).value;
    /** JSON text with repeated keys allowed: an object is written as its list of members. */
    const write = (v: unknown, indent: string): string => {
      if (Array.isArray(v)) return `{${v.map(([k, x]) => `\n${indent}  ${JSON.stringify(k)}: ${write(x, `${indent}  `)}`).join(',')}\n${indent}}`;
      if (v && typeof v === 'object') return `[${(v as { items: unknown[] }).items.map((x) => write(x, indent)).join(', ')}]`;
      return JSON.stringify(v);
    };
    const step = fc.tuple(fc.stringMatching(/^_{0,2}[ab]$/), fc.option(fc.nat(3), { nil: undefined }));
    // Now and then a step that is not a plain name or `name[i]` (where locating stops), or a choice written `.ofType(T)`
    // or, as the JSON reader writes it, `a[x]` (found under `aB`).
    const odd = fc.constantFrom('', '[0]', 'a[]', 'a[1]]', 'a[1][0]', 'a[x]', 'a]', 'where(b)', 'ofType(b)');
    const written = fc.oneof({ weight: 8, arbitrary: step.map(([n, i]) => (i === undefined ? n : `${n}[${i}]`)) }, { weight: 1, arbitrary: odd });
    const expression = fc.array(written, { maxLength: 5 }).map((steps) => ['Resource', ...steps].join('.'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, json), { maxLength: 6 }), fc.array(expression, { minLength: 1, maxLength: 12 }), (members, expressions) => {
        const text = write(members, '');
        const issues = expressions.map((e) => ({ expression: e }) as { expression: string; line?: number; column?: number });
        addJsonLocations(text, issues);
        for (const issue of issues) expect({ line: issue.line, column: issue.column }).toEqual(reference(text, issue.expression));
      }),
      { numRuns: 500 },
    );
  });
});
