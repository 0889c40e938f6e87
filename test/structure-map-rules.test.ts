/**
 * StructureMap rules of the reference validator (StructureMapValidator): imports, groups and inputs, rule
 * sources and targets with their paths against the loaded StructureDefinitions, transforms and their
 * parameters, translate with ConceptMaps, and dependent groups. Public Validator with core R4; maps of our own.
 */
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import type { CanonicalResource } from '../src/packages/types.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator } from '../src/validation/index.js';

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
/** A logical model whose `code` is bound (required) to a value set nobody has. */
const coded = {
  resourceType: 'StructureDefinition', url: 'http://example.org/fhir/StructureDefinition/Coded', name: 'Coded', status: 'draft', kind: 'logical', abstract: false,
  type: 'http://example.org/fhir/StructureDefinition/Coded', baseDefinition: `${CORE}Element`, derivation: 'specialization',
  snapshot: { element: [
    { id: 'Coded', path: 'Coded', min: 0, max: '*' },
    { id: 'Coded.code', path: 'Coded.code', min: 0, max: '1', type: [{ code: 'code' }], binding: { strength: 'required', valueSet: 'http://example.org/fhir/ValueSet/nowhere' } },
  ] },
};
const validator = new Validator(new MemoryResolver([...readCoreR4(), coded] as unknown as CanonicalResource[]));

/** The StructureMap rules (their ids as the reference names them). */
const RULES = [
  'SM_DEPENDENT_PARAM_MODE_MISMATCH',
  'SM_DEPENDENT_PARAM_NOT_FOUND',
  'SM_DEPENDENT_PARAM_TYPE_MISMATCH',
  'SM_DEPENDENT_PARAM_TYPE_MISMATCH_DUPLICATE',
  'SM_GROUP_INPUT_DUPLICATE',
  'SM_GROUP_INPUT_MODE_INVALID',
  'SM_GROUP_INPUT_MODE_MISMATCH',
  'SM_GROUP_INPUT_NO_TYPE',
  'SM_GROUP_INPUT_TYPE_UNKNOWN_STRUCTURE',
  'SM_GROUP_INPUT_TYPE_UNKNOWN_TYPE',
  'SM_IMPORT_NOT_FOUND',
  'SM_LIST_RULE_ID_ONLY_WHEN_SHARE',
  'SM_MATCHING_RULEGROUP_NOT_FOUND',
  'SM_NAME_INVALID',
  'SM_NO_LIST_MODE_NEEDED',
  'SM_NO_LIST_RULE_ID_NEEDED',
  'SM_ORPHAN_GROUP',
  'SM_RULEGROUP_NOT_FOUND',
  'SM_RULEGROUP_PARAM_COUNT_MISMATCH',
  'SM_RULE_SOURCE_MAX_REDUNDANT',
  'SM_RULE_SOURCE_MIN_REDUNDANT',
  'SM_RULE_SOURCE_UNASSIGNED',
  'SM_SOURCE_CONTEXT_UNKNOWN',
  'SM_SOURCE_PATH_INVALID',
  'SM_SOURCE_TYPE_INVALID',
  'SM_SOURCE_TYPE_NOT_FOUND',
  'SM_TARGET_CONTEXT_UNKNOWN',
  'SM_TARGET_NO_TRANSFORM_NO_CHECKED',
  'SM_TARGET_PATH_INVALID',
  'SM_TARGET_PATH_MULTIPLE_MATCHES',
  'SM_TARGET_TRANSFORM_EXPRESSION_ERROR',
  'SM_TARGET_TRANSFORM_MISSING_PARAMS',
  'SM_TARGET_TRANSFORM_NOT_CHECKED',
  'SM_TARGET_TRANSFORM_PARAM_COUNT_RANGE',
  'SM_TARGET_TRANSFORM_PARAM_COUNT_SINGLE',
  'SM_TARGET_TRANSFORM_PARAM_UNPROCESSIBLE',
  'SM_TARGET_TRANSFORM_TRANSLATE_CM_BAD_MODE',
  'SM_TARGET_TRANSFORM_TRANSLATE_CM_NOT_FOUND',
  'SM_TARGET_TRANSFORM_TRANSLATE_NO_PARAM',
  'SM_TARGET_TRANSFORM_TRANSLATE_UNKNOWN_SOURCE',
  'SM_TARGET_TRANSFORM_TYPE_UNKNOWN',
  'SM_TARGET_TRANSFORM_TYPE_UNPROCESSIBLE',
  'SM_TARGET_TRANSLATE_BINDING_SOURCE',
  'SM_TARGET_TRANSLATE_BINDING_TARGET',
  'SM_TARGET_TRANSLATE_BINDING_VS_SOURCE',
  'SM_TARGET_TRANSLATE_BINDING_VS_TARGET',
  'SM_TARGET_TYPE_MULTIPLE_POSSIBLE',
  'SM_TARGET_TYPE_NOT_FOUND',
  'SM_TARGET_TYPE_UNKNOWN',
];

