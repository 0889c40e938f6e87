/**
 * The rule catalogue (src/validation/catalogue/reference-rules.json, docs/rules.md): the data is sound, the
 * generated page and coverage lines are current, the status computation does what docs/rules.md says, and
 * every rule id the validator gives is a reference key, an invariant id or one of ours.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService } from '../src/index.js';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { coreSearchParameters } from '../src/validation/core-resolver.js';
import { loadSuite, runCase } from '../src/validation/conformance/index.js';
import {
  CATALOGUE_FILE,
  catalogueProblems,
  formatCatalogue,
  isInvariantRuleId,
  isOwnRuleId,
  loadCatalogue,
  type Catalogue,
} from '../tools/rules/catalogue.js';
import { staleRuleDocs } from '../tools/rules/generate.js';
import { scanRepository, stringLiterals, type RepoScan } from '../tools/rules/scan.js';
import { computeReport, coverageOf } from '../tools/rules/status.js';
import { conformanceDefaults } from './conformance/defaults.js';
import { ruleIdOf } from './support/rule-ids.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const suiteDir = join(repo, '..', 'shared', 'fhir-test-cases');

describe('rule catalogue data', () => {
  const catalogue = loadCatalogue(repo);

  it('names a known family for every key, a known reason for every n/a, each key once', () => {
    expect(catalogueProblems(catalogue)).toEqual([]);
    expect(catalogue.rules.length).toBeGreaterThan(1500);
  });

  it('is kept in its canonical layout (one key per line, family order, then key)', () => {
    expect(readFileSync(join(repo, CATALOGUE_FILE), 'utf8')).toBe(formatCatalogue(catalogue));
  });

  it('marks only FHIRPath invariant failures as carried by invariant ids', () => {
    expect(catalogue.rules.filter((r) => r.via).map((r) => r.key).sort()).toEqual(['INV_FAILED', 'INV_FAILED_SOURCE']);
  });
});

describe('rule catalogue status computation', () => {
  const catalogue: Catalogue = {
    reference: { repository: 'r', commit: 'c', date: 'd', files: [] },
    families: { f: { title: 'F', summary: 's' } },
    reasons: { r5: 'R5 only' },
    rules: [
      { key: 'A_DONE', family: 'f', text: 'a', source: [] },
      { key: 'B_NO_TEST', family: 'f', text: 'b', source: [] },
      { key: 'C_MISSING', family: 'f', text: 'c', source: [] },
      { key: 'D_R5', family: 'f', text: 'd', source: [], na: 'r5' },
      { key: 'INV_FAILED', family: 'f', text: 'e', source: [], via: 'invariant' },
    ],
  };
  const scan = (tested: [string, string[]][]): RepoScan => ({
    productLiterals: new Map([
      ['A_DONE', ['src/validation/a.ts']],
      ['B_NO_TEST', ['src/validation/b.ts']],
      ['ADSFHIR_OURS', ['src/validation/c.ts']],
      ['ADS_FHIR_AUDIT_DB', ['src/audit/env.ts']],
    ]),
    ruleIdLiterals: new Map([
      ['A_DONE', ['src/validation/a.ts']],
      ['NOT_A_KEY', ['src/validation/x.ts']],
    ]),
    testedLiterals: new Map(tested),
  });

  it('calls a key implemented only when product code emits it and a test asserts it', () => {
    const report = computeReport(catalogue, scan([['A_DONE', ['test/a.test.ts']], ['C_MISSING', ['test/c.test.ts']]]));
    expect(Object.fromEntries(report.rows.map((r) => [r.rule.key, r.status]))).toEqual({
      A_DONE: 'implemented',
      B_NO_TEST: 'untested',
      C_MISSING: 'missing',
      D_R5: 'n/a',
      INV_FAILED: 'missing',
    });
    expect(report.rows[0]?.tests).toEqual(['test/a.test.ts']);
    expect(coverageOf(report.rows)).toMatchObject({ keys: 5, applicable: 4, implemented: 1, untested: 1, missing: 2, na: 1 });
  });

  it('counts invariant failures as implemented when a test asserts a <source>#<key> rule id', () => {
    const report = computeReport(catalogue, scan([['http://hl7.org/fhir/StructureDefinition/Bundle#bdl-7', ['test/b.test.ts']]]));
    expect(report.rows.find((r) => r.rule.key === 'INV_FAILED')?.status).toBe('implemented');
  });

  it('lists our own ids from the validator folders and flags unknown ids in rule-id positions', () => {
    const report = computeReport(catalogue, scan([]));
    expect(report.own.map((o) => o.id)).toEqual(['ADSFHIR_OURS']);
    expect(report.unknownRuleIds.map((u) => u.id)).toEqual(['NOT_A_KEY']);
  });

  it('reads string literals and skips comments', () => {
    const literals = stringLiterals(`// issue('IN_A_COMMENT')\nreport('X_ONE', 1); /* 'NOR_HERE' */ const y = "Y_TWO"; const t = \`a\${b}\`;`);
    expect(literals.map((l) => l.value)).toEqual(['X_ONE', 'Y_TWO']);
    expect(literals[0]?.before.endsWith('report(')).toBe(true);
  });

  it('knows the shapes of invariant ids and of our ids', () => {
    expect(isInvariantRuleId('bdl-7')).toBe(true);
    expect(isInvariantRuleId('http://hl7.org/fhir/StructureDefinition/Narrative#txt-2')).toBe(true);
    expect(isInvariantRuleId('Extension_EXT_Unknown')).toBe(false);
    expect(isOwnRuleId('ADSFHIR_ISSUE_LIMIT')).toBe(true);
    expect(isOwnRuleId('ADSFHIR_')).toBe(false);
    expect(isOwnRuleId('UKCORE_X')).toBe(false);
  });
});

