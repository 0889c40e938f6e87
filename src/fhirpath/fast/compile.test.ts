import fc from 'fast-check';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import { R4_CHOICE_NAMES } from './choice-names.js';
import { compileFast, NeedsFullEngine } from './compile.js';

function run(expression: string, node: unknown, resource: unknown = node): unknown[] {
  const f = compileFast(expression);
  if (!f) throw new Error(`not in the subset: ${expression}`);
  return f(node, { resource, rootResource: resource });
}

describe('fast FHIRPath subset', () => {
  it('navigates arrays and choice elements of the JSON', () => {
    const obs = { resourceType: 'Observation', valueQuantity: { value: 5 }, component: [{ code: { text: 'a' } }, { code: { text: 'b' } }] };
    expect(run('value.exists()', obs)).toEqual([true]);
    expect(run('component.code.text', obs)).toEqual(['a', 'b']);
    expect(run('valueSet.exists()', { resourceType: 'ElementDefinition', valueSetX: 1 })).toEqual([false]);
  });

  it('keeps three-valued logic: empty operands give empty unless the other side decides', () => {
    expect(run('a = 1 and b = 2', { a: 1 })).toEqual([]);
    expect(run('a = 2 and b = 2', { a: 1 })).toEqual([false]);
    expect(run('a = 1 or b = 2', { a: 1 })).toEqual([true]);
    expect(run('b = 1 implies a = 2', { a: 1 })).toEqual([]);
    expect(run('a = 2 implies b = 1', { a: 1 })).toEqual([true]);
  });

  it('orders dates by precision and date-times as instants', () => {
    expect(run('start <= end', { start: '2020-01', end: '2020-02-01' })).toEqual([true]);
    expect(run('start <= end', { start: '2020-02', end: '2020-02-01' })).toEqual([]);
    expect(run('start <= end', { start: '2020-01-01T10:00:00+01:00', end: '2020-01-01T09:30:00Z' })).toEqual([true]);
    expect(run('start <= end', { start: '2020-01-01T10:00:00+01:00', end: '2020-01-01T09:30:00+01:00' })).toEqual([false]);
    expect(run('start < end', { start: '2020-01-01T10:00:00.5Z', end: '2020-01-01T10:00:00.25Z' })).toEqual([false]);
  });

  it('evaluates where, all, select, isDistinct, intersect and extension()', () => {
    const b = { entry: [{ fullUrl: 'a' }, { fullUrl: 'b' }, { fullUrl: 'a' }], extension: [{ url: 'u', valueString: 'x' }] };
    expect(run("entry.where(fullUrl = 'a').count()", b)).toEqual([2]);
    expect(run('entry.all(fullUrl.exists())', b)).toEqual([true]);
    expect(run('entry.select(fullUrl).isDistinct()', b)).toEqual([false]);
    expect(run("extension('u').value", b)).toEqual(['x']);
    expect(run("entry.fullUrl.intersect('b' | 'c')", b)).toEqual(['b']);
  });

  it('adds integers, joins strings, knows %ucum, trace() and the Boolean aggregates', () => {
    const o = { a: 2, b: 3, s: 'x', t: 'y', when: ['C', 'HS'], flags: [false, false], system: 'http://unitsofmeasure.org' };
    expect(run('a + b', o)).toEqual([5]);
    expect(run('a - b', o)).toEqual([-1]);
    expect(run('s + t', o)).toEqual(['xy']);
    expect(run('a + missing', o)).toEqual([]);
    expect(run('(a.count() + s.count() + missing.count()) = 2', o)).toEqual([true]);
    expect(run('system = %ucum', o)).toEqual([true]);
    expect(run("when.select($this in ('C' | 'CM')).allFalse()", o)).toEqual([false]);
    expect(run('flags.allFalse() and flags.anyFalse() and flags.allTrue().not() and missing.allTrue()', o)).toEqual([true]);
    expect(run("s.trace('s') = 'x'", o)).toEqual([true]);
    expect(() => run('a + s', o)).toThrow(NeedsFullEngine);
    expect(() => run('when.allTrue()', o)).toThrow(NeedsFullEngine);
    expect(compileFast("s.trace('s', a)")).toBeUndefined();
    expect(compileFast('%sct = s')).toBeUndefined();
  });

  it('agrees with fhirpath.js on arithmetic whenever it decides', () => {
    const item = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -10, max: 10, noNaN: true }), fc.string({ maxLength: 4 }), fc.constantFrom('2020-01-01', true));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 2 }), fc.array(item, { maxLength: 2 }), fc.constantFrom('+', '-'), (a, b, op) => {
        const node = { a, b };
        let fast: unknown[];
        try {
          fast = run(`a ${op} b`, node);
        } catch (e) {
          if (e instanceof NeedsFullEngine) return;
          throw e;
        }
        expect(fast).toEqual(fhirpath.evaluate(node, `a ${op} b`, {}, r4 as never));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves to fhirpath.js what the JSON alone cannot decide', () => {
    expect(compileFast('descendants().as(canonical)')).toBeUndefined();
    expect(compileFast('value > 4 \'mg\'')).toBeUndefined();
    expect(() => run('birthDate.exists()', { _birthDate: { extension: [] } })).toThrow(NeedsFullEngine);
    expect(() => run('a = b', { a: '2020-01-01', b: '2020-01' })).toThrow(NeedsFullEngine);
  });

  it('finds a child among the object\'s own keys wherever it stands, and its companion before or after it', () => {
    const many = { resourceType: 'Patient', id: 'p', a: 1, b: 2, c: 3, birthDate: '2000-01-01', z: [{ x: 1 }, { x: 2 }] };
    expect(run('birthDate', many)).toEqual(['2000-01-01']);
    expect(run('z.x', many)).toEqual([1, 2]);
    expect(run('missing.empty()', many)).toEqual([true]);
    expect(() => run('birthDate.exists()', { birthDate: '2000', _birthDate: { id: 'x' } })).toThrow(NeedsFullEngine);
    expect(() => run('z.x', { z: [{ _x: { id: 'i' }, x: 1 }] })).toThrow(NeedsFullEngine);
    // A companion whose value is undefined (possible in objects built in code) is no companion, as before.
    expect(run('birthDate.exists()', { birthDate: '2000', _birthDate: undefined })).toEqual([true]);
    // Names every object inherits are read as properties, as fhirpath.js reads them.
    expect(run('constructor.exists()', {})).toEqual(run('constructor.exists()', { a: 1 }));
  });
});

