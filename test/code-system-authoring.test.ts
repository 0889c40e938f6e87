/**
 * CodeSystem authoring rules (the reference validator's CodeSystemValidator): what a code system or a
 * supplement states, stated counts, the all-codes value set, supplements against their base code system,
 * codings that name a supplement, duplicate codes and HL7 expectations. Resources of our own, validated
 * through the Validator with local terminology, as the product wires it.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalResource } from '../src/packages/types.js';
import { LocalTerminology, TerminologyBindingChecker } from '../src/terminology/index.js';
import { Validator } from '../src/validation/validator.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';

type Obj = Record<string, unknown>;

const BASE = 'http://example.org/CodeSystem/triage';
const base: Obj = {
  resourceType: 'CodeSystem', url: BASE, name: 'Triage', status: 'active', content: 'complete', caseSensitive: true, hierarchyMeaning: 'is-a', count: 3,
  valueSet: 'http://example.org/ValueSet/triage-all',
  concept: [{ code: 'red', display: 'Immediate' }, { code: 'amber', display: 'Urgent' }, { code: 'green', display: 'Routine' }],
};
const allCodes: Obj = { resourceType: 'ValueSet', url: 'http://example.org/ValueSet/triage-all', status: 'active', compose: { include: [{ system: BASE }] } };

function validator(...extra: Obj[]): Validator {
  const resolver = new MemoryResolver([...coreResources(), base, allCodes, ...extra] as CanonicalResource[]);
  return new Validator(resolver, { terminology: new TerminologyBindingChecker(new LocalTerminology(resolver)) });
}

/** severity rule@location of every issue but information, or of every issue when `all`. */
function found(resource: Obj, extra: Obj[] = [], all = false): string[][] {
  return validator(...extra)
    .validateToIssues(resource)
    .filter((i) => all || i.severity !== 'information')
    .map((i) => [i.severity, i.rule, i.expression]);
}

const cs = (fields: Obj): Obj => ({ resourceType: 'CodeSystem', url: 'http://example.org/CodeSystem/x', name: 'X', status: 'draft', ...fields });
const supplement = (fields: Obj): Obj => cs({ content: 'supplement', supplements: BASE, ...fields });

