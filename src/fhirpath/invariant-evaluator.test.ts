import { describe, expect, it } from 'vitest';
import { coreResources, MemoryResolver } from '../../test/support/memory-resolver.js';
import { LocalTerminology } from '../terminology/local-terminology.js';
import { memberOfHook } from '../terminology/member-of.js';
import type { ValidationIssue } from '../plugin-types/index.js';
import { containerOf, FhirPathInvariantEvaluator } from './invariant-evaluator.js';

type Args = Parameters<FhirPathInvariantEvaluator['evaluate']>[0];

function run(ev: FhirPathInvariantEvaluator, partial: Partial<Args> & Pick<Args, 'key' | 'expression' | 'node'>): ValidationIssue[] {
  return ev.evaluate({ severity: 'error', human: 'the rule', resource: partial.node, root: partial.node, path: 'X', elementType: '', ...partial });
}

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Smith', given: ['Ann'] }], contact: [{ name: { family: 'Jones' } }] };

describe('FhirPathInvariantEvaluator', () => {
  it('passes and fails constraints, naming the invariant', () => {
    const ev = new FhirPathInvariantEvaluator();
    expect(run(ev, { key: 't-1', expression: 'name.exists()', node: patient, path: 'Patient', elementType: 'Patient' })).toEqual([]);
    const issues = run(ev, { key: 't-2', expression: 'birthDate.exists()', node: patient, path: 'Patient', elementType: 'Patient', severity: 'warning', human: 'Birth date is known' });
    expect(issues).toEqual([{ rule: 't-2', severity: 'warning', code: 'invariant', message: "Constraint failed: t-2: 'Birth date is known'", expression: 'Patient' }]);
  });

  it('treats an empty result as a failure and a non-boolean result as success, like the Java validator', () => {
    const ev = new FhirPathInvariantEvaluator();
    expect(run(ev, { key: 't-3', expression: 'gender', node: patient, elementType: 'Patient' })).toHaveLength(1);
    expect(run(ev, { key: 't-4', expression: 'name.family', node: patient, elementType: 'Patient' })).toEqual([]);
  });

  it('compiles each expression once per base type for fhirpath.js, and once for all bases on the fast path', () => {
    for (const fast of [false, true]) {
      const ev = new FhirPathInvariantEvaluator({ fast });
      for (let i = 0; i < 5; i++) run(ev, { key: 't-5', expression: 'family.exists()', node: patient.name[0], path: `Patient.name[0]`, elementType: 'HumanName' });
      expect(ev.compiledCount).toBe(1);
      run(ev, { key: 't-5', expression: 'family.exists()', node: { family: 'x' }, elementType: 'Patient', path: 'Patient.contact[0].name' });
      expect(ev.compiledCount).toBe(fast ? 1 : 2);
    }
  });

  it('sets %resource, %rootResource and %context', () => {
    const ev = new FhirPathInvariantEvaluator();
    const contact = patient.contact[0];
    const expr = "%resource.id = 'p1' and %rootResource.id = 'p1' and %context.name.family = 'Jones'";
    expect(run(ev, { key: 't-6', expression: expr, node: contact, resource: patient, root: patient, path: 'Patient.contact[0]', elementType: 'BackboneElement' })).toEqual([]);
  });

  it('takes a Bundle entry as its own %rootResource and a container as the root of contained resources', () => {
    const inner = { resourceType: 'Organization', id: 'o1' };
    const obs = { resourceType: 'Observation', id: 'obs', contained: [inner] };
    const bundle = { resourceType: 'Bundle', entry: [{ fullUrl: 'urn:uuid:1', resource: obs }] };
    expect(containerOf(bundle, 'Bundle.entry[0].resource', obs)).toBe(obs);
    expect(containerOf(bundle, 'Bundle.entry[0].resource.contained[0]', inner)).toBe(obs);
    expect(containerOf(obs, 'Observation.contained[0]', inner)).toBe(obs);
    const ev = new FhirPathInvariantEvaluator();
    const issues = run(ev, { key: 't-7', expression: "%rootResource.id = 'obs'", node: inner, resource: inner, root: bundle, path: 'Bundle.entry[0].resource.contained[0]', elementType: 'Organization' });
    expect(issues).toEqual([]);
  });

  it('turns syntax errors, unknown functions and runtime errors into warnings, never throws', () => {
    const ev = new FhirPathInvariantEvaluator();
    const syntax = run(ev, { key: 'bad-1', expression: 'name.where(', node: patient, elementType: 'Patient' });
    expect(syntax).toHaveLength(1);
    expect(syntax[0]).toMatchObject({ severity: 'warning', code: 'invariant' });
    expect(syntax[0]?.message).toContain('Invariant bad-1 could not be evaluated');
    const unknown = run(ev, { key: 'bad-2', expression: 'name.noSuchFunction()', node: patient, elementType: 'Patient' });
    expect(unknown[0]?.message).toContain('noSuchFunction()');
    const runtime = run(ev, { key: 'bad-3', expression: "name.family.matches('(')", node: patient, elementType: 'Patient' });
    expect(runtime[0]?.severity).toBe('warning');
    expect(run(ev, { key: 'bad-4', expression: 'name.exists()', node: undefined, elementType: 'Patient' })).toBeDefined();
  });

  it('evaluates numeric primitives (a fhirpath.js typed-root bug is avoided)', () => {
    const ev = new FhirPathInvariantEvaluator();
    const rule = { key: 'ras-x', expression: '$this > 0 and $this < 100', path: 'RiskAssessment.prediction[0].probabilityDecimal' };
    expect(run(ev, { ...rule, node: 12.5, elementType: 'decimal' })).toEqual([]);
    expect(run(ev, { ...rule, node: 120, elementType: 'decimal' })).toMatchObject([{ severity: 'error', message: "Constraint failed: ras-x: 'the rule'" }]);
  });

  it('matches() requires the whole string to match, and accepts Java-style escapes', () => {
    const ev = new FhirPathInvariantEvaluator();
    const rule = { key: 'mea-0', expression: "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')", elementType: 'Measure' };
    expect(run(ev, { ...rule, node: { resourceType: 'Measure', name: 'BedCount' } })).toEqual([]);
    expect(run(ev, { ...rule, node: { resourceType: 'Measure', name: 'numTotBeds' } })).toHaveLength(1);
    expect(run(ev, { ...rule, node: { resourceType: 'Measure' } })).toEqual([]); // patched: no name, no breach
    const eld16 = "sliceName.empty() or sliceName.matches('^[a-zA-Z0-9\\\\/\\\\-_\\\\[\\\\]\\\\@]+$')";
    const ed = { path: 'Patient.identifier', sliceName: 'nhs@number' };
    expect(run(ev, { key: 'eld-16', expression: eld16, node: ed, elementType: 'ElementDefinition' })).toEqual([]);
    expect(run(ev, { key: 'eld-16', expression: eld16, node: { ...ed, sliceName: 'nhs number' }, elementType: 'ElementDefinition' })).toHaveLength(1);
  });

  it('resolves references inside a Bundle synchronously (ctm-1)', () => {
    const ev = new FhirPathInvariantEvaluator();
    const careTeam = { resourceType: 'CareTeam', participant: [{ member: { reference: 'urn:uuid:pr' }, onBehalfOf: { reference: 'urn:uuid:org' } }] };
    const bundle = (memberType: string) => ({
      resourceType: 'Bundle',
      entry: [{ fullUrl: 'urn:uuid:pr', resource: { resourceType: memberType, id: 'a' } }, { fullUrl: 'urn:uuid:ct', resource: careTeam }],
    });
    const ctm1 = 'onBehalfOf.exists() implies (member.resolve().iif(empty(), true, ofType(Practitioner).exists()))';
    const args = { key: 'ctm-1', expression: ctm1, node: careTeam.participant[0], resource: careTeam, path: 'Bundle.entry[1].resource.participant[0]', elementType: 'BackboneElement' };
    expect(run(ev, { ...args, root: bundle('Practitioner') })).toEqual([]);
    expect(run(ev, { ...args, root: bundle('Patient') })).toHaveLength(1);
  });

  it('answers memberOf() from local terminology and conformsTo() from a hook or the core type', () => {
    const terminology = new LocalTerminology(new MemoryResolver(coreResources()));
    const ev = new FhirPathInvariantEvaluator({ memberOf: memberOfHook(terminology), conformsTo: (_r, url) => (url === 'http://example.org/p' ? false : undefined) });
    const gender = "gender.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')";
    expect(run(ev, { key: 'm-1', expression: gender, node: { resourceType: 'Patient', gender: 'female' }, elementType: 'Patient' })).toEqual([]);
    expect(run(ev, { key: 'm-1', expression: gender, node: { resourceType: 'Patient', gender: 'woman' }, elementType: 'Patient' })).toHaveLength(1);
    const snomed = "code.memberOf('http://hl7.org/fhir/ValueSet/clinical-findings')";
    const undecided = run(ev, { key: 'm-2', expression: snomed, node: { resourceType: 'Condition', code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] } }, elementType: 'Condition' });
    expect(undecided.map((i) => i.severity)).toEqual(['information', 'error']);
    expect(run(ev, { key: 'c-1', expression: "conformsTo('http://hl7.org/fhir/StructureDefinition/Patient')", node: patient, elementType: 'Patient' })).toEqual([]);
    expect(run(ev, { key: 'c-2', expression: "conformsTo('http://hl7.org/fhir/StructureDefinition/Observation')", node: patient, elementType: 'Patient' })).toHaveLength(1);
    expect(run(ev, { key: 'c-3', expression: "conformsTo('http://example.org/p')", node: patient, elementType: 'Patient' })).toHaveLength(1);
    const assumed = run(ev, { key: 'c-4', expression: "conformsTo('http://example.org/other')", node: patient, elementType: 'Patient' });
    expect(assumed).toHaveLength(1);
    expect(assumed[0]?.message).toContain('assumed true');
  });
});

