/**
 * Constructs the fast subset decides itself that once went to fhirpath.js: children() and descendants(),
 * combine(), navigation below a primitive and the ordering of Quantities in one UCUM unit. Each answer is
 * checked against fhirpath.js with the R4 model, evaluated on the same JSON with its FHIR type as base.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import { LEAF_CHOICE_TYPES } from './choice-types.js';
import { compileFast, NeedsFullEngine } from './compile.js';
import { FhirPathInvariantEvaluator } from '../invariant-evaluator.js';

function fast(expression: string, node: unknown): unknown[] {
  const f = compileFast(expression);
  if (!f) throw new Error(`not in the subset: ${expression}`);
  return f(node, { resource: node, rootResource: node });
}

function full(expression: string, node: unknown, base: string): unknown[] {
  return fhirpath.evaluate(node as object, base ? { base, expression } : expression, { resource: node, rootResource: node }, r4 as never) as unknown[];
}

/** The fast answer, which must equal fhirpath.js's. */
function agreed(expression: string, node: unknown, base: string): unknown[] {
  const a = fast(expression, node);
  expect(a).toEqual(full(expression, node, base));
  return a;
}

const UCUM = 'http://unitsofmeasure.org';

describe('fast subset: tree navigation', () => {
  const questionnaire = {
    resourceType: 'Questionnaire',
    status: 'draft',
    item: [
      { linkId: 'a', type: 'group', item: [{ linkId: 'a.1', type: 'string' }, { linkId: 'b', type: 'boolean' }] },
      { linkId: 'b', type: 'display', text: 'x' },
    ],
  };

  it('lists children in key order and descendants level by level, as fhirpath.js does', () => {
    expect(agreed('children().count()', questionnaire, 'Questionnaire')).toEqual([3]);
    expect(agreed('descendants().linkId', questionnaire, 'Questionnaire')).toEqual(['a', 'b', 'a.1', 'b']);
    expect(agreed('descendants().linkId.isDistinct()', questionnaire, 'Questionnaire')).toEqual([false]);
    expect(agreed('item.first().descendants().count()', questionnaire, 'Questionnaire')).toEqual([8]);
    expect(agreed('status.children().empty()', questionnaire, 'Questionnaire')).toEqual([true]);
  });

  it('combines collections keeping duplicates, the input first', () => {
    const cs = { resourceType: 'CodeSystem', concept: [{ code: 'a', concept: [{ code: 'b' }, { code: 'a' }] }] };
    expect(agreed('concept.code.combine($this.descendants().concept.code)', cs, 'CodeSystem')).toEqual(['a', 'b', 'a']);
    expect(agreed('concept.code.combine($this.descendants().concept.code).isDistinct()', cs, 'CodeSystem')).toEqual([false]);
    expect(agreed('missing.combine(concept.code)', cs, 'CodeSystem')).toEqual(['a']);
  });

  it('leaves primitives with extensions and null array items to fhirpath.js', () => {
    expect(() => fast('descendants().count()', { item: [{ linkId: 'a', _linkId: { id: 'x' } }] })).toThrow(NeedsFullEngine);
    expect(() => fast('children().count()', { given: ['a', null] })).toThrow(NeedsFullEngine);
  });

  it('leaves a complex value with a companion to fhirpath.js, which reads its children from both', () => {
    const obs = { resourceType: 'Observation', code: { text: 'a' }, _code: { extension: [{ url: 'u', valueString: 'x' }] } };
    expect(full('code.extension.exists()', obs, 'Observation')).toEqual([true]);
    expect(() => fast('code.extension.exists()', obs)).toThrow(NeedsFullEngine);
    expect(() => fast('item.code.extension.exists()', { item: [obs, obs] })).toThrow(NeedsFullEngine);
  });

  it('leaves a choice value with a companion to fhirpath.js, also when the companion stands alone', () => {
    const absent = { resourceType: 'Observation', _valueString: { extension: [{ url: 'u', valueCode: 'unknown' }] } };
    expect(full('value.exists()', absent, 'Observation')).toEqual([true]);
    expect(() => fast('value.exists()', absent)).toThrow(NeedsFullEngine);
    const both = { resourceType: 'Observation', valueString: 'x', _valueString: { extension: [{ url: 'u', valueCode: 'c' }] } };
    expect(full('value.extension.exists()', both, 'Observation')).toEqual([true]);
    expect(() => fast('value.extension.exists()', both)).toThrow(NeedsFullEngine);
  });

  it('finds no child below a primitive, but leaves names its JavaScript value knows to fhirpath.js', () => {
    expect(agreed("(low.empty() or (low.code = '%')) and high.empty()", 0.5, '')).toEqual([true]);
    expect(agreed('status.low.exists()', questionnaire, 'Questionnaire')).toEqual([false]);
    expect(() => fast('status.length.exists()', questionnaire)).toThrow(NeedsFullEngine);
  });
});

