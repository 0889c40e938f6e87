/**
 * Recorded cases: a variant's payload with the reference outcome, saved under test/oracle/cases/<family>/ so the
 * comparison runs again without Java (test/oracle/recorded.test.ts). test/oracle/expectations.json pins, per case,
 * the level of agreement ads-fhir reached when it was last updated (L2, L1 or none), so the test fails on a
 * regression and on an unrecorded improvement alike.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Variant } from './generate.js';
import type { ReferenceIssue } from './java-oracle.js';
import { PROJECT_DIR } from './paths.js';
import { countedReference, counts, referenceKey, type Level } from './score.js';

export const CASES_DIR = join(PROJECT_DIR, 'test', 'oracle', 'cases');
export const EXPECTATIONS_FILE = join(PROJECT_DIR, 'test', 'oracle', 'expectations.json');

/** Payloads larger than this (minified JSON) are not recorded (the smallest variant of a kind is kept). */
export const MAX_CASE_PAYLOAD = 30_000;

export interface RecordedCase {
  id: string;
  family: string;
  innerFamily?: string;
  /** The seed payload the variant was made from, and how it was changed. */
  source: string;
  mutation: string;
  format: 'json' | 'xml';
  payload: string;
  reference: {
    validator: string;
    errors: number;
    warnings: number;
    /** Counted issues (errors and warnings): message id, severity, location, text. */
    issues: { severity: string; messageId: string | null; expression: string; text: string }[];
    /** Message ids of the issues set aside as needing a terminology server (not counted). */
    setAside: string[];
  };
}

export interface Expectation {
  family: string;
  level: Level;
}

export type Expectations = Record<string, Expectation>;

export function caseKey(c: Pick<RecordedCase, 'family' | 'id'>): string {
  return `${c.family}/${c.id}`;
}

/** The reference's outcome as a case keeps it: counted issues, and the ids of those set aside. */
export function recordedReference(reference: ReferenceIssue[], validator: string, setAside: (i: ReferenceIssue) => boolean): RecordedCase['reference'] {
  const counted = countedReference(reference, setAside);
  const aside = reference.filter((i) => i.severity !== 'information' && !i.server && setAside(i)).map((i) => i.messageId ?? '(no id)');
  const n = counts(counted);
  return {
    validator,
    errors: n.errors,
    warnings: n.warnings,
    issues: counted.map((i) => ({ severity: i.severity, messageId: i.messageId ?? null, expression: i.expression, text: i.text })),
    setAside: aside,
  };
}

export function toRecordedCase(v: Variant, reference: ReferenceIssue[], validator: string, setAside: (i: ReferenceIssue) => boolean): RecordedCase {
  return {
    id: v.id,
    family: v.family,
    ...(v.innerFamily ? { innerFamily: v.innerFamily } : {}),
    source: v.source,
    mutation: v.mutation,
    format: v.format,
    // JSON is kept minified: the same content (the reference's counts do not depend on layout), half the bytes.
    payload: v.format === 'json' ? JSON.stringify(JSON.parse(v.text)) : v.text,
    reference: recordedReference(reference, validator, setAside),
  };
}

export interface Candidate {
  recorded: RecordedCase;
  level: Level;
}

/**
 * Picks the cases worth keeping: per family, disagreements deduplicated by the set of reference message ids (the
 * smallest payload of each kind, most frequent kinds first, at most `perFamily`), and a few agreements
 * (`agreePerFamily`, also of distinct kinds) so that a regression shows too.
 */
export function selectCases(candidates: Candidate[], perFamily: number, agreePerFamily: number): Candidate[] {
  const out: Candidate[] = [];
  const families = [...new Set(candidates.map((c) => c.recorded.family))].sort();
  for (const family of families) {
    for (const [agree, cap] of [[false, perFamily], [true, agreePerFamily]] as const) {
      const kinds = new Map<string, Candidate[]>();
      for (const c of candidates) {
        if (c.recorded.family !== family || (c.level === 'L2') !== agree || c.recorded.payload.length > MAX_CASE_PAYLOAD) continue;
        const key = [...new Set(c.recorded.reference.issues.map((i) => referenceKey({ ...i, expression: i.expression })))].sort().join(' ') || '(reference: no issue)';
        kinds.set(key, [...(kinds.get(key) ?? []), c]);
      }
      const ranked = [...kinds.values()].sort((a, b) => b.length - a.length).slice(0, cap);
      for (const group of ranked) out.push(group.reduce((a, b) => (b.recorded.payload.length < a.recorded.payload.length ? b : a)));
    }
  }
  return out;
}

export function writeCase(c: RecordedCase): string {
  const dir = join(CASES_DIR, c.family);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${c.id}.json`);
  writeFileSync(file, `${JSON.stringify(c, null, 1)}\n`);
  return file;
}

export function loadCases(): RecordedCase[] {
  if (!existsSync(CASES_DIR)) return [];
  const out: RecordedCase[] = [];
  for (const family of readdirSync(CASES_DIR).sort()) {
    const dir = join(CASES_DIR, family);
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.json')) out.push(JSON.parse(readFileSync(join(dir, f), 'utf8')) as RecordedCase);
  }
  return out;
}

export function loadExpectations(): Expectations {
  return existsSync(EXPECTATIONS_FILE) ? (JSON.parse(readFileSync(EXPECTATIONS_FILE, 'utf8')) as Expectations) : {};
}

export function writeExpectations(e: Expectations): void {
  const sorted = Object.fromEntries(Object.entries(e).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(EXPECTATIONS_FILE, `${JSON.stringify(sorted, null, 1)}\n`);
}