describe('docs/rules.md', () => {
  it('is what npm run docs:rules makes from the catalogue and the code (and so are the coverage lines)', () => {
    expect(staleRuleDocs(repo)).toEqual([]);
  });

  it('gives no rule id in product code that is neither a reference key, an invariant id nor ours', () => {
    const report = computeReport(loadCatalogue(repo), scanRepository(repo));
    expect(report.unknownRuleIds).toEqual([]);
  });
});

describe('rule ids the validator gives', () => {
  const keys = new Set(loadCatalogue(repo).rules.map((r) => r.key));
  /** Rule ids (or undefined) of every issue, with where it came from; one list per way in. */
  const publicApi: [string | undefined, string][] = [];
  const suite: [string | undefined, string][] = [];

  beforeAll(async () => {
    // The repository's own payloads, through the public API (OperationOutcome issues).
    const service = await createValidationService();
    for (const dir of ['examples/bundles', 'examples/broken', 'profiles/ukcore/example']) {
      const abs = join(repo, dir);
      if (!existsSync(abs)) continue;
      for (const file of readdirSync(abs).filter((f) => f.endsWith('.json') && !f.endsWith('.expect.json'))) {
        for (const issue of service.validate(readFileSync(join(abs, file), 'utf8')).issue) publicApi.push([ruleIdOf(issue), `${dir}/${file}`]);
      }
    }
    // The HL7 suite's cases exercise most rules: every issue of every case, as the engine reports it.
    if (!existsSync(suiteDir)) return;
    const core = [...readCoreR4(), ...coreSearchParameters()];
    const defaults = conformanceDefaults();
    for (const c of loadSuite(suiteDir)) {
      const result = runCase(c, { dir: suiteDir, core, ...defaults });
      for (const step of result.steps) for (const issue of step.issues) suite.push([(issue as { rule?: string }).rule, `suite case ${c.name}`]);
    }
  }, 600_000);

  function check(found: [string | undefined, string][], what: string, skip: () => void): void {
    if (!found.some(([rule]) => rule)) {
      console.info(`rule-catalogue: ${what} carries no rule ids yet; not checked`);
      skip();
    }
    expect(found.filter(([rule]) => !rule).map(([, where]) => where).slice(0, 10), 'issues without a rule id').toEqual([]);
    const unknown = new Set(found.filter(([id]) => id && !keys.has(id) && !isOwnRuleId(id) && !isInvariantRuleId(id)).map(([id, where]) => `${id} (${where})`));
    expect([...unknown]).toEqual([]);
  }

  it('through the public API are reference keys, invariant ids or ours, on every issue', (ctx) => {
    check(publicApi, 'the OperationOutcome of createValidationService()', () => ctx.skip());
  });

  it('on the HL7 suite cases are reference keys, invariant ids or ours, on every issue', (ctx) => {
    if (!existsSync(suiteDir)) {
      console.info('rule-catalogue: ../shared/fhir-test-cases is absent; suite rule ids not checked');
      ctx.skip();
    }
    check(suite, 'the engine on the suite', () => ctx.skip());
  });
});
