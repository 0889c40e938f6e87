import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OperationOutcomeIssue } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_ID_EXTENSION, OWN_RULE_PREFIXES, RULE_SYSTEM } from '../src/plugin-types/index.js';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { coreSearchParameters } from '../src/validation/core-resolver.js';
import { loadSuite, runCase } from '../src/validation/conformance/index.js';
import { createValidationService, type ValidationService } from '../src/validation/index.js';
import { conformanceDefaults } from './conformance/defaults.js';

// Every issue the validator emits carries a stable rule id (docs/validation.md, "Rule ids"): in the
// OperationOutcome as the operationoutcome-message-id extension and as details.coding.

const root = path.resolve(import.meta.dirname, '..');
const suiteDir = path.resolve(root, '..', 'shared', 'fhir-test-cases');

/** A reference message key, a `<canonical>#<key>` invariant id, or one of ours (ADSFHIR_, UK_, ADS_). */
const RULE_ID = /^(?:[A-Za-z_][A-Za-z0-9_]*|[a-z]+:\S+#[A-Za-z0-9.-]+)$/;

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return jsonFiles(full);
    return d.name.endsWith('.json') && !d.name.endsWith('.expect.json') ? [full] : [];
  });
}

/** What is wrong with an OperationOutcome issue's rule id, if anything. */
function ruleProblem(i: OperationOutcomeIssue): string | undefined {
  const fromExtension = i.extension?.find((e) => e.url === MESSAGE_ID_EXTENSION)?.valueString;
  const fromCoding = i.details?.coding?.find((c) => c.system === RULE_SYSTEM)?.code;
  if (!fromExtension) return 'no message-id extension';
  if (fromCoding !== fromExtension) return `details.coding ${String(fromCoding)} differs from the extension ${fromExtension}`;
  return RULE_ID.test(fromExtension) ? undefined : `malformed rule id ${fromExtension}`;
}

describe('rule ids', () => {
  let service: ValidationService;
  beforeAll(async () => {
    service = await createValidationService();
  });

  it('are carried by every issue on the examples and the broken examples', () => {
    const files = jsonFiles(path.join(root, 'examples'));
    expect(files.length).toBeGreaterThan(10);
    const problems: string[] = [];
    const rules = new Set<string>();
    for (const file of files) {
      const { outcome } = service.validateText(readFileSync(file, 'utf8'));
      for (const issue of outcome.issue) {
        if (issue.code === 'informational' && issue.details?.text === 'No issues found') continue;
        const problem = ruleProblem(issue);
        if (problem) problems.push(`${path.relative(root, file)} ${issue.expression?.[0] ?? ''}: ${problem}`);
        else rules.add(issue.extension![0]!.valueString!);
      }
    }
    expect(problems).toEqual([]);
    // The broken examples break real rules: the ids are not all our fallbacks.
    expect([...rules].some((r) => !OWN_RULE_PREFIXES.some((p) => r.startsWith(p)))).toBe(true);
  });

  it('are carried by every issue in the input-reading and parse-failure paths', () => {
    const bad = service.validateText('{"resourceType": "Patient", ');
    const xml = service.validateText('<Patient xmlns="http://hl7.org/fhir"><foo value="x"/></Patient>');
    const issues = [...bad.outcome.issue, ...xml.outcome.issue];
    expect(issues.map(ruleProblem).filter(Boolean)).toEqual([]);
    expect(bad.outcome.issue.map((i) => i.details?.coding?.[0]?.code)).toEqual(['Error_parsing_JSON_']);
    expect(xml.outcome.issue.map((i) => i.details?.coding?.[0]?.code)).toContain('Undefined_element_');
  });

  it.skipIf(!existsSync(suiteDir))('are carried by every issue on the shared HL7 suite inputs (needs ../shared)', () => {
    const defaults = conformanceDefaults();
    const core = [...readCoreR4(), ...coreSearchParameters()];
    const missing: string[] = [];
    let seen = 0;
    for (const c of loadSuite(suiteDir)) {
      for (const step of runCase(c, { dir: suiteDir, core, ...defaults }).steps) {
        for (const i of step.issues) {
          seen++;
          if (typeof i.rule !== 'string' || !RULE_ID.test(i.rule)) missing.push(`${c.name} ${i.expression}: ${String(i.rule)} (${i.message})`);
        }
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});