describe('fast subset: Quantity ordering', () => {
  const q = (value: number, code: string, system = UCUM) => ({ value, system, code });
  const range = (low: object, high: object) => ({ low, high });

  it('orders Quantities of one UCUM unit by value', () => {
    expect(agreed('low <= high', range(q(1, 'mg'), q(2, 'mg')), 'Range')).toEqual([true]);
    expect(agreed('low <= high', range(q(3, 'mg'), q(2.5, 'mg')), 'Range')).toEqual([false]);
    expect(agreed('low < high', range(q(2, 'mg'), q(2, 'mg')), 'Range')).toEqual([false]);
    expect(agreed('low >= high', range(q(2, '%'), q(2, '%')), 'Range')).toEqual([true]);
  });

  it('leaves unit conversion, other systems and comparators to fhirpath.js', () => {
    expect(() => fast('low <= high', range(q(3, 'mg'), q(2, 'g')))).toThrow(NeedsFullEngine);
    expect(() => fast('low <= high', range(q(3, 'mg', 'http://example.org'), q(2, 'mg', 'http://example.org')))).toThrow(NeedsFullEngine);
    expect(() => fast('low <= high', range({ ...q(3, 'mg'), comparator: '<' }, q(2, 'mg')))).toThrow(NeedsFullEngine);
    expect(() => fast('low <= high', range({ value: 1, unit: 'mg' }, { value: 2, unit: 'mg' }))).toThrow(NeedsFullEngine);
  });
});

describe('fast subset: iif(), toInteger(), tail(), substring() and replaceMatches()', () => {
  const element = (min: number, max: string) => ({ path: 'Patient.name', min, max });

  it('evaluates eld-2 and eld-3 on ElementDefinitions as fhirpath.js does', () => {
    const eld2 = "min.empty() or max.empty() or (max = '*') or iif(max != '*', min <= max.toInteger())";
    expect(agreed(eld2, element(0, '*'), 'ElementDefinition')).toEqual([true]);
    expect(agreed(eld2, element(1, '1'), 'ElementDefinition')).toEqual([true]);
    expect(agreed(eld2, element(2, '1'), 'ElementDefinition')).toEqual([false]);
    expect(agreed("max.empty() or max = '*' or max.toInteger() >= 0", element(0, 'x'), 'ElementDefinition')).toEqual([]);
    expect(agreed("iif(min = 0, 'optional')", element(1, '1'), 'ElementDefinition')).toEqual([]);
    expect(agreed("iif(min, 'a', 'b')", element(1, '1'), 'ElementDefinition')).toEqual(['b']);
  });

  it('converts Booleans, integers and integer text, and nothing else', () => {
    const o = { a: true, b: '-12', c: '1.5', d: 3, e: 2.5 };
    expect(agreed('a.toInteger() | b.toInteger() | c.toInteger() | d.toInteger() | e.toInteger()', o, '')).toEqual([1, -12, 3]);
  });

  it('takes the tail, substrings and regex replacements of strings', () => {
    const sd = { resourceType: 'StructureDefinition', element: [{ path: 'A' }, { path: 'A.b.c' }, { path: 'A.d' }] };
    expect(agreed('element.tail().path', sd, '')).toEqual(['A.b.c', 'A.d']);
    expect(agreed("element.tail().all(path.startsWith(%resource.element.first().path & '.'))", sd, '')).toEqual([true]);
    expect(agreed("element[1].path.replaceMatches('\\\\..*', '')", sd, '')).toEqual(['A']);
    expect(agreed('element[1].path.substring(2)', sd, '')).toEqual(['b.c']);
    expect(agreed('element[1].path.substring(2, 1)', sd, '')).toEqual(['b']);
    expect(agreed('element[1].path.substring(9)', sd, '')).toEqual([]);
    expect(() => fast('element.path.substring(1)', sd)).toThrow(NeedsFullEngine);
  });
});