describe('R4 choice element names', () => {
  it('are the choice paths of fhirpath.js R4 model', () => {
    const model = r4 as unknown as { choiceTypePaths: Record<string, unknown> };
    const fromModel = new Set(Object.keys(model.choiceTypePaths).map((p) => p.slice(p.lastIndexOf('.') + 1)));
    expect([...R4_CHOICE_NAMES].sort()).toEqual([...fromModel].sort());
  });
});

describe('fast subset: the caller\'s own functions', () => {
  const functions = { shortCode: { fn: (inputs: unknown[]) => (inputs.length === 1 ? typeof inputs[0] === 'string' && inputs[0].length < 4 : []) } };
  it('calls a function over plain values as fhirpath.js would, and leaves unknown or node-reading ones to it', () => {
    const env = { resource: undefined, rootResource: undefined };
    const run = compileFast('value.exists() implies value.shortCode()', functions)!;
    expect(run({ value: 'ab' }, env)).toEqual([true]);
    expect(run({ value: 'abcdef' }, env)).toEqual([false]);
    expect(run({}, env)).toEqual([true]);
    expect(compileFast('value.shortCode()')).toBeUndefined();
    expect(compileFast('value.shortCode()', { shortCode: { ...functions.shortCode, internalStructures: true } })).toBeUndefined();
    expect(compileFast('value.shortCode(1)', functions)).toBeUndefined();
  });
});

describe('order of quantities in a local unit', () => {
  it('is decided where the values give fhirpath.js\'s answer, and left to it elsewhere', () => {
    const q = (value: number) => ({ value, unit: 'TAB', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' });
    let decided = 0;
    for (const [l, h] of [[1, 2], [2, 1], [2, 2]] as const) {
      for (const op of ['<=', '<', '>=', '>']) {
        const range = { low: q(l), high: q(h) };
        const expected = fhirpath.evaluate(range, { base: 'Range', expression: `low ${op} high` }, {}, r4 as never);
        try {
          expect(run(`low ${op} high`, range)).toEqual(expected);
          decided++;
        } catch (e) {
          if (!(e instanceof NeedsFullEngine)) throw e;
        }
      }
    }
    // Two of four operators for unequal values (where the order agrees with fhirpath.js), all four for equal ones.
    expect(decided).toBe(8);
  });
});

describe('item-independent parts of a per-item criterion', () => {
  it('are worked out once per evaluation, and afresh for the next', () => {
    let reads = 0;
    const entries = [{ request: {} }, { request: {} }, { request: {} }];
    const bundle = (type: string): Record<string, unknown> => {
      const b: Record<string, unknown> = { resourceType: 'Bundle', entry: entries };
      Object.defineProperty(b, 'type', { enumerable: true, get: () => (reads++, type) });
      return b;
    };
    const f = compileFast("entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction'))")!;
    const batch = bundle('batch');
    expect(f(batch, { resource: batch, rootResource: batch })).toEqual([true]);
    expect(reads).toBe(1); // not once per entry
    reads = 0;
    // The same expression on another resource reads that resource's type, not the one kept before.
    const collection = bundle('collection');
    expect(f(collection, { resource: collection, rootResource: collection })).toEqual([false]);
    expect(reads).toBe(2);
  });

  it('still see the item where they read it', () => {
    expect(run("entry.where(fullUrl = %resource.id).count()", { id: 'a', entry: [{ fullUrl: 'a' }, { fullUrl: 'b' }] })).toEqual([1]);
    expect(run("entry.select(fullUrl & '-' & %resource.id)", { id: 'r', entry: [{ fullUrl: 'a' }, { fullUrl: 'b' }] })).toEqual(['a-r', 'b-r']);
  });
});

describe('exists() and empty() of a child', () => {
  it('give what counting the navigated child gives, for every shape of its value', () => {
    const shapes: unknown[] = [{}, { a: 1 }, { a: [] }, { a: [1] }, { a: [1, null] }, { a: null }, { a: { b: 1 } }, { a: false }, { valueString: 'x' }, { b: 1 }];
    for (const node of shapes) {
      for (const name of ['a', 'value']) {
        expect(run(`${name}.exists()`, node)).toEqual(run(`${name}.count() > 0`, node));
        expect(run(`${name}.empty()`, node)).toEqual(run(`${name}.count() = 0`, node));
        expect(run(`x.${name}.exists()`, { x: [node, node] })).toEqual(run(`x.${name}.count() > 0`, { x: [node, node] }));
      }
    }
    expect(() => run('a.exists()', { a: 'x', _a: { id: '1' } })).toThrow(NeedsFullEngine);
  });
});
