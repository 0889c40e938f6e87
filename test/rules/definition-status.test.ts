/**
 * The status of the definitions an instance uses: extensions whose definition is deprecated, withdrawn or retired
 * (the reference's checkDefinitionStatus: MSG_DEPENDS_ON_*), and the value sets and code systems of a binding
 * (its terminology layer's checkCanonical: MSG_*). Information only. Through createValidationService with
 * definitions of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simpleExtension } from '../../src/packages/test-fixtures.js';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, hasErrors, profile, serviceWith } from './helpers.js';

const E = 'http://example.org/StructureDefinition/';
const SS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';
const standards = (valueCode: string, reason?: string) => ({
  extension: [{ url: SS, valueCode, ...(reason ? { _valueCode: { extension: [{ url: `${SS}-reason`, valueMarkdown: reason }] } } : {}) }],
});
const CS_ACTIVE = 'http://example.org/CodeSystem/active';
const CS_DRAFT = 'http://example.org/CodeSystem/draft';
const CS_DEPRECATED = 'http://example.org/CodeSystem/deprecated';
const cs = (url: string, status: string, extra: Record<string, unknown> = {}) => ({ resourceType: 'CodeSystem', url, version: '1', name: 'Cs', status, content: 'complete', concept: [{ code: 'a' }], ...extra });
const vs = (url: string, status: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'ValueSet', url, name: 'Vs', status, ...extra, compose: { include: [CS_ACTIVE, CS_DRAFT, CS_DEPRECATED].map((system) => ({ system })) },
});
const bound = (name: string, valueSet: string) => profile(`${E}${name}`, 'Basic', `${CORE}Basic`, [{ id: 'Basic.code', path: 'Basic.code', binding: { strength: 'required', valueSet } }]);

const RULES = ['MSG_DEPENDS_ON_DEPRECATED', 'MSG_DEPENDS_ON_DEPRECATED_NOTE', 'MSG_DEPENDS_ON_WITHDRAWN', 'MSG_DEPENDS_ON_RETIRED', 'MSG_DEPRECATED', 'MSG_WITHDRAWN', 'MSG_RETIRED', 'MSG_DRAFT'];

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    'ext-deprecated.json': simpleExtension(`${E}old`, 'string', standards('deprecated')),
    'ext-noted.json': simpleExtension(`${E}noted`, 'string', standards('deprecated', 'Use the *new* one')),
    'ext-withdrawn.json': simpleExtension(`${E}gone`, 'string', standards('withdrawn')),
    'ext-retired.json': simpleExtension(`${E}retired`, 'string', { status: 'retired' }),
    'ext-draft.json': simpleExtension(`${E}draft`, 'string', { status: 'draft' }),
    'cs-active.json': cs(CS_ACTIVE, 'active'),
    'cs-draft.json': cs(CS_DRAFT, 'draft'),
    'cs-deprecated.json': cs(CS_DEPRECATED, 'active', standards('deprecated')),
    'vs-active.json': vs('http://example.org/ValueSet/active', 'active'),
    'vs-draft.json': vs('http://example.org/ValueSet/draft', 'draft'),
    'vs-retired.json': vs('http://example.org/ValueSet/retired', 'retired'),
    'vs-withdrawn.json': vs('http://example.org/ValueSet/withdrawn', 'active', standards('withdrawn')),
    'p-active.json': bound('on-active', 'http://example.org/ValueSet/active'),
    'p-draft.json': bound('on-draft', 'http://example.org/ValueSet/draft'),
    'p-retired.json': bound('on-retired', 'http://example.org/ValueSet/retired'),
    'p-withdrawn.json': bound('on-withdrawn', 'http://example.org/ValueSet/withdrawn'),
  });
});

describe('extensions whose definition is deprecated, withdrawn or retired', () => {
  const patient = (...urls: string[]) => ({ resourceType: 'Patient', extension: urls.map((url) => ({ url, valueString: 'x' })) });

  it('are a hint each, once per definition, at the extension', () => {
    const outcome = svc.validate(patient(`${E}old`, `${E}noted`, `${E}gone`, `${E}retired`, `${E}draft`, `${E}old`));
    expect(found(outcome, RULES)).toEqual([
      { severity: 'information', rule: 'MSG_DEPENDS_ON_DEPRECATED', at: 'Patient.extension[0]' },
      { severity: 'information', rule: 'MSG_DEPENDS_ON_DEPRECATED_NOTE', at: 'Patient.extension[1]' },
      { severity: 'information', rule: 'MSG_DEPENDS_ON_WITHDRAWN', at: 'Patient.extension[2]' },
      { severity: 'information', rule: 'MSG_DEPENDS_ON_RETIRED', at: 'Patient.extension[3]' },
    ]);
    expect(hasErrors(outcome)).toBe(false);
  });
});

describe('the value set and code systems of a binding', () => {
  const basic = (name: string, system: string) => svc.validate({ resourceType: 'Basic', code: { coding: [{ system, code: 'a' }] } }, { profiles: [`${E}${name}`] });

  it('a retired or withdrawn value set, at the first coding', () => {
    expect(found(basic('on-retired', CS_ACTIVE), RULES)).toEqual([{ severity: 'information', rule: 'MSG_RETIRED', at: 'Basic.code.coding[0]' }]);
    expect(found(basic('on-withdrawn', CS_ACTIVE), RULES)).toEqual([{ severity: 'information', rule: 'MSG_WITHDRAWN', at: 'Basic.code.coding[0]' }]);
  });

  it('a deprecated code system, and a draft one used by a value set that is not a draft, at the value', () => {
    expect(found(basic('on-active', CS_DEPRECATED), RULES)).toEqual([{ severity: 'information', rule: 'MSG_DEPRECATED', at: 'Basic.code' }]);
    expect(found(basic('on-active', CS_DRAFT), RULES)).toEqual([{ severity: 'information', rule: 'MSG_DRAFT', at: 'Basic.code' }]);
    expect(found(basic('on-draft', CS_DRAFT), RULES)).toEqual([]);
    expect(found(basic('on-active', CS_ACTIVE), RULES)).toEqual([]);
  });

  it('stay the same when the same coded values come again (a value found clean before is not checked afresh)', () => {
    for (let round = 0; round < 3; round++) {
      expect(found(basic('on-active', CS_DRAFT), RULES)).toEqual([{ severity: 'information', rule: 'MSG_DRAFT', at: 'Basic.code' }]);
      expect(found(basic('on-active', CS_DEPRECATED), RULES)).toEqual([{ severity: 'information', rule: 'MSG_DEPRECATED', at: 'Basic.code' }]);
      expect(found(basic('on-active', CS_ACTIVE), RULES)).toEqual([]);
      expect(found(basic('on-retired', CS_ACTIVE), RULES)).toEqual([{ severity: 'information', rule: 'MSG_RETIRED', at: 'Basic.code.coding[0]' }]);
    }
  });
});