describe('fast subset: is / as on a choice element', () => {
  const ras2 = 'probability.empty() or ((probability is decimal) implies ((probability as decimal) <= 100))';

  it('reads the type from the JSON key of the choice', () => {
    expect(agreed(ras2, { probabilityDecimal: 20 }, 'RiskAssessment.prediction')).toEqual([true]);
    expect(agreed(ras2, { probabilityDecimal: 120 }, 'RiskAssessment.prediction')).toEqual([false]);
    expect(agreed(ras2, { probabilityRange: { low: { value: 1 } } }, 'RiskAssessment.prediction')).toEqual([true]);
    expect(agreed('probability is decimal', {}, 'RiskAssessment.prediction')).toEqual([]);
    expect(agreed('probability as Range', { probabilityRange: { low: { value: 1 } } }, 'RiskAssessment.prediction')).toEqual([{ low: { value: 1 } }]);
    expect(agreed("operator = 'exists' implies (answer is boolean)", { operator: 'exists', answerBoolean: true }, 'Questionnaire.item.enableWhen')).toEqual([true]);
    expect(agreed("operator = 'exists' implies (answer is boolean)", { operator: 'exists', answerString: 'x' }, 'Questionnaire.item.enableWhen')).toEqual([false]);
  });

  it('leaves types with subtypes, System types and non-choice elements to fhirpath.js', () => {
    expect(() => fast('value is Quantity', { valueAge: { value: 1 } })).toThrow(NeedsFullEngine);
    expect(() => fast('answer is Boolean', { answerBoolean: true })).toThrow(NeedsFullEngine);
    expect(compileFast('value as integer')).toBeUndefined();
    expect(compileFast('status as code')).toBeUndefined();
  });

  it('knows as leaf types exactly the R4 types no other type derives from', () => {
    const parents = (r4 as unknown as { type2Parent: Record<string, string> }).type2Parent;
    const derivedFrom = new Set(Object.values(parents));
    for (const t of LEAF_CHOICE_TYPES) {
      expect(parents[t], t).toBeDefined();
      expect(derivedFrom.has(t), t).toBe(false);
    }
  });
});

describe('fast subset: resolve() and ofType()', () => {
  const ctm1 = 'onBehalfOf.exists() implies (member.resolve().iif(empty(), true, ofType(Practitioner).exists()))';
  const careTeam = (member: string) => ({
    resourceType: 'CareTeam',
    contained: [
      { resourceType: 'Practitioner', id: 'pr' },
      { resourceType: 'Organization', id: 'org' },
    ],
    participant: [{ member: { reference: member }, onBehalfOf: { reference: '#org' } }],
  });

  it('gives the verdicts fhirpath.js gives for ctm-1, through the evaluator', () => {
    const fast = new FhirPathInvariantEvaluator({ fast: true });
    const full = new FhirPathInvariantEvaluator({ fast: false });
    for (const member of ['#pr', '#org', 'Practitioner/elsewhere']) {
      const resource = careTeam(member);
      const args = { key: 'ctm-1', expression: ctm1, severity: 'error' as const, human: 'h', node: resource.participant[0], resource, root: resource, path: 'CareTeam.participant[0]', elementType: 'BackboneElement' };
      const verdict = fast.evaluate(args);
      expect(verdict).toEqual(full.evaluate(args));
      expect(verdict.length).toBe(member === '#org' ? 1 : 0);
    }
    expect(compileFast(ctm1, undefined, () => undefined)).toBeDefined();
    expect(compileFast(ctm1)).toBeUndefined();
  });

  it('filters resources by type and leaves abstract types and non-resources to fhirpath.js', () => {
    const bundle = { entry: [{ resource: { resourceType: 'Patient' } }, { resource: { resourceType: 'Practitioner' } }] };
    expect(agreed('entry.resource.ofType(Patient).count()', bundle, '')).toEqual([1]);
    expect(() => fast('entry.resource.ofType(Resource)', bundle)).toThrow(NeedsFullEngine);
    expect(() => fast('entry.ofType(Patient)', bundle)).toThrow(NeedsFullEngine);
  });
});
