/**
 * OperationDefinition rules of the reference validator (OperationDefinitionValidator): circular `base`
 * chains and the input/output profiles against the parameters. Public Validator with core R4 and a
 * Parameters profile of our own (snapshot written out).
 */
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import type { CanonicalResource } from '../src/packages/types.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator } from '../src/validation/index.js';

const PROFILE = 'http://example.org/fhir/StructureDefinition/lookup-in';
const el = (path: string, extra: Record<string, unknown> = {}) => ({ id: path, path, min: 0, max: '1', ...extra });
/** Slice `a`: one string or code value; slice `b`: a Reference to Patient. */
const profile = {
  resourceType: 'StructureDefinition', url: PROFILE, name: 'LookupIn', status: 'draft', kind: 'resource', abstract: false, type: 'Parameters',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Parameters', derivation: 'constraint',
  snapshot: {
    element: [
      el('Parameters', { max: '*' }),
      el('Parameters.parameter', { max: '*', slicing: { discriminator: [{ type: 'value', path: 'name' }], rules: 'open' } }),
      el('Parameters.parameter:a', { path: 'Parameters.parameter', sliceName: 'a', min: 1, max: '1' }),
      el('Parameters.parameter:a.name', { path: 'Parameters.parameter.name', min: 1, fixedString: 'a', type: [{ code: 'string' }] }),
      el('Parameters.parameter:a.value[x]', { path: 'Parameters.parameter.value[x]', min: 1, type: [{ code: 'string' }, { code: 'code' }] }),
      el('Parameters.parameter:a.resource', { path: 'Parameters.parameter.resource', max: '0', type: [{ code: 'Resource' }] }),
      el('Parameters.parameter:a.part', { path: 'Parameters.parameter.part', max: '0' }),
      el('Parameters.parameter:b', { path: 'Parameters.parameter', sliceName: 'b', max: '1' }),
      el('Parameters.parameter:b.name', { path: 'Parameters.parameter.name', min: 1, fixedString: 'b', type: [{ code: 'string' }] }),
      el('Parameters.parameter:b.value[x]', { path: 'Parameters.parameter.value[x]', min: 1, type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Patient'] }] }),
      el('Parameters.parameter:b.resource', { path: 'Parameters.parameter.resource', max: '0', type: [{ code: 'Resource' }] }),
      el('Parameters.parameter:b.part', { path: 'Parameters.parameter.part', max: '0' }),
    ],
  },
};
const LOOP_A = 'http://example.org/fhir/OperationDefinition/loop-a';
const LOOP_B = 'http://example.org/fhir/OperationDefinition/loop-b';
const opdef = (extra: Record<string, unknown>) => ({ resourceType: 'OperationDefinition', name: 'Lookup', status: 'draft', kind: 'operation', code: 'lookup', system: false, type: true, instance: false, resource: ['Patient'], ...extra });
const loopB = opdef({ url: LOOP_B, base: LOOP_A });
const loopA = opdef({ url: LOOP_A, base: LOOP_B });

const validator = new Validator(new MemoryResolver([...readCoreR4(), profile, loopA, loopB] as unknown as CanonicalResource[]));
const RULES = [
  'OPDEF_CIRCULAR_DEFINITION', 'OPDEF_PROFILE_NOT_FOUND', 'OPDEF_PROFILE_NOT_PARAMETERS', 'OPDEF_PROFILE_NO_SLICE', 'OPDEF_PROFILE_NOT_IN_PARAM',
  'OPDEF_PROFILE_NOT_IN_PROFILE', 'OPDEF_PROFILE_NOT_VALUE_MISMATCH', 'OPDEF_PROFILE_TYPE_NOT_IN_PARAMS', 'OPDEF_PROFILE_TYPE_NOT_IN_PROFILE',
  'OPDEF_PROFILE_PROFILE_NOT_IN_PROFILE', 'OPDEF_PROFILE_PROFILE_NOT_IN_PARAMS',
];

function found(input: unknown): string[] {
  return validator
    .validateToIssues(input)
    .filter((i) => RULES.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

const A = { name: 'a', use: 'in', min: 1, max: '1', type: 'string', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/operationdefinition-allowed-type', valueUri: 'string' }, { url: 'http://hl7.org/fhir/StructureDefinition/operationdefinition-allowed-type', valueUri: 'code' }] };
const B = { name: 'b', use: 'in', min: 0, max: '1', type: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Patient'] };
const OUT = { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle' };

describe('OperationDefinition base', () => {
  it('reports a chain of base definitions that comes back to the operation', () => {
    expect(found(opdef({ url: LOOP_A, base: LOOP_B }))).toEqual(['error OPDEF_CIRCULAR_DEFINITION OperationDefinition']);
    expect(found(opdef({ url: 'http://example.org/fhir/OperationDefinition/other', base: LOOP_B }))).toEqual([]);
  });
});

describe('OperationDefinition input profile', () => {
  it('accepts a profile that matches the parameters', () => {
    expect(found(opdef({ inputProfile: PROFILE, parameter: [A, B, OUT] }))).toEqual([]);
  });

  it('requires a known profile on Parameters', () => {
    expect(found(opdef({ inputProfile: 'http://example.org/fhir/StructureDefinition/none', parameter: [A, B] }))).toEqual(['error OPDEF_PROFILE_NOT_FOUND OperationDefinition.inputProfile']);
    expect(found(opdef({ inputProfile: 'http://hl7.org/fhir/StructureDefinition/Patient', parameter: [A, B] }))).toEqual(['error OPDEF_PROFILE_NOT_PARAMETERS OperationDefinition.inputProfile']);
  });

  it('matches slices with parameters both ways', () => {
    const C = { name: 'c', use: 'in', min: 0, max: '1', type: 'string' };
    expect(found(opdef({ inputProfile: PROFILE, parameter: [A, C] }))).toEqual([
      'warning OPDEF_PROFILE_NOT_IN_PARAM OperationDefinition.inputProfile',
      'warning OPDEF_PROFILE_NOT_IN_PROFILE OperationDefinition.inputProfile.parameter[1]',
    ]);
  });

  it('compares cardinality, types and target profiles', () => {
    expect(found(opdef({ inputProfile: PROFILE, parameter: [{ ...A, min: 0 }, B] }))).toEqual(['error OPDEF_PROFILE_NOT_VALUE_MISMATCH OperationDefinition.inputProfile.parameter[0]']);
    const onlyString = { name: 'a', use: 'in', min: 1, max: '1', type: 'string' };
    expect(found(opdef({ inputProfile: PROFILE, parameter: [onlyString, B] }))).toEqual(['error OPDEF_PROFILE_TYPE_NOT_IN_PARAMS OperationDefinition.inputProfile.parameter[0]']);
    const uriToo = { ...A, extension: [...A.extension, { url: 'http://hl7.org/fhir/StructureDefinition/operationdefinition-allowed-type', valueUri: 'uri' }] };
    expect(found(opdef({ inputProfile: PROFILE, parameter: [uriToo, B] }))).toEqual(['error OPDEF_PROFILE_TYPE_NOT_IN_PROFILE OperationDefinition.inputProfile.parameter[0]']);
    expect(found(opdef({ inputProfile: PROFILE, parameter: [A, { ...B, targetProfile: ['http://hl7.org/fhir/StructureDefinition/Group'] }] }))).toEqual([
      'error OPDEF_PROFILE_PROFILE_NOT_IN_PROFILE OperationDefinition.inputProfile.parameter[1]',
      'error OPDEF_PROFILE_PROFILE_NOT_IN_PARAMS OperationDefinition.inputProfile.parameter[1]',
    ]);
  });

  it('reports a slice that does not constrain the parameter name', () => {
    const noName = { ...profile, url: `${PROFILE}-2`, snapshot: { element: profile.snapshot.element.filter((e) => e.id !== 'Parameters.parameter:b.name') } };
    const v = new Validator(new MemoryResolver([...readCoreR4(), noName] as unknown as CanonicalResource[]));
    const issues = v.validateToIssues(opdef({ inputProfile: noName.url, parameter: [A] })).filter((i) => RULES.includes(i.rule));
    expect(issues.map((i) => `${i.severity} ${i.rule} ${i.expression}`)).toEqual(['error OPDEF_PROFILE_NO_SLICE OperationDefinition.inputProfile']);
  });
});
