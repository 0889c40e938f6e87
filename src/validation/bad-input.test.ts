import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coreResolver } from './core-resolver.js';
import { Validator } from './validator.js';

const validator = new Validator(coreResolver());
const fatalOrError = (input: unknown) => validator.validateToIssues(input).filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('hostile input never throws and is reported', () => {
  it('malformed JSON gives a fatal issue with line and column', () => {
    const [issue] = validator.validateToIssues('{\n "resourceType": "Patient",\n "name": [ }');
    expect(issue).toMatchObject({ severity: 'fatal', line: 3, column: 12 });
  });

  it('10 000-deep nesting', () => {
    const deep = `{"resourceType":"Patient","extension":${'[{"url":"http://example.org/x","extension":'.repeat(10000)}[]${'}]'.repeat(10000)}}`;
    const out = validator.validate(deep);
    expect(out.issue.length).toBeGreaterThan(0);
    let obj: Record<string, unknown> = { url: 'http://example.org/x' };
    for (let i = 0; i < 10000; i++) obj = { url: 'http://example.org/x', extension: [obj] };
    expect(fatalOrError({ resourceType: 'Patient', extension: [obj] }).length).toBeGreaterThan(0);
  });

  it('50 MB strings', () => {
    const big = 'a'.repeat(50 * 1024 * 1024);
    const found = fatalOrError({ resourceType: 'Patient', name: [{ family: big }] });
    expect(found[0]?.message).toContain('maximum length');
    expect(found[0]!.message.length).toBeLessThan(200);
  });

  it('a million-item array keeps the issue list bounded', () => {
    const found = validator.validateToIssues({ resourceType: 'Patient', name: Array.from({ length: 1_000_000 }, () => ({ family: 1 })) });
    expect(found.length).toBeLessThanOrEqual(1001);
  });

  it('__proto__ and constructor keys are plain unknown properties', () => {
    const found = fatalOrError('{"resourceType":"Patient","__proto__":{"polluted":1},"constructor":1}');
    expect(found.map((i) => i.message)).toEqual(expect.arrayContaining(["Unrecognized property '__proto__'", "Unrecognized property 'constructor'"]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('non-object roots, unknown and abstract resource types', () => {
    for (const input of ['[]', '42', 'null', '"x"', null, 7, [], { resourceType: 'Nope' }, { resourceType: 'DomainResource' }, {}]) {
      expect(fatalOrError(input).length).toBeGreaterThan(0);
    }
  });

  it('random and mutated resources always give an OperationOutcome', () => {
    const seed = { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '1' }] }, valueQuantity: { value: 1 } };
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('status', 'code', 'valueQuantity', 'subject', 'component', 'extension', '_status', 'contained'), (junk, key) => {
        const mutated = { ...seed, [key]: junk };
        for (const input of [junk, mutated, JSON.stringify(mutated)]) {
          const out = validator.validate(input);
          expect(out.resourceType).toBe('OperationOutcome');
          expect(out.issue.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
