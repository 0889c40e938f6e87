/**
 * The rule catalogue: every message key of the HL7 Java validator (hapifhir/org.hl7.fhir.core,
 * I18nConstants.java + Messages.properties), with its English text, the family it belongs to and,
 * when it does not apply to R4 JSON/XML instance validation, why. The data lives in
 * src/validation/catalogue/reference-rules.json; whether a key is implemented here is never written
 * down there but computed from the repository (see scan.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One message key of the reference validator. */
export interface ReferenceRule {
  /** The message key, exactly as the reference spells it: the rule id this toolkit uses for the same rule. */
  key: string;
  family: string;
  /** The reference's English text (Messages.properties, the `_other` form for plural keys). */
  text: string;
  /** Java classes of the reference that use the key. */
  source: string[];
  /** Why the key does not apply to R4 instance validation: an id of `reasons`. Absent when it applies. */
  na?: string;
  note?: string;
  /**
   * `invariant`: the reference words FHIRPath invariant failures with this key but identifies them by the
   * constraint (`<source>#<key>`), and so does this toolkit.
   */
  via?: 'invariant';
}

export interface Family {
  title: string;
  summary: string;
}

export interface Catalogue {
  reference: { repository: string; commit: string; date: string; files: string[] };
  /** In the order the docs show them. */
  families: Record<string, Family>;
  reasons: Record<string, string>;
  rules: ReferenceRule[];
}

export const CATALOGUE_FILE = join('src', 'validation', 'catalogue', 'reference-rules.json');

export function loadCatalogue(repoRoot: string): Catalogue {
  return JSON.parse(readFileSync(join(repoRoot, CATALOGUE_FILE), 'utf8')) as Catalogue;
}

/** Problems with the data itself: unknown families or reasons, duplicate keys. Empty when it is sound. */
export function catalogueProblems(catalogue: Catalogue): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rule of catalogue.rules) {
    if (seen.has(rule.key)) problems.push(`${rule.key}: listed twice`);
    seen.add(rule.key);
    if (!catalogue.families[rule.family]) problems.push(`${rule.key}: unknown family '${rule.family}'`);
    if (rule.na !== undefined && !catalogue.reasons[rule.na]) problems.push(`${rule.key}: unknown reason '${rule.na}'`);
    if (!rule.text) problems.push(`${rule.key}: no reference text`);
  }
  return problems;
}

/** Prefixes of the rule ids this toolkit defines itself (rules the reference validator does not have). */
export const OWN_RULE_PREFIXES = ['ADSFHIR_', 'UK_', 'ADS_'] as const;

export function isOwnRuleId(id: string): boolean {
  return OWN_RULE_PREFIXES.some((p) => id.startsWith(p) && id.length > p.length) && /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(id);
}

/**
 * A FHIRPath invariant's rule id: the constraint key (`bdl-7`, `ukcore-pat-1`), optionally prefixed with the
 * canonical URL of the definition that declares it (`http://hl7.org/fhir/StructureDefinition/Bundle#bdl-7`),
 * the form the reference gives as the message id.
 */
export function isInvariantRuleId(id: string): boolean {
  const hash = id.lastIndexOf('#');
  if (hash < 0) return /^[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*-\d+[a-z]?$/.test(id);
  // With the declaring definition in front, any constraint key a profile author chose is fine.
  return /^(https?|urn):\S+$/.test(id.slice(0, hash)) && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id.slice(hash + 1));
}

const RULE_FIELDS = ['key', 'family', 'text', 'source', 'na', 'note', 'via'] as const;

/** `{"a": "b", "c": ["d"]}`: one object of strings and string lists on one line. */
function inline(obj: object): string {
  const parts = Object.entries(obj)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}: ${Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

/**
 * The catalogue file's text: one rule per line, rules in family order then by key, so that a change to
 * one key is a one-line diff.
 */
export function formatCatalogue(catalogue: Catalogue): string {
  const familyOrder = Object.keys(catalogue.families);
  const rules = [...catalogue.rules].sort(
    (a, b) => familyOrder.indexOf(a.family) - familyOrder.indexOf(b.family) || a.key.toLowerCase().localeCompare(b.key.toLowerCase()) || a.key.localeCompare(b.key),
  );
  const entries = (o: Record<string, unknown>): string =>
    Object.entries(o)
      .map(([k, v]) => `  ${JSON.stringify(k)}: ${typeof v === 'string' ? JSON.stringify(v) : inline(v as object)}`)
      .join(',\n');
  const ordered = (r: ReferenceRule): object => Object.fromEntries(RULE_FIELDS.map((f) => [f, r[f]]));
  return [
    '{',
    ` "reference": ${inline(catalogue.reference)},`,
    ' "families": {',
    entries(catalogue.families as unknown as Record<string, unknown>),
    ' },',
    ' "reasons": {',
    entries(catalogue.reasons),
    ' },',
    ' "rules": [',
    rules.map((r) => `  ${inline(ordered(r))}`).join(',\n'),
    ' ]',
    '}',
    '',
  ].join('\n');
}
