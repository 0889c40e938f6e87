import { beforeAll, describe, expect, it } from 'vitest';
import { coreResources, MemoryResolver, ukCoreTerminology } from '../../test/support/memory-resolver.js';
import { LocalTerminology } from './local-terminology.js';

let tx: LocalTerminology;

beforeAll(() => {
  tx = new LocalTerminology(new MemoryResolver([...coreResources(), ...ukCoreTerminology()]));
});

function kind(vs: string, system: string | undefined, code: string): string {
  const compiled = tx.valueSet(vs);
  if (!compiled) throw new Error(`no value set ${vs}`);
  return compiled.codes.test(system, code).kind;
}

const GENDER = 'http://hl7.org/fhir/ValueSet/administrative-gender';
const GENDER_CS = 'http://hl7.org/fhir/administrative-gender';

describe('LocalTerminology value set compilation', () => {
  it('includes whole local code systems', () => {
    expect(kind(GENDER, GENDER_CS, 'male')).toBe('member');
    expect(kind(GENDER, GENDER_CS, 'mail')).toBe('absent');
    expect(kind(GENDER, 'http://example.org/other', 'male')).toBe('absent');
    expect(kind(GENDER, undefined, 'unknown')).toBe('member');
  });

  it('honours case sensitivity and says which spelling was meant', () => {
    const m = tx.valueSet(GENDER)?.codes.test(GENDER_CS, 'Male');
    expect(m?.kind).toBe('absent');
    expect(m?.kind === 'absent' && m.hint).toContain("did you mean 'male'");
  });

  it('expands is-a filters and excludes (v3 ActEncounterCode)', () => {
    const vs = 'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode';
    const actCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
    expect(kind(vs, actCode, 'AMB')).toBe('member');
    expect(kind(vs, actCode, 'EMER')).toBe('member');
    expect(kind(vs, actCode, '_ActEncounterCode')).toBe('absent');
    expect(kind(vs, actCode, '_ActAccountCode')).toBe('absent');
    const codes = tx.expand(vs)?.contains?.map((c) => c.code) ?? [];
    expect(codes).toContain('IMP');
    expect(codes).not.toContain('_ActEncounterCode');
  });

  it('expands is-not-a and descendent-of filters', () => {
    const contact = 'http://hl7.org/fhir/ValueSet/patient-contactrelationship';
    const v2 = 'http://terminology.hl7.org/CodeSystem/v2-0131';
    expect(kind(contact, v2, 'C')).toBe('member');
    expect(kind(contact, v2, 'O')).toBe('absent');
    const inactive = tx.expand('http://hl7.org/fhir/ValueSet/inactive');
    expect(inactive?.contains?.length).toBeGreaterThan(0);
    expect(inactive?.contains?.map((c) => c.code)).not.toContain('_ActMoodPredicate');
  });

  it('handles a v2 table', () => {
    const vs = 'http://terminology.hl7.org/ValueSet/v2-0203';
    expect(kind(vs, 'http://terminology.hl7.org/CodeSystem/v2-0203', 'MR')).toBe('member');
    expect(kind(vs, 'http://terminology.hl7.org/CodeSystem/v2-0203', 'NOPE')).toBe('absent');
  });

  it('reports SNOMED CT value sets as undecidable offline, but enumerated SNOMED lists as decidable', () => {
    const findings = tx.valueSet('http://hl7.org/fhir/ValueSet/clinical-findings')?.codes.test('http://snomed.info/sct', '22298006');
    expect(findings?.kind).toBe('unknown');
    expect(findings?.kind === 'unknown' && findings.reason).toContain('SNOMED CT');
    expect(tx.expand('http://hl7.org/fhir/ValueSet/clinical-findings')?.contains).toBeUndefined();
    // UK Core NHS Number Verification Status is an enumerated local system
    const nhsStatus = 'https://fhir.hl7.org.uk/ValueSet/UKCore-NHSNumberVerificationStatus';
    expect(kind(nhsStatus, 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland', '01')).toBe('member');
  });

  it('checks UCUM, MIME types and ISO patterns by their shape', () => {
    const ucum = 'http://hl7.org/fhir/ValueSet/ucum-units';
    expect(kind(ucum, 'http://unitsofmeasure.org', 'mg/dL')).toBe('member');
    expect(kind(ucum, 'http://unitsofmeasure.org', 'mg/dLx')).toBe('absent');
    expect(kind('http://hl7.org/fhir/ValueSet/mimetypes', 'urn:ietf:bcp:13', 'application/fhir+json')).toBe('member');
    expect(kind('http://hl7.org/fhir/ValueSet/mimetypes', 'urn:ietf:bcp:13', 'not a mime type')).toBe('absent');
    expect(kind('http://hl7.org/fhir/ValueSet/iso3166-1-N', 'urn:iso:std:iso:3166', 'GBR')).toBe('absent');
    expect(kind('http://hl7.org/fhir/ValueSet/iso3166-1-N', 'urn:iso:std:iso:3166', '826')).toBe('unknown');
  });

  it('compiles UK Core value sets with several systems and exclusions', () => {
    const ethnic = 'https://fhir.hl7.org.uk/ValueSet/UKCore-EthnicCategory';
    expect(kind(ethnic, 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland', 'A')).toBe('member');
    expect(kind(ethnic, 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland', 'a')).toBe('absent');
    const rel = 'https://fhir.hl7.org.uk/ValueSet/UKCore-PersonRelationshipType';
    expect(kind(rel, 'http://terminology.hl7.org/CodeSystem/v2-0131', 'C')).toBe('member');
    expect(kind(rel, 'http://terminology.hl7.org/CodeSystem/v2-0131', 'O')).toBe('absent');
    expect(kind(rel, 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', 'MTH')).toBe('member');
    expect(kind(rel, 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', '_PersonalRelationshipRoleType')).toBe('absent');
  });

  it('compiles each value set once', () => {
    expect(tx.valueSet(GENDER)).toBe(tx.valueSet(GENDER));
    expect(tx.valueSet('http://example.org/no-such-vs')).toBeUndefined();
  });

  it('resolves implicit code system value sets', () => {
    const all = tx.valueSet('http://snomed.info/sct?fhir_vs');
    expect(all?.codes.test('http://snomed.info/sct', '22298006').kind).toBe('unknown');
  });

  it('compiles every core and UK Core value set without throwing', () => {
    const resolver = tx.resolver;
    let count = 0;
    for (const vs of resolver.all<import('fhir/r4').ValueSet>('ValueSet')) {
      if (!vs.url) continue;
      const compiled = tx.valueSet(vs.url);
      expect(compiled).toBeDefined();
      compiled?.codes.test(undefined, 'x');
      count++;
    }
    expect(count).toBeGreaterThan(1300);
  });
});