describe('native core invariants', () => {
  const ev = new FhirPathInvariantEvaluator();
  const fhirpathOnly = new FhirPathInvariantEvaluator({ native: false });
  const ele1 = { key: 'ele-1', expression: 'hasValue() or (children().count() > id.count())', severity: 'error' as const };

  it('ele-1 agrees with the FHIRPath text', () => {
    for (const node of [{ family: 'x' }, { id: 'a' }, { id: 'a', extension: [{ url: 'u', valueString: 'v' }] }]) {
      expect(run(ev, { ...ele1, node, elementType: 'HumanName', path: 'Patient.name[0]' }).length).toBe(
        run(fhirpathOnly, { ...ele1, node, elementType: 'HumanName', path: 'Patient.name[0]' }).length,
      );
    }
    expect(run(ev, { ...ele1, node: { id: 'a' }, elementType: 'HumanName' })).toHaveLength(1);
    expect(run(ev, { ...ele1, node: '', elementType: 'string' })).toHaveLength(1);
  });

  it('ext-1 requires a value or nested extensions, not both', () => {
    const ext1 = { key: 'ext-1', expression: 'extension.exists() != value.exists()', elementType: 'Extension' };
    expect(run(ev, { ...ext1, node: { url: 'u', valueString: 'v' } })).toEqual([]);
    expect(run(ev, { ...ext1, node: { url: 'u' } })).toHaveLength(1);
    expect(run(ev, { ...ext1, node: { url: 'u', valueString: 'v', extension: [{ url: 'x', valueBoolean: true }] } })).toHaveLength(1);
    expect(run(fhirpathOnly, { ...ext1, node: { url: 'u' } })).toHaveLength(1);
  });

  it('cpt-2, qty-3, txt-1 and txt-2 agree with their FHIRPath (patched) text', () => {
    const cases: [string, string, string, unknown][] = [
      ['cpt-2', 'value.empty() or system.exists()', 'ContactPoint', { value: '01234' }],
      ['cpt-2', 'value.empty() or system.exists()', 'ContactPoint', { value: '01234', system: 'phone' }],
      ['cpt-2', 'value.empty() or system.exists()', 'ContactPoint', { use: 'home' }],
      ['qty-3', 'code.empty() or system.exists()', 'Quantity', { value: 1, code: 'mg' }],
      ['qty-3', 'code.empty() or system.exists()', 'Quantity', { value: 1, code: 'mg', system: 'http://unitsofmeasure.org' }],
      ['txt-1', 'htmlChecks()', 'xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"><p>a</p></div>'],
      ['txt-1', 'htmlChecks()', 'xhtml', '<div><script>a</script></div>'],
      ['txt-2', 'htmlChecks()', 'xhtml', '<div xmlns="http://www.w3.org/1999/xhtml"> </div>'],
    ];
    const verdicts = cases.map(([key, expression, elementType, node]) => {
      const a = run(ev, { key, expression, node, elementType, path: 'X' }).length;
      expect(run(fhirpathOnly, { key, expression, node, elementType, path: 'X' }).length, `${key} ${JSON.stringify(node)}`).toBe(a);
      return a;
    });
    expect(verdicts).toEqual([1, 0, 0, 1, 0, 0, 1, 1]);
  });

  it('dom-3 reports each unreferenced contained resource at its own location', () => {
    const dom3 =
      "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()";
    const condition = {
      resourceType: 'Condition',
      subject: { reference: '#pat' },
      contained: [
        { resourceType: 'Patient', id: 'pat' },
        { resourceType: 'Practitioner', id: 'lonely' },
        { resourceType: 'Provenance', id: 'prov', target: [{ reference: '#' }] },
      ],
    };
    const issues = run(ev, { key: 'dom-3', expression: dom3, node: condition, path: 'Condition', elementType: 'Condition' });
    expect(issues.map((i) => i.expression)).toEqual(['Condition.contained[1]']);
    expect(issues[0]?.message).toContain("'lonely'");
    expect(run(fhirpathOnly, { key: 'dom-3', expression: dom3, node: condition, path: 'Condition', elementType: 'Condition' })).toHaveLength(1);
  });
});