describe('what a code system states', () => {
  it('accepts a complete code system whose count matches its concepts, and its all-codes value set', () => {
    expect(found(base)).toEqual([]);
  });

  it('reports a stated count that does not match (complete) or is reached (fragment)', () => {
    expect(found(cs({ content: 'complete', caseSensitive: true, count: 5, concept: [{ code: 'a' }] }))).toEqual([['error', 'CODESYSTEM_CS_COUNT_COMPLETE_WRONG', 'CodeSystem.count']]);
    expect(found(cs({ content: 'fragment', caseSensitive: true, count: 1, concept: [{ code: 'a' }] }))).toEqual([['warning', 'CODESYSTEM_CS_COUNT_FRAGMENT_WRONG', 'CodeSystem.count']]);
    expect(found(cs({ content: 'not-present', caseSensitive: true, count: 0, concept: [{ code: 'a' }] }), [], true)).toEqual([
      ['information', 'CODESYSTEM_CS_COUNT_NOTPRESENT_ZERO', 'CodeSystem.concept'],
      ['error', 'CODESYSTEM_CS_COUNT_NO_CONTENT_ALLOWED', 'CodeSystem.concept[0]'],
    ]);
  });

  it('warns about a complete code system without concepts, and suggests caseSensitive and hierarchyMeaning', () => {
    expect(found(cs({ content: 'complete', caseSensitive: true }))).toEqual([['warning', 'CODESYSTEM_CS_COMPLETE_AND_EMPTY', 'CodeSystem']]);
    expect(found(cs({ content: 'complete', concept: [{ code: 'a', concept: [{ code: 'b' }] }] }), [], true)).toEqual([
      ['information', 'CODESYSTEM_CS_NONHL7_MISSING_ELEMENT', 'CodeSystem'],
      ['information', 'CODESYSTEM_CS_NONHL7_MISSING_ELEMENT', 'CodeSystem'],
    ]);
  });

  it('expects more of HL7 code systems: caseSensitive, content, and a display and definition on concepts (said once)', () => {
    const hl7 = { url: 'http://terminology.hl7.org/CodeSystem/example-x' };
    expect(found(cs({ ...hl7, content: 'complete', concept: [{ code: 'a' }, { code: 'b' }] }))).toEqual([
      ['warning', 'CODESYSTEM_CS_HL7_MISSING_ELEMENT_SHOULD', 'CodeSystem'],
      ['warning', 'CODESYSTEM_CONCEPT_NO_DISPLAY', 'CodeSystem.concept[0]'],
      ['warning', 'CODESYSTEM_CONCEPT_NO_DEFINITION', 'CodeSystem.concept[0]'],
    ]);
    expect(found(cs({ ...hl7, caseSensitive: true, concept: [{ code: 'a', display: 'A', definition: 'A' }] })).filter((f) => f[1]!.includes('CODESYSTEM_'))).toEqual([
      ['error', 'CODESYSTEM_CS_HL7_MISSING_ELEMENT_SHALL', 'CodeSystem'],
    ]);
  });

  it('reports a code defined twice, anywhere in the hierarchy', () => {
    expect(found(cs({ content: 'complete', caseSensitive: true, hierarchyMeaning: 'is-a', concept: [{ code: 'a', concept: [{ code: 'b' }] }, { code: 'b' }] }))).toEqual([
      ['error', 'CODESYSTEM_DUPLICATE_CODE', 'CodeSystem.concept[1]'],
    ]);
  });

  it('checks the all-codes value set: one include of this system, nothing more, an expansion of every concept', () => {
    const named = (vs: Obj): string[][] => found(cs({ content: 'complete', caseSensitive: true, valueSet: 'http://example.org/ValueSet/x-all', concept: [{ code: 'a' }] }), [{ resourceType: 'ValueSet', url: 'http://example.org/ValueSet/x-all', status: 'active', ...vs }]);
    expect(named({ compose: { include: [{ system: 'http://example.org/CodeSystem/x' }] } })).toEqual([]);
    expect(named({ compose: { include: [{ system: 'http://example.org/CodeSystem/x' }, { system: BASE }] } })).toEqual([['error', 'CodeSystem_CS_VS_Invalid', 'CodeSystem']]);
    expect(named({ compose: { include: [{ system: BASE }] } })).toEqual([['error', 'CodeSystem_CS_VS_WrongSystem', 'CodeSystem']]);
    expect(named({ compose: { include: [{ system: 'http://example.org/CodeSystem/x', concept: [{ code: 'a' }] }] } })).toEqual([['error', 'CodeSystem_CS_VS_IncludeDetails', 'CodeSystem']]);
    expect(named({ compose: { include: [{ system: 'http://example.org/CodeSystem/x' }] }, expansion: { timestamp: '2024-01-01', contains: [] } })).toEqual([['error', 'CODESYSTEM_CS_VS_EXP_MISMATCH', 'CodeSystem']]);
    expect(found(cs({ content: 'fragment', caseSensitive: true, valueSet: 'http://example.org/ValueSet/none', concept: [{ code: 'a' }] }), [], true)).toEqual([['information', 'CODESYSTEM_CS_NO_VS_NOTCOMPLETE', 'CodeSystem']]);
  });

  it('hints that a code system is best not contained, except in a Questionnaire', () => {
    const inner = { resourceType: 'CodeSystem', id: 'local', url: 'http://example.org/CodeSystem/local', status: 'draft', content: 'complete', caseSensitive: true, concept: [{ code: 'a' }] };
    const list = { resourceType: 'List', status: 'current', mode: 'working', contained: [inner], entry: [{ item: { reference: '#local' } }] };
    expect(found(list, [], true).filter((f) => f[1]!.includes('CODESYSTEM_'))).toEqual([['information', 'CODESYSTEM_NOT_CONTAINED', 'List.contained[0]']]);
  });
});