function found(map: unknown): string[] {
  return validator
    .validateToIssues(map)
    .filter((i) => RULES.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

type J = Record<string, unknown>;
const STRUCTURES = [
  { url: `${CORE}Patient`, mode: 'source', alias: 'Pat' },
  { url: `${CORE}Patient`, mode: 'target', alias: 'PatT' },
  { url: `${CORE}Person`, mode: 'target', alias: 'Per' },
  { url: `${CORE}Bundle`, mode: 'target', alias: 'Bun' },
];
const map = (group: J[], extra: J = {}) => ({ resourceType: 'StructureMap', url: 'http://example.org/fhir/StructureMap/m', name: 'M', status: 'draft', structure: STRUCTURES, group, ...extra });
const inputs = (target = 'Per') => [{ name: 'src', type: 'Pat', mode: 'source' }, { name: 'tgt', type: target, mode: 'target' }];
const group = (rule: J[], extra: J = {}) => ({ name: 'main', typeMode: 'none', input: inputs(), rule, ...extra });
const src = (element: string, variable?: string, extra: J = {}) => ({ context: 'src', element, ...(variable ? { variable } : {}), ...extra });
const tgt = (element: string, extra: J = {}) => ({ context: 'tgt', contextType: 'variable', element, ...extra });
const rule = (name: string, source: J[], target: J[] = [], extra: J = {}) => ({ name, source, target, ...extra });
const G = 'StructureMap.group[0]';
const R = `${G}.rule[0]`;

describe('StructureMap: a sound map', () => {
  it('says nothing of a map whose paths, transforms and calls fit', () => {
    const m = map([
      group([
        rule('name', [src('name', 'n')], [tgt('name', { transform: 'copy', parameter: [{ valueId: 'n' }] })]),
        rule('addr', [src('address', 'a')], [tgt('address', { variable: 'b' })], { dependent: [{ name: 'address', variable: ['a', 'b'] }] }),
      ]),
      { name: 'address', typeMode: 'none', input: [{ name: 'a', mode: 'source' }, { name: 'b', mode: 'target' }], rule: [rule('city', [{ context: 'a', element: 'city', variable: 'c' }], [{ context: 'b', contextType: 'variable', element: 'city', transform: 'copy', parameter: [{ valueId: 'c' }] }])] },
    ]);
    expect(found(m)).toEqual([]);
  });
});

describe('StructureMap: imports, groups and inputs', () => {
  it('warns of an import nothing matches', () => {
    expect(found(map([group([])], { import: ['http://example.org/fhir/StructureMap/none'] }))).toEqual(['warning SM_IMPORT_NOT_FOUND StructureMap.import[0]']);
  });

  it('checks group and rule names, and what a group extends', () => {
    expect(found(map([group([], { name: 'main-1' })]))).toEqual([`error SM_NAME_INVALID ${G}`]);
    expect(found(map([group([], { extends: 'nothing' })]))).toEqual([`error SM_RULEGROUP_NOT_FOUND ${G}.extends`]);
    expect(found(map([group([rule('a b', [src('name', 'n')])])]))).toEqual([`error SM_NAME_INVALID ${R}`]);
  });

  it('checks input names, modes and types', () => {
    expect(found(map([group([], { input: [...inputs(), { name: 'src', type: 'Pat', mode: 'source' }] })]))).toEqual([`error SM_GROUP_INPUT_DUPLICATE ${G}.input[2]`]);
    expect(found(map([group([], { input: [...inputs(), { name: 'other', type: 'Pat', mode: 'sideways' }] })])).filter((f) => f.includes('SM_'))).toEqual([`error SM_GROUP_INPUT_MODE_INVALID ${G}.input[2]`]);
    expect(found(map([group([], { input: [...inputs(), { name: 'x', type: 'Nope', mode: 'source' }] })]))).toEqual([`error SM_GROUP_INPUT_TYPE_UNKNOWN_TYPE ${G}.input[2]`]);
    const unknownStructure = [...STRUCTURES, { url: 'http://example.org/fhir/StructureDefinition/none', mode: 'source', alias: 'None' }];
    expect(found(map([group([], { input: [...inputs(), { name: 'x', type: 'None', mode: 'source' }] })], { structure: unknownStructure }))).toEqual([`warning SM_GROUP_INPUT_TYPE_UNKNOWN_STRUCTURE ${G}.input[2]`]);
    expect(found(map([group([], { input: [{ name: 'src', type: 'Pat', mode: 'target' }] })]))).toEqual([`error SM_GROUP_INPUT_MODE_MISMATCH ${G}.input[0]`]);
  });

  it('warns of an input without a type, and hints at a group nobody calls once something failed', () => {
    const untyped = { name: 'loose', typeMode: 'none', input: [{ name: 'a', mode: 'source' }], rule: [] };
    expect(found(map([group([]), untyped]))).toEqual(['warning SM_GROUP_INPUT_NO_TYPE StructureMap.group[1].input[0]']);
    expect(found(map([group([], { name: 'bad-name' }), untyped]))).toEqual([
      `error SM_NAME_INVALID ${G}`,
      'information SM_ORPHAN_GROUP StructureMap.group[1]',
      'warning SM_GROUP_INPUT_NO_TYPE StructureMap.group[1].input[0]',
    ]);
  });
});

describe('StructureMap: rule sources', () => {
  it('checks the context and the path', () => {
    expect(found(map([group([rule('r', [{ context: 'nobody', element: 'name', variable: 'n' }])])]))).toEqual([`error SM_SOURCE_CONTEXT_UNKNOWN ${R}.source[0]`]);
    expect(found(map([group([rule('r', [src('nope', 'n')])])]))).toEqual([`error SM_SOURCE_PATH_INVALID ${R}.source[0]`]);
    expect(found(map([group([rule('r', [src('name')])])]))).toEqual([`information SM_RULE_SOURCE_UNASSIGNED ${R}.source[0]`]);
  });

  it('checks the type and cardinality against the element', () => {
    expect(found(map([group([rule('r', [src('name', 'n', { type: 'Quantity' })])])]))).toEqual([`error SM_SOURCE_TYPE_INVALID ${R}.source[0]`]);
    expect(found(map([group([rule('r', [src('name', 'n', { type: 'HumanName' })])])]))).toEqual([]);
    expect(found(map([group([rule('r', [src('gender', 'g', { max: '2' })])])]))).toEqual([`warning SM_RULE_SOURCE_MAX_REDUNDANT ${R}.source[0]`]);
    // Patient.link.other is required, so a source under it with min 0 says less than the definition
    const nested = rule('link', [src('link', 'l')], [], { rule: [rule('other', [{ context: 'l', element: 'other', variable: 'o' }], [], { rule: [rule('ref', [{ context: 'o', element: 'reference', variable: 'r', min: 0 }])] })] });
    expect(found(map([group([nested])]))).toEqual([`information SM_RULE_SOURCE_MIN_REDUNDANT ${R}.rule[0].rule[0].source[0]`]);
  });

  it('warns when a path under a choice could be several elements', () => {
    const r = rule('d', [src('deceased', 'd')], [], { rule: [rule('v', [{ context: 'd', element: 'value', variable: 'v' }])] });
    expect(found(map([group([r])]))).toEqual([`warning SM_TARGET_PATH_MULTIPLE_MATCHES ${R}.rule[0].source[0]`]);
  });
});

describe('StructureMap: rule targets', () => {
  const T = `${R}.target[0]`;
  const one = (target: J, source: J = src('name', 'n')) => map([group([rule('r', [source], [target])])]);

  it('checks the context and the path', () => {
    expect(found(one({ context: 'src', contextType: 'variable', element: 'name' }))).toEqual([`error SM_TARGET_CONTEXT_UNKNOWN ${T}`]);
    expect(found(one(tgt('nope')))).toEqual([`error SM_TARGET_PATH_INVALID ${T}`]);
  });

  it('checks list modes against the rule', () => {
    expect(found(one(tgt('name', { listMode: ['first'], listRuleId: 'x' })))).toEqual([`warning SM_LIST_RULE_ID_ONLY_WHEN_SHARE ${T}`]);
    expect(found(one(tgt('gender', { listMode: ['share'], listRuleId: 'x' }), src('gender', 'g')))).toEqual([`warning SM_NO_LIST_MODE_NEEDED ${T}`, `warning SM_NO_LIST_RULE_ID_NEEDED ${T}`]);
  });

  it('counts the parameters of each transform', () => {
    expect(found(one(tgt('name', { parameter: [{ valueId: 'n' }] })))).toEqual([`error SM_TARGET_NO_TRANSFORM_NO_CHECKED ${T}`]);
    expect(found(one(tgt('name', { transform: 'create', parameter: [{ valueString: 'HumanName' }, { valueString: 'x' }] })))).toEqual([`error SM_TARGET_TRANSFORM_PARAM_COUNT_RANGE ${T}`]);
    expect(found(one(tgt('name', { transform: 'create', parameter: [{}] })))).toEqual([`warning SM_TARGET_TRANSFORM_TYPE_UNPROCESSIBLE ${T}`]);
    expect(found(one(tgt('active', { transform: 'evaluate', parameter: [{ valueId: 'n' }, { valueString: 'true' }] })))).toEqual([`error SM_TARGET_TRANSFORM_PARAM_COUNT_SINGLE ${T}`]);
    expect(found(one(tgt('active', { transform: 'evaluate', parameter: [{}] })))).toEqual([`error SM_TARGET_TRANSFORM_PARAM_UNPROCESSIBLE ${T}`]);
    expect(found(one(tgt('active', { transform: 'evaluate', parameter: [{ valueString: 'n.where(' }] })))).toEqual([`error SM_TARGET_TRANSFORM_EXPRESSION_ERROR ${T}`]);
    expect(found(one(tgt('active', { transform: 'evaluate', parameter: [{ valueString: "n.exists() and n.family = 'x'" }] })))).toEqual([]);
    expect(found(one(tgt('photo', { transform: 'uuid', parameter: [{ valueString: 'x' }] })))).toEqual([`error SM_TARGET_TRANSFORM_MISSING_PARAMS ${T}`]);
    expect(found(one(tgt('photo', { transform: 'truncate', parameter: [{ valueId: 'n' }, { valueInteger: 3 }] })))).toEqual([`warning SM_TARGET_TRANSFORM_NOT_CHECKED ${T}`]);
    expect(found(one(tgt('telecom', { transform: 'cc', parameter: [{}] })))).toEqual([`error SM_TARGET_TRANSFORM_MISSING_PARAMS ${T}`, `error SM_TARGET_TRANSFORM_TRANSLATE_NO_PARAM ${T}`]);
  });

  it('checks the parameters of translate', () => {
    const translate = (parameter: J[]) => one(tgt('gender', { transform: 'translate', parameter }), src('gender', 'g'));
    expect(found(translate([{ valueId: 'g' }, { valueString: 'http://example.org/cm' }]))).toEqual([`error SM_TARGET_TRANSFORM_MISSING_PARAMS ${T}`]);
    expect(found(translate([{ valueId: 'zz' }, { valueString: 'http://example.org/cm' }, { valueString: 'code' }]))).toEqual([`error SM_TARGET_TRANSFORM_TRANSLATE_UNKNOWN_SOURCE ${T}`]);
    expect(found(translate([{ valueId: 'g' }, { valueString: 'http://example.org/cm' }, { valueString: 'banana' }]))).toEqual([`error SM_TARGET_TRANSFORM_TRANSLATE_CM_BAD_MODE ${T}`]);
    expect(found(translate([{}, { valueString: 'http://example.org/cm' }, { valueString: 'code' }]))).toEqual([`error SM_TARGET_TRANSFORM_TRANSLATE_NO_PARAM ${T}`, `warning SM_TARGET_TRANSFORM_TRANSLATE_CM_NOT_FOUND ${T}`]);
  });

  it('checks the bindings a translate maps between', () => {
    const cm = { resourceType: 'ConceptMap', id: 'cm', status: 'draft' };
    const withCm = (m: J) => ({ ...m, contained: [cm] });
    const p = (v: string) => [{ valueId: v }, { valueString: '#cm' }, { valueString: 'code' }];
    expect(found(withCm(one(tgt('gender', { transform: 'translate', parameter: p('g') }), src('gender', 'g'))))).toEqual([]);
    expect(found(withCm(one(tgt('gender', { transform: 'translate', parameter: p('n') }))))).toEqual([`warning SM_TARGET_TRANSLATE_BINDING_SOURCE ${T}`]);
    expect(found(withCm(one(tgt('name', { transform: 'translate', parameter: p('g') }), src('gender', 'g'))))).toEqual([`warning SM_TARGET_TRANSLATE_BINDING_TARGET ${T}`]);
    const codedMap = (parameter: J[]) => withCm(map([{ name: 'main', typeMode: 'none', input: [{ name: 'src', type: 'CodedS', mode: 'source' }, { name: 'tgt', type: 'CodedT', mode: 'target' }], rule: [rule('r', [src('code', 'c')], [tgt('code', { transform: 'translate', parameter })])] }], {
      structure: [{ url: coded.url, mode: 'source', alias: 'CodedS' }, { url: coded.url, mode: 'target', alias: 'CodedT' }],
    }));
    expect(found(codedMap(p('c')))).toEqual([`warning SM_TARGET_TRANSLATE_BINDING_VS_SOURCE ${T}`, `warning SM_TARGET_TRANSLATE_BINDING_VS_TARGET ${T}`]);
  });

  it('checks the type a new target variable takes', () => {
    expect(found(map([group([rule('r', [src('name', 'n')], [{ transform: 'create', parameter: [{ valueString: 'Nope' }], variable: 'x' }])])]))).toEqual([`error SM_TARGET_TYPE_UNKNOWN ${T}`]);
    const toPatient = (target: J[]) => map([{ ...group([rule('r', [src('name', 'n')], target)]), input: inputs('PatT') }]);
    expect(found(toPatient([tgt('deceased', { transform: 'create', variable: 'd' })]))).toEqual([`warning SM_TARGET_TYPE_MULTIPLE_POSSIBLE ${T}`]);
    const toBundle = map([{ ...group([rule('r', [src('name', 'n')], [tgt('entry', { variable: 'e' }), { context: 'e', contextType: 'variable', element: 'resource', transform: 'create', parameter: [{ valueString: 'Nope' }], variable: 'r' }])]), input: inputs('Bun') }]);
    expect(found(toBundle)).toEqual([`error SM_TARGET_TRANSFORM_TYPE_UNKNOWN ${R}.target[1]`]);
  });
});

describe('StructureMap: dependent groups', () => {
  const D = `${R}.dependent[0]`;
  const helper = (input: J[]) => ({ name: 'helper', typeMode: 'none', input, rule: [] });
  const calling = (variable: string[], helperInputs: J[]) => map([group([rule('r', [src('name', 'n')], [tgt('name', { variable: 't' })], { dependent: [{ name: 'helper', variable }] })]), helper(helperInputs)]);

  it('checks the group exists and takes as many parameters', () => {
    expect(found(map([group([rule('r', [src('name', 'n')], [], { dependent: [{ name: 'nothing', variable: ['n'] }] })])]))).toEqual([`error SM_RULEGROUP_NOT_FOUND ${D}`]);
    // A group never called successfully is checked last, without input types (and the failure earns the hint).
    const orphan = ['information SM_ORPHAN_GROUP StructureMap.group[1]', 'warning SM_GROUP_INPUT_NO_TYPE StructureMap.group[1].input[0]'];
    expect(found(calling(['n'], [{ name: 'a', mode: 'source' }, { name: 'b', mode: 'target' }]))).toEqual([`error SM_RULEGROUP_PARAM_COUNT_MISMATCH ${D}`, ...orphan, 'warning SM_GROUP_INPUT_NO_TYPE StructureMap.group[1].input[1]']);
  });

  it('checks each parameter against the input it fills', () => {
    const orphan = ['information SM_ORPHAN_GROUP StructureMap.group[1]', 'warning SM_GROUP_INPUT_NO_TYPE StructureMap.group[1].input[0]'];
    expect(found(calling(['zz'], [{ name: 'a', mode: 'source' }]))).toEqual([`error SM_DEPENDENT_PARAM_NOT_FOUND ${D}.variable[0]`, ...orphan]);
    expect(found(calling(['n'], [{ name: 'a', mode: 'target' }]))).toEqual([`error SM_DEPENDENT_PARAM_NOT_FOUND ${D}.variable[0]`, ...orphan]);
    expect(found(calling(['t'], [{ name: 'a', mode: 'source', type: 'Address' }]))).toEqual([`error SM_DEPENDENT_PARAM_TYPE_MISMATCH ${D}.variable[0]`]);
    expect(found(calling(['t'], [{ name: 'a', mode: 'source', type: 'HumanName' }]))).toEqual([]);
    // An input of no valid mode is still a variable, of neither mode
    const odd = map([
      group([rule('r', [src('name', 'n')], [], { dependent: [{ name: 'helper', variable: ['odd'] }] })], { input: [...inputs(), { name: 'odd', type: 'Pat', mode: 'sideways' }] }),
      helper([{ name: 'a', mode: 'target' }]),
    ]);
    expect(found(odd).filter((f) => f.includes('DEPENDENT'))).toEqual([`error SM_DEPENDENT_PARAM_MODE_MISMATCH ${D}.variable[0]`]);
  });

  it('warns when a group is called with parameters of different types', () => {
    const twice = map([
      group([rule('r', [src('name', 'n')], [], { dependent: [{ name: 'helper', variable: ['n'] }] }), rule('s', [src('address', 'a')], [], { dependent: [{ name: 'helper', variable: ['a'] }] })]),
      helper([{ name: 'x', mode: 'source' }]),
    ]);
    expect(found(twice)).toEqual([`warning SM_DEPENDENT_PARAM_TYPE_MISMATCH_DUPLICATE ${G}.rule[1].dependent[0]`]);
  });

  it('looks for a default group for an implied dependent rule', () => {
    const auto = (source: J, target: J) => map([{ ...group([rule('r', [source], [target], { dependent: [{ name: 'DefaultMappingGroupAnonymousAlias', variable: ['vvv', 'vvv'] }] })]), input: inputs('PatT') }]);
    expect(found(auto(src('name', 'vvv'), tgt('name', { variable: 'vvv' })))).toEqual([`error SM_MATCHING_RULEGROUP_NOT_FOUND ${D}`]);
    expect(found(auto(src('deceased', 'vvv'), tgt('name', { variable: 'vvv' })))).toEqual([`error SM_SOURCE_TYPE_NOT_FOUND ${D}`]);
    expect(found(auto(src('name', 'vvv'), tgt('deceased', { variable: 'vvv' }))).filter((f) => !f.includes('MULTIPLE_POSSIBLE'))).toEqual([`error SM_TARGET_TYPE_NOT_FOUND ${D}`]);
    const withDefault = map([
      { ...group([rule('r', [src('name', 'vvv')], [tgt('name', { variable: 'vvv' })], { dependent: [{ name: 'DefaultMappingGroupAnonymousAlias', variable: ['vvv', 'vvv'] }] })]), input: inputs('PatT') },
      { name: 'names', typeMode: 'types', input: [{ name: 's', type: 'HumanName', mode: 'source' }, { name: 't', type: 'HumanName', mode: 'target' }], rule: [] },
    ]);
    expect(found(withDefault)).toEqual([]);
  });
});
