/**
 * HTML character entities (`&reg;`, `&nbsp;`) in narrative XHTML. FHIR's XHTML is XML without a DTD, so only
 * XML's five predefined entities and character references exist there. As the reference validator does:
 * in JSON, each one in Narrative.div is an error (XHTML_XHTML_Entity_Illegal) and validation goes on; in an
 * XML document the XML parser cannot read past it, so the outcome is one fatal issue; the conformance runner
 * scores that outcome instead of calling the case unloadable.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { runCase, type SuiteCase } from '../src/validation/conformance/index.js';
import { createValidationService, type ValidationService } from '../src/validation/index.js';
import { conformanceDefaults } from './conformance/defaults.js';
import { ruleIdOf } from './support/rule-ids.js';

const XHTML = 'http://www.w3.org/1999/xhtml';

let service: ValidationService;
beforeAll(async () => {
  service = await createValidationService();
});

describe('HTML entities in a JSON narrative', () => {
  const patient = (div: string): string => JSON.stringify({ resourceType: 'Patient', text: { status: 'generated', div }, active: true });
  const rules = (div: string): (string | undefined)[][] =>
    service
      .validateText(patient(div))
      .outcome.issue.filter((i) => i.severity !== 'information')
      .map((i) => [i.severity, ruleIdOf(i), i.expression?.[0]]);

  it('reports each HTML entity as an error at the div and goes on validating', () => {
    expect(rules(`<div xmlns="${XHTML}">Brand&reg; name&nbsp;here</div>`)).toEqual([
      ['error', 'XHTML_XHTML_Entity_Illegal', 'Patient.text.div'],
      ['error', 'XHTML_XHTML_Entity_Illegal', 'Patient.text.div'],
    ]);
  });

  it('accepts the predefined XML entities and character references', () => {
    expect(rules(`<div xmlns="${XHTML}">A &amp; B &lt;3 &#174; &#xA0;&quot;&apos;&gt;</div>`)).toEqual([]);
  });
});

describe('HTML entities in an XML document', () => {
  const xml = `<Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/><div xmlns="${XHTML}">Brand&reg;</div></text><active value="true"/></Patient>`;

  it('is one fatal issue, as an XML parser without a DTD rejects the document', () => {
    const issues = service.validateText(xml).outcome.issue;
    expect(issues.map((i) => [i.severity, ruleIdOf(i)])).toEqual([['fatal', 'Error_parsing_']]);
  });

  describe('in the conformance runner', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ads-fhir-entities-'));
      mkdirSync(join(dir, 'validator'));
      writeFileSync(join(dir, 'validator', 'entity.xml'), xml);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('scores the fatal outcome instead of failing to load the case', () => {
      const expected = { issue: [{ severity: 'fatal', expression: ['(xml)'] }] };
      const c: SuiteCase = {
        name: 'entity', tier: 'A-offline-core', file: 'entity.xml', fmt: 'xml', module: 'xhtml', supporting: [], allowedExtensionDomains: [],
        noHtmlInMarkdown: false, bundleProfiles: [], validateReference: false,
        steps: [{ kind: 'base', supporting: [], expected, assumeValidRestReferences: false }],
      };
      const result = runCase(c, { dir, core: readCoreR4(), ...conformanceDefaults() });
      expect(result.status).toBe('ran');
      expect(result.steps[0]!.issues.map((i) => [i.severity, i.rule])).toEqual([['fatal', 'Error_parsing_']]);
      expect([result.L1, result.L2]).toEqual([true, true]);
    });
  });
});
