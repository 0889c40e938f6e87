import { describe, expect, it } from 'vitest';
import { checkCodeSystemProperties } from './code-system-rules.js';
import type { Report } from '../plugin-types/index.js';

function findings(cs: Record<string, unknown>): string[] {
  const out: string[] = [];
  const report: Report = (severity, _code, path, message) => out.push(`${severity} ${path}: ${message}`);
  checkCodeSystemProperties({ resourceType: 'CodeSystem', url: 'http://example.org/cs', ...cs }, 'CodeSystem', () => undefined, report);
  return out;
}

describe('CodeSystem property and designation rules', () => {
  it('warns about standard property codes declared without the standard URI, and their type', () => {
    const out = findings({ property: [{ code: 'synonym', type: 'decimal' }, { code: 'inactive', type: 'boolean' }, { code: 'local', type: 'string' }] });
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^warning CodeSystem.property\[0\]: .*standard code \('synonym'\) but not the standard URI/);
    expect(out[1]).toMatch(/^warning CodeSystem.property\[0\]: Wrong type 'decimal'.*'code'/);
    expect(out[2]).toMatch(/^warning CodeSystem.property\[1\]: .*standard code \('inactive'\)/);
  });

  it('warns about concept properties with no definition, and synonyms that name no code', () => {
    const out = findings({
      property: [{ uri: 'http://hl7.org/fhir/concept-properties#synonym', code: 'synonym', type: 'code' }],
      concept: [
        { code: 'a', property: [{ code: 'undeclared', valueString: 'x' }, { code: 'synonym', valueCode: 'b' }, { code: 'synonym', valueCode: 'zz' }] },
        { code: 'b' },
      ],
    });
    expect(out.map((o) => o.slice(0, o.indexOf(':')))).toEqual(['warning CodeSystem.concept[0].property[0]', 'warning CodeSystem.concept[0].property[2]']);
    expect(out[1]).toContain("The synonym 'zz'");
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
    expect(out.map((o) => o.slice(0, o.indexOf(':')))).toEqual(['warning CodeSystem.concept[0].designation[0]', 'warning CodeSystem.concept[0].designation[1]']);
    expect(findings({ concept: [concept] }).map((o) => o.slice(0, o.indexOf(':')))).toEqual(['warning CodeSystem.concept[0].designation[0]']);
  });
});
