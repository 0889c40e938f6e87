/**
 * Parameters named like a parameter of a core operation (the reference validator's ParametersValidator):
 * information-level hints, through the public Validator with core R4; payloads of our own.
 */
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator } from '../src/validation/index.js';

const validator = new Validator(new MemoryResolver(readCoreR4()));
const RULES = ['PARAMETERS_STD_NO_VALUE', 'PARAMETERS_STD_WRONG_TYPE', 'PARAMETERS_STD_NO_RESOURCE', 'PARAMETERS_STD_RES_WRONG_TYPE', 'PARAMETERS_STD_RES_WRONG_TYPE_MIXED'];

function found(...parameter: unknown[]): string[] {
  return validator
    .validateToIssues({ resourceType: 'Parameters', parameter })
    .filter((i) => RULES.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

describe('Parameters named like core operation parameters', () => {
  it('says nothing of parameters the core operations do not use, or that match them', () => {
    expect(found({ name: 'myOwnThing', valueBoolean: true }, { name: 'code', valueCode: 'x' }, { name: 'url', valueUri: 'http://example.org' })).toEqual([]);
    expect(found({ name: 'valueSet', resource: { resourceType: 'ValueSet', status: 'draft' } })).toEqual([]);
    expect(found({ name: 'additions', resource: { resourceType: 'Patient' } })).toEqual([]);
  });

  it('hints at a value parameter without a value, or with a value of another type', () => {
    expect(found({ name: 'count', part: [{ name: 'x', valueString: 'y' }] })).toEqual(['information PARAMETERS_STD_NO_VALUE Parameters.parameter[0]']);
    expect(found({ name: 'x' }, { name: 'count', valueString: '3' })).toEqual(['information PARAMETERS_STD_WRONG_TYPE Parameters.parameter[1]']);
  });

  it('hints at a resource parameter without a resource, or with a resource of another type', () => {
    expect(found({ name: 'valueSet', valueCanonical: 'http://example.org/vs' })).toEqual(['information PARAMETERS_STD_NO_RESOURCE Parameters.parameter[0]']);
    expect(found({ name: 'valueSet', resource: { resourceType: 'CodeSystem', status: 'draft', content: 'not-present' } })).toEqual(['information PARAMETERS_STD_RES_WRONG_TYPE Parameters.parameter[0]']);
  });

  it('checks a mixed parameter against both the value and the resource types', () => {
    expect(found({ name: 'profile', valueCanonical: 'http://example.org/sd' })).toEqual([]);
    expect(found({ name: 'profile', valueString: 'http://example.org/sd' })).toEqual(['information PARAMETERS_STD_WRONG_TYPE Parameters.parameter[0]']);
    expect(found({ name: 'measure', resource: { resourceType: 'Patient' } })).toEqual(['information PARAMETERS_STD_RES_WRONG_TYPE_MIXED Parameters.parameter[0]']);
  });
});
