import { describe, expect, it } from 'vitest';
import { checkCodeSystemProperties } from './code-system-rules.js';
import type { Report } from '../plugin-types/index.js';

function findings(cs: Record<string, unknown>): string[] {
  const out: string[] = [];
  const report: Report = (rule, severity, _code, path, message) => out.push(`${severity} ${path} ${rule}: ${message}`);
  checkCodeSystemProperties({ resourceType: 'CodeSystem', url: 'http://example.org/cs', ...cs }, 'CodeSystem', () => undefined, report);
  return out;
}

describe('CodeSystem property and designation rules', () => {
  it('warns about standard property codes declared without the standard URI, and their type', () => {
    const out = findings({ property: [{ code: 'synonym', type: 'decimal' }, { code: 'inactive', type: 'boolean' }, { code: 'local', type: 'string' }] });
    expect(out.map((o) => o.slice(0, o.indexOf(':')))).toEqual([
      'warning CodeSystem.property[0] CODESYSTEM_PROPERTY_KNOWN_CODE_SUGGESTIVE',
      'warning CodeSystem.property[0] CODESYSTEM_PROPERTY_CODE_TYPE_MISMATCH',
      'warning CodeSystem.property[1] CODESYSTEM_PROPERTY_KNOWN_CODE_SUGGESTIVE',
    ]);
  });

  it('warns about concept properties with no definition, and synonyms that name no code', () => {
    const out = findings({
      property: [{ uri: 'http://hl7.org/fhir/concept-properties#synonym', code: 'synonym', type: 'code' }],
      concept: [
        { code: 'a', property: [{ code: 'undeclared', valueString: 'x' }, { code: 'synonym', valueCode: 'b' }, { code: 'synonym', valueCode: 'zz' }] },
        { code: 'b' },
      ],
    });
    expect(out.map((o) => o.slice(0, o.indexOf(':')))).toEqual(['warning CodeSystem.concept[0].property[0] CODESYSTEM_PROPERTY_UNDEFINED', 'warning CodeSystem.concept[0].property[2] CODESYSTEM_PROPERTY_SYNONYM_CHECK']);
  });

  it('warns about designations without a use in the display language that differ from the display', () => {
    const concept = {
      code: 'a',
      display: 'Test Code',
      designation: [
        { value: 'Another text' },
        { language: 'en-US', value: 'US text' },
        { language: 'en-AU', value: 'AU text' },
        { language: 'en-US', value: 'Used text', use: { system: 'http://snomed.info/sct', code: '900000000000013009' } },
        { value: 'Test Code' },
      ],
    };
    const out = findings({ language: 'en-US', concept: [concept] });
    expect(out.map((o) => o.slice(0, o.indexOf(':')))).toEqual(['warning CodeSystem.concept[0].designation[0] CODESYSTEM_DESIGNATION_DISP_CLASH_LANG', 'warning CodeSystem.concept[0].designation[1] CODESYSTEM_DESIGNATION_DISP_CLASH_LANG']);
    expect(findings({ concept: [concept] }).map((o) => o.slice(0, o.indexOf(':')))).toEqual(['warning CodeSystem.concept[0].designation[0] CODESYSTEM_DESIGNATION_DISP_CLASH_NO_LANG']);
  });
});
