import { beforeAll, describe, expect, it } from 'vitest';
import { coreResources, MemoryResolver, ukCoreTerminology } from '../../test/support/memory-resolver.js';
import type { ValidationIssue } from '../plugin-types/index.js';
import { TerminologyBindingChecker } from './binding-checker.js';
import { LocalTerminology } from './local-terminology.js';

let checker: TerminologyBindingChecker;

beforeAll(() => {
  checker = new TerminologyBindingChecker(new LocalTerminology(new MemoryResolver([...coreResources(), ...ukCoreTerminology()])));
});

const OBS_STATUS = 'http://hl7.org/fhir/ValueSet/observation-status';
const GENDER = 'http://hl7.org/fhir/ValueSet/administrative-gender';
const MARITAL = 'http://hl7.org/fhir/ValueSet/marital-status';
const V3_MARITAL = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';
const path = 'Observation.status';

function severities(issues: ValidationIssue[]): string[] {
  return issues.map((i) => `${i.severity}:${i.code}`);
}

describe('TerminologyBindingChecker', () => {
  it('accepts a code in a required value set', () => {
    expect(checker.check({ valueSet: OBS_STATUS, strength: 'required', value: 'final', path })).toEqual([]);
  });

  it('grades a code outside the value set by binding strength', () => {
    const bad = { valueSet: OBS_STATUS, value: 'done', path };
    const required = checker.check({ ...bad, strength: 'required' });
    // Why the code's system could not be inferred (not-found, as the reference types it), then the binding finding.
    expect(severities(required)).toEqual(['error:not-found', 'error:code-invalid']);
    expect(required[0]?.rule).toBe('UNABLE_TO_INFER_CODESYSTEM');
    expect(required[1]?.message).toContain("The code 'done' is not in the value set");
    expect(required[1]?.message).toContain(OBS_STATUS);
    expect(required[0]?.expression).toBe(path);
    expect(severities(checker.check({ ...bad, strength: 'extensible' }))).toEqual(['warning:code-invalid']);
    expect(severities(checker.check({ ...bad, strength: 'preferred' }))).toEqual(['information:code-invalid']);
    expect(checker.check({ ...bad, strength: 'example' })).toEqual([]);
  });

  it('passes a CodeableConcept when any coding is in the value set', () => {
    const value = {
      coding: [
        { system: 'http://example.org/local', code: 'X1' },
        { system: V3_MARITAL, code: 'M' },
      ],
    };
    expect(checker.check({ valueSet: MARITAL, strength: 'required', value, path: 'Patient.maritalStatus' })).toEqual([]);
    const none = checker.check({ valueSet: MARITAL, strength: 'extensible', value: { coding: [{ system: V3_MARITAL, code: 'Q' }] }, path: 'Patient.maritalStatus' });
    // unknown code in a complete code system is an error on the coding, plus the binding warning
    expect(severities(none)).toEqual(['error:code-invalid', 'warning:code-invalid']);
    expect(none[0]?.expression).toBe('Patient.maritalStatus.coding[0].code');
    expect(none[1]?.expression).toBe('Patient.maritalStatus');
  });

  it('requires a code for a text-only CodeableConcept on a required binding', () => {
    const issues = checker.check({ valueSet: MARITAL, strength: 'required', value: { text: 'married' }, path: 'Patient.maritalStatus' });
    expect(severities(issues)).toEqual(['error:code-invalid']);
  });

  it('rejects a wrong display, accepting any case of the right one but not other spacing', () => {
    const coding = { system: 'http://hl7.org/fhir/administrative-gender', code: 'male', display: 'Man' };
    const issues = checker.check({ valueSet: GENDER, strength: 'required', value: coding, path: 'x' });
    // A coding with a wrong display is not a valid code of the value set either.
    expect(severities(issues)).toEqual(['error:invalid', 'error:code-invalid']);
    expect(issues[0]?.message).toContain("valid display is 'Male'");
    expect(issues[0]?.expression).toBe('x.display');
    expect(issues[1]?.message).toContain('display');
    expect(checker.check({ valueSet: GENDER, strength: 'required', value: { ...coding, display: 'MALE' }, path: 'x' })).toEqual([]);
    // As the reference does: a display that differs in whitespace only is wrong, under a rule of its own.
    const spaced = checker.check({ valueSet: GENDER, strength: 'required', value: { ...coding, display: ' male ' }, path: 'x' });
    expect(spaced.map((i) => [i.severity, i.rule, i.expression])[0]).toEqual(['error', 'Display_Name_WS_for__should_be_one_of__instead_of', 'x.display']);
  });

  it('judges displays in the requested languages only', () => {
    const relationship = 'http://hl7.org/fhir/ValueSet/patient-contactrelationship';
    const coding = (display: string) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C', display }] });
    const at = (display: string, displayLanguages?: string[]) =>
      checker.check({ valueSet: relationship, strength: 'extensible', value: coding(display), path: 'r', ...(displayLanguages ? { displayLanguages } : {}) });
    expect(at('Ansprechpartner in Notfällen', ['en', 'de'])).toEqual([]);
    expect(at('Contact bij nood')).toEqual([]);
    const otherLanguage = at('Contact bij nood', ['en', 'de']);
    expect(severities(otherLanguage)).toEqual(['warning:invalid']);
    const wrong = at('alt-display', ['en', 'de']);
    expect(severities(wrong)).toEqual(['error:invalid', 'warning:code-invalid']);
    expect(wrong[0]?.message).toContain("one of 2 choices: 'Emergency Contact' (en) or 'Ansprechpartner in Notfällen' (de)");
    expect(wrong[0]?.message).toContain("(for the language(s) 'en, de')");
  });

  it('only warns about a display when no complete local code system knows every designation of the code', () => {
    const valueSetResource = {
      resourceType: 'ValueSet',
      status: 'active',
      compose: { include: [{ system: 'http://snomed.info/sct', concept: [{ code: '103228002', display: 'Blood oxygen saturation' }] }] },
    };
    const issues = checker.check({
      valueSet: '#spo2',
      valueSetResource,
      strength: 'required',
      value: { coding: [{ system: 'http://snomed.info/sct', code: '103228002', display: 'Hemoglobin saturation with oxygen' }] },
      path: 'o',
    });
    expect(severities(issues)).toEqual(['warning:invalid']);
  });

  it('checks against a value set given as a resource, with the displays of its expansion', () => {
    const valueSetResource = {
      resourceType: 'ValueSet',
      id: 'relationships',
      status: 'draft',
      expansion: {
        timestamp: '2019-05-23T10:18:03Z',
        contains: [
          { system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'C', display: 'alt-display' },
          { system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N', designation: [{ value: 'alt-designation' }] },
        ],
      },
    };
    const check = (code: string, display: string) =>
      checker.check({ valueSet: '#relationships', valueSetResource, strength: 'required', value: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code, display }] }, path: 'r', displayLanguages: ['en'] });
    expect(check('C', 'alt-display')).toEqual([]);
    expect(check('N', 'alt-designation')).toEqual([]);
    expect(severities(check('O', 'Other'))).toEqual(['error:code-invalid']);
  });

  it('flags unknown codes of complete code systems even for example bindings', () => {
    const coding = { system: 'http://hl7.org/fhir/administrative-gender', code: 'Male' };
    const issues = checker.check({ valueSet: GENDER, strength: 'example', value: coding, path: 'x' });
    expect(severities(issues)).toEqual(['error:code-invalid']);
    expect(issues[0]?.message).toContain("did you mean 'male'");
    expect(checker.checkCoding(coding, 'x')).toEqual(issues);
  });

  it('reports SNOMED CT codes as not checkable offline', () => {
    const value = { coding: [{ system: 'http://snomed.info/sct', code: '22298006' }] };
    const issues = checker.check({ valueSet: 'http://hl7.org/fhir/ValueSet/clinical-findings', strength: 'required', value, path: 'Condition.code' });
    expect(severities(issues)).toEqual(['information:informational']);
    expect(issues[0]?.message).toContain('SNOMED CT');
    expect(checker.check({ valueSet: 'http://hl7.org/fhir/ValueSet/clinical-findings', strength: 'preferred', value, path: 'x' })).toEqual([]);
  });

  it('rejects SNOMED CT codes that are not valid identifiers, offline', () => {
    const vs = 'http://hl7.org/fhir/ValueSet/clinical-findings';
    const issues = checker.check({ valueSet: vs, strength: 'required', value: { coding: [{ system: 'http://snomed.info/sct', code: '22298007' }] }, path: 'Condition.code' });
    expect(issues.map((i) => `${i.severity}:${i.expression}`)).toEqual(['error:Condition.code.coding[0].code', 'error:Condition.code']);
    expect(issues[0]?.message).toContain('check digit');
    expect(checker.checkCoding({ system: 'https://dmd.nhs.uk', code: '322236009' }, 'm')).toEqual([]);
    expect(severities(checker.checkCoding({ system: 'https://dmd.nhs.uk', code: '322236008' }, 'm'))).toEqual(['error:code-invalid']);
  });

  it('rejects LOINC codes with a wrong check digit, offline', () => {
    expect(checker.checkCoding({ system: 'http://loinc.org', code: '8310-5' }, 'Observation.code.coding[0]')).toEqual([]);
    const bad = checker.checkCoding({ system: 'http://loinc.org', code: '8310-4' }, 'Observation.code.coding[0]');
    expect(bad.map((i) => `${i.severity}:${i.expression}`)).toEqual(['error:Observation.code.coding[0].code']);
    expect(bad[0]?.message).toContain('LOINC');
  });

  it('warns when the bound value set is unknown', () => {
    const issues = checker.check({ valueSet: 'http://example.org/ValueSet/none', strength: 'required', value: 'x', path: 'x' });
    expect(severities(issues)).toEqual(['warning:not-found']);
  });

  it('accepts the FHIR format shorthands where a MIME type is required', () => {
    const vs = 'http://hl7.org/fhir/ValueSet/mimetypes';
    for (const code of ['xml', 'json', 'application/fhir+json']) expect(checker.check({ valueSet: vs, strength: 'required', value: code, path: 'f' }), code).toEqual([]);
    expect(severities(checker.check({ valueSet: vs, strength: 'required', value: 'yaml', path: 'f' }))).toContain('error:code-invalid');
  });

  it('checks UCUM units of a Quantity', () => {
    const vs = 'http://hl7.org/fhir/ValueSet/ucum-units';
    expect(checker.check({ valueSet: vs, strength: 'required', value: { system: 'http://unitsofmeasure.org', code: 'kg/m2' }, path: 'q' })).toEqual([]);
    const bad = checker.check({ valueSet: vs, strength: 'required', value: { system: 'http://unitsofmeasure.org', code: 'kilos' }, path: 'q' });
    // Not a UCUM unit (the code system's finding), hence not in the value set either (the binding's).
    expect(bad.map((i) => [i.severity, i.rule, i.expression])).toEqual([
      ['error', 'Unknown_Code_in', 'q.code'],
      ['error', 'Terminology_TX_NoValid_12', 'q'],
    ]);
    expect(bad[1]?.message).toContain('not a valid UCUM unit');
  });

  it('validates UK Core bindings', () => {
    const vs = 'https://fhir.hl7.org.uk/ValueSet/UKCore-EthnicCategory';
    const system = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland';
    expect(checker.check({ valueSet: vs, strength: 'extensible', value: { coding: [{ system, code: 'A', display: 'White - British' }] }, path: 'e' })).toEqual([]);
    expect(severities(checker.check({ valueSet: vs, strength: 'extensible', value: { coding: [{ system, code: 'ZZ' }] }, path: 'e' }))).toEqual([
      'error:code-invalid',
      'warning:code-invalid',
    ]);
  });

  it('warns about a Coding with a code and no system', () => {
    const issues = checker.checkCoding({ code: 'male' }, 'QuestionnaireResponse.item[0].answer[0].value.ofType(Coding)');
    expect(severities(issues)).toEqual(['warning:code-invalid']);
    expect(issues[0]?.message).toContain('no system');
    expect(checker.checkCoding({ system: 'http://hl7.org/fhir/administrative-gender', code: 'male' }, 'x')).toEqual([]);
  });

  it('counts a Coding without a system as outside the value set', () => {
    const issues = checker.check({ valueSet: GENDER, strength: 'extensible', value: { coding: [{ code: 'male' }] }, path: 'g' });
    // As the reference's terminology layer: the coding cannot be validated, and no coding is in the value set.
    expect(issues.map((i) => [i.severity, i.rule, i.expression])).toEqual([['warning', 'Coding_has_no_system__cannot_validate', 'g.coding[0]'], ['warning', 'Terminology_TX_NoValid_2_CC', 'g']]);
    expect(issues[1]?.message).toContain('a coding without a system');
    // A Coding of its own without a system is not checked against the value set at all (only warned about).
    expect(checker.check({ valueSet: GENDER, strength: 'required', value: { code: 'male' }, path: 'c' }).map((i) => [i.severity, i.rule, i.expression])).toEqual([['warning', 'TERMINOLOGY_TX_SYSTEM_NO_CODE', 'c']]);
    expect(checker.check({ valueSet: GENDER, strength: 'required', value: 'male', path: 'g' })).toEqual([]);
  });

  it('never throws on malformed values', () => {
    for (const value of [null, 42, { coding: 'nope' }, { coding: [null, 7] }, [], {}] as unknown[]) {
      expect(() => checker.check({ valueSet: GENDER, strength: 'required', value: value as string, path: 'x' })).not.toThrow();
    }
  });
});
