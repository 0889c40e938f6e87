/**
 * The status of each catalogue key, computed from a scan of the repository (never written by hand):
 * - implemented: product code contains the key as a rule id and a test that matches rule ids names it;
 * - untested: product code contains it, but no test pins it (counts as not implemented);
 * - missing: the key applies to R4 instance validation and nothing here emits it;
 * - n/a: the catalogue says why it does not apply.
 */
import { isInvariantRuleId, isOwnRuleId, type Catalogue, type ReferenceRule } from './catalogue.js';
import type { RepoScan } from './scan.js';

/** Folders whose code raises validation issues. */
export const VALIDATOR_FOLDERS = ['src/validation/', 'src/terminology/', 'src/fhirpath/', 'src/format/', 'src/plugin-types/'];

export type RuleStatus = 'implemented' | 'untested' | 'missing' | 'n/a';

export interface RuleRow {
  rule: ReferenceRule;
  status: RuleStatus;
  /** The id issues carry here for this rule (the key itself, or invariant ids). */
  ruleId?: string;
  /** Test files (repo-relative) that assert the rule id. */
  tests: string[];
}

export interface OwnRuleRow {
  id: string;
  files: string[];
  tests: string[];
}

export interface CatalogueReport {
  rows: RuleRow[];
  own: OwnRuleRow[];
  /** Keys product code emits although the catalogue marks them n/a (the catalogue or the code is wrong). */
  emittedButNa: RuleRow[];
  /** Ids in rule-id positions of product code that are neither catalogue keys, ours, nor invariant ids. */
  unknownRuleIds: { id: string; files: string[] }[];
}

function invariantTests(scan: RepoScan): string[] {
  const files = new Set<string>();
  for (const [literal, list] of scan.testedLiterals) if (literal.includes('#') && isInvariantRuleId(literal)) list.forEach((f) => files.add(f));
  return [...files].sort();
}

export function computeReport(catalogue: Catalogue, scan: RepoScan): CatalogueReport {
  const keys = new Set(catalogue.rules.map((r) => r.key));
  const pinnedInvariants = invariantTests(scan);
  const rows = catalogue.rules.map((rule): RuleRow => {
    if (rule.via === 'invariant') {
      // Invariant failures carry `<source>#<key>`, never this key: a test asserting such an id pins the rule.
      const status: RuleStatus = rule.na ? 'n/a' : pinnedInvariants.length ? 'implemented' : 'missing';
      return { rule, status, ruleId: pinnedInvariants.length ? '<source>#<constraint key>' : undefined, tests: pinnedInvariants };
    }
    const emitted = scan.productLiterals.has(rule.key);
    const tests = emitted ? (scan.testedLiterals.get(rule.key) ?? []) : [];
    const status: RuleStatus = emitted && tests.length ? 'implemented' : rule.na ? 'n/a' : emitted ? 'untested' : 'missing';
    return { rule, status, ruleId: emitted ? rule.key : undefined, tests };
  });
  // Our ids: where a rule id is given, or anywhere in the folders of the validator (not e.g. environment variable names).
  const own = [...scan.productLiterals]
    .filter(([id, files]) => isOwnRuleId(id) && (scan.ruleIdLiterals.has(id) || files.some((f) => VALIDATOR_FOLDERS.some((d) => f.startsWith(d)))))
    .map(([id, files]) => ({ id, files, tests: scan.testedLiterals.get(id) ?? [] }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const unknownRuleIds = [...scan.ruleIdLiterals]
    .filter(([id]) => !keys.has(id) && !isOwnRuleId(id) && !isInvariantRuleId(id))
    .map(([id, files]) => ({ id, files }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { rows, own, emittedButNa: rows.filter((r) => r.rule.na && r.ruleId), unknownRuleIds };
}

export interface Coverage {
  keys: number;
  applicable: number;
  implemented: number;
  untested: number;
  missing: number;
  na: number;
}

export function coverageOf(rows: readonly RuleRow[]): Coverage {
  const applicable = rows.filter((r) => !r.rule.na);
  return {
    keys: rows.length,
    applicable: applicable.length,
    implemented: applicable.filter((r) => r.status === 'implemented').length,
    untested: applicable.filter((r) => r.status === 'untested').length,
    missing: applicable.filter((r) => r.status === 'missing').length,
    na: rows.length - applicable.length,
  };
}

/** Implemented share of the applicable keys, in percent with one decimal. */
export function percent(c: Coverage): string {
  return c.applicable ? ((100 * c.implemented) / c.applicable).toFixed(1) : '0.0';
}