describe('properties and designations', () => {
  const CP = 'http://hl7.org/fhir/concept-properties#';

  it('reports property definitions that clash with each other or with the standard properties', () => {
    const props = [
      { code: 'status', uri: `${CP}status`, type: 'code' },
      { code: 'status', uri: 'http://example.org/p/status', type: 'code' },
      { code: 'retired', uri: `${CP}status`, type: 'code' },
      { code: 'inactive', uri: `${CP}inactive`, type: 'string' },
      { code: 'child', uri: `${CP}parent`, type: 'code' },
      { code: 'synonym', type: 'decimal' },
    ];
    expect(found(cs({ content: 'complete', caseSensitive: true, property: props, concept: [{ code: 'a' }] }))).toEqual([
      ['warning', 'CODESYSTEM_PROPERTY_URI_UNKNOWN_TYPE', 'CodeSystem.property[1]'],
      ['error', 'CODESYSTEM_PROPERTY_DUPLICATE_CODE', 'CodeSystem.property[1]'],
      ['error', 'CODESYSTEM_PROPERTY_DUPLICATE_URI', 'CodeSystem.property[2]'],
      ['error', 'CODESYSTEM_PROPERTY_URI_TYPE_MISMATCH', 'CodeSystem.property[3]'],
      ['error', 'CODESYSTEM_PROPERTY_URI_CODE_MISMATCH', 'CodeSystem.property[4]'],
      ['warning', 'CODESYSTEM_PROPERTY_KNOWN_CODE_SUGGESTIVE', 'CodeSystem.property[5]'],
      ['warning', 'CODESYSTEM_PROPERTY_CODE_TYPE_MISMATCH', 'CodeSystem.property[5]'],
    ]);
  });

  it('reports concept property values that are undefined, of the wrong type, or synonyms of nothing', () => {
    const props = [{ code: 'weight', uri: 'http://example.org/p/weight', type: 'integer' }, { code: 'synonym', uri: `${CP}synonym`, type: 'code' }];
    const concept = [{ code: 'a', property: [{ code: 'colour', valueString: 'red' }, { code: 'weight', valueString: 'heavy' }, { code: 'synonym', valueCode: 'zz' }] }];
    expect(found(cs({ content: 'complete', caseSensitive: true, property: props, concept }))).toEqual([
      ['warning', 'CODESYSTEM_PROPERTY_UNDEFINED', 'CodeSystem.concept[0].property[0]'],
      ['error', 'CODESYSTEM_PROPERTY_WRONG_TYPE', 'CodeSystem.concept[0].property[1]'],
      ['error', 'CODESYSTEM_PROPERTY_BAD_INTERNAL_REFERENCE', 'CodeSystem.concept[0].property[2]'],
      ['warning', 'CODESYSTEM_PROPERTY_SYNONYM_CHECK', 'CodeSystem.concept[0].property[2]'],
    ]);
  });

  it('reports property URIs that are relative, squat the HL7 namespace, or point at nothing', () => {
    const props = [
      { code: 'rel', uri: 'weight', type: 'integer' },
      { code: 'squat', uri: 'http://hl7.org/fhir/my-properties#size', type: 'integer' },
      { code: 'elsewhere', uri: 'http://example.org/nowhere#size', type: 'string' },
      { code: 'missing', uri: `${BASE}#nothing`, type: 'string' },
      { code: 'plain', uri: 'http://example.org/p/plain', type: 'string' },
      { code: 'bare', type: 'string' },
    ];
    expect(found(cs({ content: 'complete', caseSensitive: true, property: props, concept: [{ code: 'a' }] }), [], true)).toEqual([
      ['error', 'CODESYSTEM_PROPERTY_ABSOLUTE_URI', 'CodeSystem.property[0]'],
      ['warning', 'CODESYSTEM_PROPERTY_URI_UNKNOWN_BASE', 'CodeSystem.property[1]'],
      ['error', 'CODESYSTEM_PROPERTY_BAD_HL7_URI', 'CodeSystem.property[1]'],
      ['warning', 'CODESYSTEM_PROPERTY_URI_UNKNOWN_BASE', 'CodeSystem.property[2]'],
      ['warning', 'CODESYSTEM_PROPERTY_URI_INVALID', 'CodeSystem.property[3]'],
      ['information', 'CODESYSTEM_PROPERTY_URI_UNKNOWN', 'CodeSystem.property[4]'],
      ['information', 'CODESYSTEM_PROPERTY_UNKNOWN_CODE', 'CodeSystem.property[5]'],
    ]);
  });

  it('accepts a property defined as a concept of another code system, and a code system defining its own HL7 properties', () => {
    const props = [{ code: 'colour', uri: `${BASE}#red`, type: 'string' }];
    expect(found(cs({ content: 'complete', caseSensitive: true, property: props, concept: [{ code: 'a', property: [{ code: 'colour', valueString: 'x' }] }] }))).toEqual([]);
    const own = { resourceType: 'CodeSystem', url: 'http://hl7.org/fhir/own', name: 'Own', status: 'draft', content: 'complete', caseSensitive: true, concept: [{ code: 'a' }] };
    const selfProps = [{ code: 'size', uri: 'http://hl7.org/fhir/own#size', type: 'integer' }];
    expect(found({ ...own, property: selfProps }).filter(([, rule]) => rule === 'CODESYSTEM_PROPERTY_BAD_HL7_URI')).toEqual([]);
  });

  it('reports a concept property without a value (besides the cardinality of value[x])', () => {
    const props = [{ code: 'note', uri: `${CP}comment`, type: 'string' }];
    expect(found(cs({ content: 'complete', caseSensitive: true, property: props, concept: [{ code: 'a', property: [{ code: 'note' }] }] }))).toEqual([
      ['error', 'Validation_VAL_Profile_Minimum', 'CodeSystem.concept[0].property[0]'],
      ['error', 'CODESYSTEM_PROPERTY_NO_VALUE', 'CodeSystem.concept[0].property[0]'],
    ]);
  });

  it('checks code values: hierarchy properties against this system (error), other code properties as a warning', () => {
    const props = [
      { code: 'parent', uri: `${CP}parent`, type: 'code' },
      { code: 'kind', uri: 'http://example.org/p/kind', type: 'code' },
    ];
    const concept = [
      { code: 'a', property: [{ code: 'parent', valueCode: 'b' }, { code: 'kind', valueCode: 'b' }] },
      { code: 'b', property: [{ code: 'parent', valueCode: 'zz' }, { code: 'kind', valueCode: 'yy' }, { code: 'kind', valueCode: 'yy' }] },
    ];
    expect(found(cs({ content: 'complete', caseSensitive: true, property: props, concept }), [], true)).toEqual([
      ['warning', 'CODESYSTEM_PROPERTY_URI_UNKNOWN_TYPE', 'CodeSystem.property[1]'],
      ['information', 'CODESYSTEM_PROPERTY_CODE_DEFAULT_WARNING', 'CodeSystem.property[1]'],
      ['error', 'CODESYSTEM_PROPERTY_BAD_INTERNAL_REFERENCE', 'CodeSystem.concept[1].property[0]'],
      // the same code of the same property is judged once
      ['warning', 'CODESYSTEM_PROPERTY_BAD_INTERNAL_REFERENCE', 'CodeSystem.concept[1].property[1]'],
    ]);
  });

  it('checks code values against the value set the property names, and warns when that value set is unknown', () => {
    const VS = 'http://example.org/ValueSet/triage-all';
    const ext = (url: string) => [{ url: 'http://hl7.org/fhir/StructureDefinition/codesystem-property-valueset', valueCanonical: url }];
    const props = [
      { code: 'triage', uri: 'http://example.org/p/triage', type: 'code', extension: ext(VS) },
      { code: 'other', uri: 'http://example.org/p/other', type: 'code', extension: ext('http://example.org/ValueSet/nowhere') },
    ];
    const concept = [{ code: 'a', property: [{ code: 'triage', valueCode: 'red' }, { code: 'triage', valueCode: 'blue' }, { code: 'other', valueCode: 'q' }] }];
    expect(found(cs({ content: 'complete', caseSensitive: true, property: props, concept }))).toEqual([
      ['warning', 'CODESYSTEM_PROPERTY_URI_UNKNOWN_TYPE', 'CodeSystem.property[0]'],
      ['warning', 'CODESYSTEM_PROPERTY_URI_UNKNOWN_TYPE', 'CodeSystem.property[1]'],
      ['warning', 'CODESYSTEM_PROPERTY_VALUESET_NOT_FOUND', 'CodeSystem.property[1]'],
      ['error', 'CODESYSTEM_PROPERTY_BAD_PROPERTY_CODE', 'CodeSystem.concept[0].property[1]'],
    ]);
  });

  it('judges property codes of a supplement against its base code system', () => {
    const props = [{ code: 'parent', uri: `${CP}parent`, type: 'code' }];
    const concept = [{ code: 'red', property: [{ code: 'parent', valueCode: 'amber' }, { code: 'parent', valueCode: 'purple' }] }];
    expect(found(supplement({ property: props, concept }))).toEqual([['error', 'CODESYSTEM_PROPERTY_BAD_INTERNAL_REFERENCE', 'CodeSystem.concept[0].property[1]']]);
  });

  it('warns about designations without a use that differ from the display in its language', () => {
    const concept = [{ code: 'a', display: 'Arrived', designation: [{ value: 'Came' }] }];
    expect(found(cs({ content: 'complete', caseSensitive: true, concept }))).toEqual([['warning', 'CODESYSTEM_DESIGNATION_DISP_CLASH_NO_LANG', 'CodeSystem.concept[0].designation[0]']]);
    expect(found(cs({ content: 'complete', caseSensitive: true, language: 'en', concept }))).toEqual([['warning', 'CODESYSTEM_DESIGNATION_DISP_CLASH_LANG', 'CodeSystem.concept[0].designation[0]']]);
    // Designations in another language, or with a use, are not the display.
    const more = [{ code: 'a', display: 'Arrived', designation: [{ language: 'de', value: 'Angekommen' }, { language: 'en', value: 'Came', use: { system: 'http://snomed.info/sct', code: '900000000000013009' } }, { language: 'en', value: 'Reached' }] }];
    expect(found(cs({ content: 'complete', caseSensitive: true, language: 'en', concept: more }))).toEqual([['warning', 'CODESYSTEM_DESIGNATION_DISP_CLASH_LANG', 'CodeSystem.concept[0].designation[2]']]);
  });
});