describe('patched core invariants', () => {
  const ev = new FhirPathInvariantEvaluator();

  it('que-12 needs enableBehavior from two enableWhen on', () => {
    const que12 = { key: 'que-12', expression: 'enableWhen.count() > 2 implies enableBehavior.exists()', elementType: 'BackboneElement', path: 'Questionnaire.item[0]' };
    const item = { linkId: 'a', type: 'integer', enableWhen: [{ question: 'x', operator: '=', answerInteger: 1 }, { question: 'y', operator: '=', answerInteger: 1 }] };
    const q = { resourceType: 'Questionnaire', status: 'active', item: [item] };
    expect(run(ev, { ...que12, node: item, resource: q, root: q })).toHaveLength(1);
    expect(run(ev, { ...que12, node: { ...item, enableBehavior: 'all' }, resource: q, root: q })).toEqual([]);
  });

  it('ref-1 accepts identifier-only references and checks local ones', () => {
    const ref1 = { key: 'ref-1', expression: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))", elementType: 'Reference' };
    const list = { resourceType: 'List', contained: [{ resourceType: 'Patient', id: 'pat2' }] };
    const at = { resource: list, root: list, path: 'List.subject' };
    expect(run(ev, { ...ref1, ...at, node: { identifier: { value: '1' } } })).toEqual([]);
    expect(run(ev, { ...ref1, ...at, node: { reference: '#pat2' } })).toEqual([]);
    expect(run(ev, { ...ref1, ...at, node: { reference: '#pat' } })).toHaveLength(1);
  });

  it('txt-1 checks markup and txt-2 content, separately', () => {
    const txt1 = { key: 'txt-1', expression: 'htmlChecks()', elementType: 'xhtml', path: 'Patient.text.div' };
    const txt2 = { key: 'txt-2', expression: 'htmlChecks()', elementType: 'xhtml', path: 'Patient.text.div' };
    const good = `<div xmlns="http://www.w3.org/1999/xhtml" xml:lang="en-GB" lang="en-GB"><p>Ann&nbsp;Smith</p></div>`;
    expect([...run(ev, { ...txt1, node: good }), ...run(ev, { ...txt2, node: good })]).toEqual([]);
    const empty = '<div xmlns="http://www.w3.org/1999/xhtml"></div>';
    expect(run(ev, { ...txt1, node: empty })).toEqual([]);
    expect(run(ev, { ...txt2, node: empty })).toHaveLength(1);
    for (const bad of ['<div><script>x</script></div>', '<div><p>unclosed</div>', '<p>not a div</p>', '<div onclick="x()">a</div>']) {
      expect(run(ev, { ...txt1, node: bad })).toHaveLength(1);
      expect(run(ev, { ...txt2, node: bad }), bad).toEqual([]);
    }
    // hostile input is scanned in one pass
    for (const hostile of ['<'.repeat(200_000), '<!--'.repeat(100_000), `<div>${'<p a="1"'.repeat(50_000)}`]) {
      expect(run(ev, { ...txt1, node: hostile })).toHaveLength(1);
    }
  });

  it('que-7 accepts a boolean answer for the exists operator', () => {
    const que7 = { key: 'que-7', expression: "operator = 'exists' implies (answer is Boolean)", elementType: 'BackboneElement', path: 'Questionnaire.item[0].enableWhen[0]' };
    const q = { resourceType: 'Questionnaire', status: 'active' };
    expect(run(ev, { ...que7, node: { question: 'a', operator: 'exists', answerBoolean: true }, resource: q, root: q })).toEqual([]);
    expect(run(ev, { ...que7, node: { question: 'a', operator: 'exists', answerString: 'yes' }, resource: q, root: q })).toHaveLength(1);
  });
});
