/**
 * The version a bound Coding names against the one its value set settles on: the include's version
 * (VALUESET_VALUE_MISMATCH, an error on Coding.version), or for a versionless include the latest loaded
 * version of the code system (VALUESET_VALUE_MISMATCH_DEFAULT, a warning); a version no loaded code system
 * has is UNKNOWN_CODESYSTEM_VERSION on Coding.system (a warning for a code system outside HL7's); with either,
 * the Coding is not a valid code of the value set (Terminology_TX_NoValid_12 on a required binding). Through
 * createValidationService with code systems, value sets and profiles of our own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/validation/index.js';
import { CORE, found, profile, serviceWith } from './helpers.js';

const P = 'http://example.org/StructureDefinition/';
const V = 'http://example.org/ValueSet/';
const CS = 'http://example.org/CodeSystem/versioned';
const RULES = ['VALUESET_VALUE_MISMATCH', 'VALUESET_VALUE_MISMATCH_DEFAULT', 'UNKNOWN_CODESYSTEM_VERSION', 'Terminology_TX_NoValid_12'];

const codeSystem = (file: string, version: string) => ({ [file]: { resourceType: 'CodeSystem', url: CS, version, name: 'Versioned', status: 'active', content: 'complete', caseSensitive: true, concept: [{ code: 'a' }] } });
const bound = (name: string, include: Record<string, unknown>) => ({
  [`vs-${name}.json`]: { resourceType: 'ValueSet', url: `${V}${name}`, name, status: 'active', compose: { include: [include] } },
  [`p-${name}.json`]: profile(`${P}${name}`, 'Encounter', `${CORE}Encounter`, [{ id: 'Encounter.class', path: 'Encounter.class', binding: { strength: 'required', valueSet: `${V}${name}` } }]),
});

let svc: ValidationService;
beforeAll(async () => {
  svc = await serviceWith({
    ...codeSystem('cs1.json', '1.0.0'),
    ...codeSystem('cs2.json', '2.0.0'),
    ...bound('pinned', { system: CS, version: '1.0.0' }),
    ...bound('latest', { system: CS }),
  });
});

const encounter = (name: string, version?: string) => found(svc.validate({ resourceType: 'Encounter', status: 'finished', class: { system: CS, code: 'a', ...(version ? { version } : {}) } }, { profiles: [`${P}${name}`] }), RULES);

describe('the version of a bound Coding', () => {
  it('another version than the include names is an error on the version', () => {
    expect(encounter('pinned', '2.0.0')).toEqual([
      { severity: 'error', rule: 'VALUESET_VALUE_MISMATCH', at: 'Encounter.class.version' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_12', at: 'Encounter.class' },
    ]);
  });

  it('and one no loaded code system has is said on the system as well', () => {
    expect(encounter('pinned', '3.0.0')).toEqual([
      { severity: 'error', rule: 'VALUESET_VALUE_MISMATCH', at: 'Encounter.class.version' },
      { severity: 'warning', rule: 'UNKNOWN_CODESYSTEM_VERSION', at: 'Encounter.class.system' },
      { severity: 'error', rule: 'Terminology_TX_NoValid_12', at: 'Encounter.class' },
    ]);
  });

  it('a versionless include defaults to the latest loaded version: another is a warning', () => {
    expect(encounter('latest', '1.0.0')).toEqual([{ severity: 'warning', rule: 'VALUESET_VALUE_MISMATCH_DEFAULT', at: 'Encounter.class.version' }]);
  });

  it('the version the value set settles on, or none, is fine', () => {
    expect(encounter('pinned', '1.0.0')).toEqual([]);
    expect(encounter('latest', '2.0.0')).toEqual([]);
    expect(encounter('pinned')).toEqual([]);
  });
});
