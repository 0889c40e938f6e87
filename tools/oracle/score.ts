/**
 * Scoring, as the shared HL7 suite scores (see ../shared/fhir-test-cases/README.md and test/conformance):
 * L1 the verdict (valid = no error or fatal issue) is the same; L2 the numbers of error+fatal and of warning
 * issues are the same too. Issues a terminology server produced are dropped from the reference (none here).
 * Beyond the score, each disagreement is explained by matching issues by severity class and location: what the
 * reference says that ads-fhir does not (by the reference's message id), and what ads-fhir says that it does not.
 */
import type { ReferenceIssue } from './java-oracle.js';

export interface SimpleIssue {
  severity: string;
  expression: string;
  text: string;
  messageId?: string | null;
}

export interface Counts {
  errors: number;
  warnings: number;
}

export interface Score {
  L1: boolean;
  L2: boolean;
  reference: Counts;
  ads: Counts;
}

export type Level = 'L2' | 'L1' | 'none';

export function isError(i: { severity: string }): boolean {
  return i.severity === 'error' || i.severity === 'fatal';
}

export function counts(issues: { severity: string }[]): Counts {
  return { errors: issues.filter(isError).length, warnings: issues.filter((i) => i.severity === 'warning').length };
}

/**
 * The reference issues that count: errors and warnings, less those a terminology server produced (`server`) and
 * those `setAside` marks as existing only because there is no server (see terminology-scope.ts).
 */
export function countedReference<T extends Pick<ReferenceIssue, 'severity' | 'server'>>(issues: T[], setAside: (i: T) => boolean = () => false): T[] {
  return issues.filter((i) => !i.server && i.severity !== 'information' && !setAside(i));
}

export function score(reference: { severity: string }[], ads: { severity: string }[]): Score {
  const r = counts(reference);
  const a = counts(ads);
  const L1 = (r.errors === 0) === (a.errors === 0);
  return { L1, L2: L1 && r.errors === a.errors && r.warnings === a.warnings, reference: r, ads: a };
}

export function levelOf(s: Pick<Score, 'L1' | 'L2'>): Level {
  return s.L2 ? 'L2' : s.L1 ? 'L1' : 'none';
}

/** FHIR type names that end choice properties (`valueQuantity`): dropped so `value.ofType(Quantity)` and `valueQuantity` meet. */
const CHOICE_SUFFIX =
  /(?<=[a-z])(Base64Binary|Boolean|Canonical|Code|Date|DateTime|Decimal|Id|Instant|Integer|Markdown|Oid|PositiveInt|String|Time|UnsignedInt|Uri|Url|Uuid|Address|Age|Annotation|Attachment|CodeableConcept|Coding|ContactPoint|Count|Distance|Duration|HumanName|Identifier|Money|Period|Quantity|Range|Ratio|Reference|SampledData|Signature|Timing|ContactDetail|Contributor|DataRequirement|Expression|ParameterDefinition|RelatedArtifact|TriggerDefinition|UsageContext|Dosage|Meta)(?=$|[.[])/g;

/** A location both validators' expressions reduce to: no `/*Type/id*\/` comments, no `.ofType()`, no choice type suffix. */
export function locationKey(expression: string): string {
  return expression
    .replace(/\/\*.*?\*\//g, '')
    .replace(/\.ofType\(\w+\)/g, '')
    .replace(/\[url='[^']*'\]/g, '')
    .replace(CHOICE_SUFFIX, '')
    .trim();
}

/** ads-fhir's message reduced to its rule wording: quoted values, URLs and numbers taken out. */
export function messageTemplate(text: string): string {
  return text
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b(https?|urn):[^\s,)]+/g, 'URL')
    .replace(/\d+/g, '#')
    .slice(0, 110);
}

export interface Difference {
  /** Counted reference issues ads-fhir has no issue of the same class at the same place for, by message id. */
  referenceOnly: SimpleIssue[];
  /** ads-fhir issues with no reference issue of the same class at the same place. */
  adsOnly: SimpleIssue[];
}

/** Matches error and warning issues one to one by severity class and location. */
export function difference(reference: SimpleIssue[], ads: SimpleIssue[]): Difference {
  const cls = (i: SimpleIssue): string => (isError(i) ? 'E' : 'W');
  const pool = new Map<string, SimpleIssue[]>();
  for (const a of ads.filter((i) => i.severity !== 'information')) {
    const k = `${cls(a)}|${locationKey(a.expression)}`;
    pool.set(k, [...(pool.get(k) ?? []), a]);
  }
  const referenceOnly: SimpleIssue[] = [];
  for (const r of reference.filter((i) => i.severity !== 'information')) {
    const k = `${cls(r)}|${locationKey(r.expression)}`;
    const left = pool.get(k);
    if (left?.length) left.shift();
    else referenceOnly.push(r);
  }
  return { referenceOnly, adsOnly: [...pool.values()].flat() };
}

/** Key of a reference issue for grouping: its message id, or its issue code when it has none. */
export function referenceKey(i: SimpleIssue & { code?: string | null }): string {
  return i.messageId ?? `(no id) ${i.code ?? ''} ${messageTemplate(i.text).slice(0, 60)}`;
}