describe('supplements', () => {
  it('accepts a supplement adding designations to codes of its base', () => {
    expect(found(supplement({ concept: [{ code: 'red', designation: [{ language: 'de', value: 'Sofort' }] }] }))).toEqual([]);
  });

  it('reports a supplement that names no base, or that does not say it is a supplement', () => {
    expect(found(cs({ content: 'supplement', concept: [{ code: 'red' }] }))).toEqual([
      ['error', 'CODESYSTEM_CS_HL7_PRESENT_ELEMENT_SUPPL_MISSING', 'CodeSystem.content'],
      ['error', 'CODESYSTEM_CS_SUPP_NO_SUPP', 'CodeSystem'],
    ]);
    expect(found(cs({ content: 'complete', supplements: BASE, concept: [{ code: 'red' }] }))).toEqual([['error', 'CODESYSTEM_CS_HL7_PRESENT_ELEMENT_SUPPL_WRONG', 'CodeSystem.content']]);
    expect(found(supplement({ caseSensitive: true, concept: [{ code: 'red' }] }))).toEqual([['error', 'CODESYSTEM_CS_HL7_PRESENT_ELEMENT_SUPPL', 'CodeSystem.caseSensitive']]);
  });

  it('reports codes its base does not define, and a base that cannot be found', () => {
    expect(found(supplement({ concept: [{ code: 'red' }, { code: 'blue' }] }))).toEqual([['error', 'CODESYSTEM_CS_SUPP_INVALID_CODE', 'CodeSystem.concept[1]']]);
    expect(found(supplement({ supplements: 'http://example.org/CodeSystem/unknown', concept: [{ code: 'red' }] }))).toEqual([['warning', 'CODESYSTEM_CS_SUPP_CANT_CHECK', 'CodeSystem']]);
  });

  it('does not check more than 1000 concepts of a supplement against its base', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ code: `x${i}`, designation: [{ language: 'de', value: 'x' }] }));
    expect(found(supplement({ concept: many }), [], true).filter((f) => f[1]!.includes('SUPP'))).toEqual([['information', 'CODESYSTEM_CS_SUPP_TOO_MANY_CODES', 'CodeSystem']]);
  });

  it('keeps the hierarchyMeaning of its base, and checks its count against the base', () => {
    expect(found(supplement({ hierarchyMeaning: 'part-of', concept: [{ code: 'red' }] }))).toEqual([['error', 'CODESYSTEM_CS_SUPP_HIERARCHY_MEANING', 'CodeSystem']]);
    expect(found(supplement({ count: 1, concept: [{ code: 'red' }] }))).toEqual([['error', 'CODESYSTEM_CS_COUNT_SUPPLEMENT_WRONG', 'CodeSystem.count']]);
  });

  it('says an all-codes value set on a supplement must be the base one, and flags displays that compete with the base', () => {
    expect(found(supplement({ valueSet: 'http://example.org/ValueSet/other', concept: [{ code: 'red', display: 'Now' }] }), [], true)).toEqual([
      ['warning', 'CODESYSTEM_CS_NO_VS_SUPPLEMENT2', 'CodeSystem'],
      ['information', 'CODESYSTEM_SUPP_NO_DISPLAY', 'CodeSystem.concept[0]'],
    ]);
    const noVs = { ...base, url: 'http://example.org/CodeSystem/plain', valueSet: undefined };
    expect(found(supplement({ supplements: 'http://example.org/CodeSystem/plain', valueSet: 'http://example.org/ValueSet/other', concept: [{ code: 'red' }] }), [noVs])).toEqual([['warning', 'CODESYSTEM_CS_NO_VS_SUPPLEMENT1', 'CodeSystem']]);
  });

  it('is not a code system a Coding may name', () => {
    const supp = supplement({ url: 'http://example.org/CodeSystem/triage-de', concept: [{ code: 'red', designation: [{ language: 'de', value: 'Sofort' }] }] });
    const obs = { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://example.org/CodeSystem/triage-de', code: 'red' }] } };
    expect(found(obs, [supp]).filter((f) => f[1]!.includes('SUPPLEMENT'))).toEqual([['error', 'CODESYSTEM_CS_NO_SUPPLEMENT', 'Observation.code.coding[0].system']]);
  });
});
