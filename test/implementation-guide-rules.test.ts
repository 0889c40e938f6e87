/**
 * ImplementationGuide rules of the reference validator (ImplementationGuideValidator) that need no package
 * registry: FHIR version, dependency URLs, package ids and versions, and HL7 guides' status, work group and
 * maturity. Public Validator with core R4; payloads of our own.
 */
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator } from '../src/validation/index.js';

const validator = new Validator(new MemoryResolver(readCoreR4()));
const RULES = [
  'IG_NO_VERSION', 'IG_DEPENDENCY_CAN_VERSION_NONE', 'IG_DEPENDENCY_CAN_VERSION_ALONE', 'IG_DEPENDENCY_CAN_VERSION_ERROR', 'IG_DEPENDENCY_DIRECT',
  'IG_DEPENDENCY_INVALID_PACKAGEID', 'IG_DEPENDENCY_NO_VERSION', 'IG_DEPENDENCY_INVALID_PACKAGE_VERSION', 'IG_HL7_STANDARDS_STATUS_REQUIRED',
  'IG_HL7_WG_REQUIRED', 'IG_HL7_FMM_SHOULD',
];

function found(input: unknown): string[] {
  return validator
    .validateToIssues(input)
    .filter((i) => RULES.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

const DEP = 'http://example.org/fhir/ImplementationGuide/example.fhir.base';
const ig = (extra: Record<string, unknown>) => ({ resourceType: 'ImplementationGuide', url: 'http://example.org/fhir/ImplementationGuide/example.fhir.guide', name: 'Guide', status: 'draft', packageId: 'example.fhir.guide', fhirVersion: ['4.0.1'], ...extra });
const dep = (d: Record<string, unknown>) => ig({ dependsOn: [d] });

describe('ImplementationGuide', () => {
  it('accepts a dependency with its package id and version', () => {
    expect(found(dep({ uri: DEP, packageId: 'example.fhir.base', version: '1.0.0' }))).toEqual([]);
  });

  it('warns when no FHIR version is stated', () => {
    expect(found(ig({ fhirVersion: undefined }))).toEqual(['warning IG_NO_VERSION ImplementationGuide']);
  });

  it('checks a version given in the canonical URL against the version property', () => {
    expect(found(dep({ uri: `${DEP}|`, packageId: 'example.fhir.base', version: '1.0.0' }))).toEqual(['error IG_DEPENDENCY_CAN_VERSION_NONE ImplementationGuide.dependsOn[0]']);
    expect(found(dep({ uri: `${DEP}|1.0.0`, packageId: 'example.fhir.base' }))).toEqual(['error IG_DEPENDENCY_CAN_VERSION_ALONE ImplementationGuide.dependsOn[0]']);
    expect(found(dep({ uri: `${DEP}|1.0.0`, packageId: 'example.fhir.base', version: '1.0.0' }))).toEqual([]);
    expect(found(dep({ uri: 'http://example.org/fhir|2.0.0', packageId: 'example.fhir.base', version: '1.0.0' }))).toEqual([
      'error IG_DEPENDENCY_CAN_VERSION_ERROR ImplementationGuide.dependsOn[0]',
      'error IG_DEPENDENCY_DIRECT ImplementationGuide.dependsOn[0]',
    ]);
  });

  it('wants the URL of the ImplementationGuide resource itself', () => {
    expect(found(dep({ uri: 'http://example.org/fhir', packageId: 'example.fhir.base', version: '1.0.0' }))).toEqual(['error IG_DEPENDENCY_DIRECT ImplementationGuide.dependsOn[0]']);
  });

  it('checks the package id and version', () => {
    expect(found(dep({ uri: DEP, packageId: 'nodots', version: '1.0.0' }))).toEqual(['error IG_DEPENDENCY_INVALID_PACKAGEID ImplementationGuide.dependsOn[0]']);
    expect(found(dep({ uri: DEP, packageId: 'example.fhir.base' }))).toEqual(['warning IG_DEPENDENCY_NO_VERSION ImplementationGuide.dependsOn[0]']);
    expect(found(dep({ uri: DEP, packageId: 'example.fhir.base', version: '1.0 beta' }))).toEqual(['error IG_DEPENDENCY_INVALID_PACKAGE_VERSION ImplementationGuide.dependsOn[0]']);
    expect(found(dep({ uri: DEP }))).toEqual([]);
  });

  it('requires HL7 guides to state status and work group, and asks for maturity', () => {
    expect(found(ig({ url: 'http://hl7.org/fhir/uv/x/ImplementationGuide/hl7.fhir.uv.x' }))).toEqual([
      'error IG_HL7_STANDARDS_STATUS_REQUIRED ImplementationGuide',
      'error IG_HL7_WG_REQUIRED ImplementationGuide',
      'warning IG_HL7_FMM_SHOULD ImplementationGuide',
    ]);
  });
});
