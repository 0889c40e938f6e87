/**
 * Publication rules the reference validator applies to every canonical resource (InstanceValidator
 * checkSpecials / checkPublisherConsistency): status against standards-status, and for HL7's own canonical
 * URLs the work group against the publisher and contact. Public Validator with core R4; payloads of our own.
 */
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator } from '../src/validation/index.js';

const validator = new Validator(new MemoryResolver(readCoreR4()));
const RULES = [
  'VALIDATION_VAL_STATUS_INCONSISTENT', 'VALIDATION_VAL_STATUS_INCONSISTENT_HINT', 'VALIDATION_HL7_PUBLISHER_MULTIPLE_WGS', 'VALIDATION_HL7_WG_UNKNOWN',
  'VALIDATION_HL7_PUBLISHER_MISSING', 'VALIDATION_HL7_PUBLISHER_MISMATCH', 'VALIDATION_HL7_PUBLISHER_MISMATCH2', 'VALIDATION_HL7_WG_URL',
];
const SS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';
const WG = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-wg';

function found(input: unknown): string[] {
  return validator
    .validateToIssues(input)
    .filter((i) => RULES.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

const library = (extra: Record<string, unknown>) => ({ resourceType: 'Library', status: 'active', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/library-type', code: 'logic-library' }] }, ...extra });
const PAGE = [{ telecom: [{ system: 'url', value: 'http://www.hl7.org/Special/committees/fiwg' }] }];

describe('status and standards status', () => {
  it('warns when they are inconsistent and hints when they may be', () => {
    expect(found(library({ extension: [{ url: SS, valueCode: 'normative' }] }))).toEqual([]);
    expect(found(library({ status: 'retired', extension: [{ url: SS, valueCode: 'normative' }] }))).toEqual(['warning VALIDATION_VAL_STATUS_INCONSISTENT Library']);
    expect(found(library({ status: 'draft', extension: [{ url: SS, valueCode: 'trial-use' }] }))).toEqual(['information VALIDATION_VAL_STATUS_INCONSISTENT_HINT Library']);
  });

  it('applies to canonical resources only', () => {
    expect(found({ resourceType: 'Patient', extension: [{ url: SS, valueCode: 'normative' }] }).filter((f) => f.includes('STATUS'))).toEqual([]);
  });
});

describe('HL7 work group and publisher', () => {
  const hl7 = (extra: Record<string, unknown>) => library({ url: 'http://hl7.org/fhir/Library/x', contact: PAGE, ...extra });

  it('accepts a work group with its publisher and page, and says nothing without a work group', () => {
    expect(found(hl7({ extension: [{ url: WG, valueCode: 'fhir' }], publisher: 'HL7 International / FHIR Infrastructure' }))).toEqual([]);
    expect(found(hl7({ publisher: 'Someone' }))).toEqual([]);
    expect(found(library({ url: 'http://example.org/Library/x', extension: [{ url: WG, valueCode: 'nope' }] }))).toEqual([]);
  });

  it('reports several work groups and an unknown one', () => {
    const two = [{ url: WG, valueCode: 'fhir' }, { url: WG, valueCode: 'oo' }];
    expect(found(hl7({ extension: two, publisher: 'HL7 International / FHIR Infrastructure' }))).toEqual([
      'error VALIDATION_HL7_PUBLISHER_MULTIPLE_WGS Library',
      'error VALIDATION_HL7_PUBLISHER_MISMATCH Library',
    ]);
    expect(found(hl7({ extension: [{ url: WG, valueCode: 'nope' }] }))).toEqual(['error VALIDATION_HL7_WG_UNKNOWN Library']);
  });

  it('checks the publisher against the work group (an error when it names an HL7 group, else a warning)', () => {
    const ext = [{ url: WG, valueCode: 'fhir' }];
    expect(found(hl7({ extension: ext }))).toEqual(['warning VALIDATION_HL7_PUBLISHER_MISSING Library']);
    expect(found(hl7({ extension: ext, publisher: 'HL7 International / Pharmacy' }))).toEqual(['error VALIDATION_HL7_PUBLISHER_MISMATCH Library']);
    expect(found(hl7({ extension: ext, publisher: 'HL7' }))).toEqual(['warning VALIDATION_HL7_PUBLISHER_MISMATCH Library']);
    expect(found(hl7({ extension: [{ url: WG, valueCode: 'vocab' }], publisher: 'HL7 International / Pharmacy', contact: [] }))).toEqual([
      'error VALIDATION_HL7_PUBLISHER_MISMATCH2 Library',
      'warning VALIDATION_HL7_WG_URL Library',
    ]);
  });

  it('wants the work group page among the contact URLs', () => {
    expect(found(hl7({ extension: [{ url: WG, valueCode: 'fhir' }], publisher: 'HL7 International / FHIR Infrastructure', contact: [] }))).toEqual(['warning VALIDATION_HL7_WG_URL Library']);
  });
});
