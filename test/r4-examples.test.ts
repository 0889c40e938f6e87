/**
 * The official R4 examples as a corpus of real payloads, validated through the public API. Every remaining
 * error is pinned by docs/r4-example-defects.md: a defect of the example, a false positive still to fix, or
 * the toolkit's issue limit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperationOutcome } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService } from '../src/index.js';
import { isInvariantRuleId, isOwnRuleId, loadCatalogue } from '../tools/rules/catalogue.js';
import { r4ExampleCorpus } from './support/r4-examples.js';
import { ruleIdOf } from './support/rule-ids.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const DEFECTS_DOC = join(repo, 'docs', 'r4-example-defects.md');
const SECTIONS = { '## Defects of the examples': 'defect', '## False positives still to fix': 'false-positive', '## Toolkit limits': 'limit' } as const;
type Kind = (typeof SECTIONS)[keyof typeof SECTIONS];

interface Row {
  kind: Kind;
  file: string;
  location: string;
  type: string;
  errors: number;
  rules: string[];
}

/** A group of errors: one example, one location (indexes as `[*]`), one issue type. */
function groupKey(file: string, location: string, type: string): string {
  return `${file} | ${location || '(none)'} | ${type}`;
}

/** The table rows of the defects page, with the section each is in. */
function listedRows(text: string): Row[] {
  const rows: Row[] = [];
  let kind: Kind | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) kind = SECTIONS[line.trim() as keyof typeof SECTIONS];
    const m = /^\|\s*`([^`]+)`\s*\|\s*(?:`([^`]*)`|\(none\))\s*\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|([^|]*)\|/.exec(line);
    if (!m || !kind) continue;
    const rules = [...(m[5] ?? '').matchAll(/`([^`]+)`/g)].map((r) => r[1] ?? '').sort();
    rows.push({ kind, file: m[1] ?? '', location: m[2] ?? '', type: m[3] ?? '', errors: Number(m[4]), rules });
  }
  return rows;
}

interface Actual {
  errors: number;
  rules: Set<string>;
}

describe('official R4 examples (hl7.fhir.r4.examples)', () => {
  const corpus = r4ExampleCorpus();
  const outcomes = new Map<string, OperationOutcome>();
  const crashes: string[] = [];
  const groups = new Map<string, Actual>();
  const failing = new Set<string>();
  const rows = listedRows(readFileSync(DEFECTS_DOC, 'utf8'));
  let anyRuleIds = false;

  beforeAll(async () => {
    const service = await createValidationService();
    for (const { file, resource } of corpus) {
      try {
        outcomes.set(file, service.validate(resource));
      } catch (e) {
        crashes.push(`${file}: ${(e as Error).message}`);
      }
    }
    for (const [file, outcome] of outcomes) {
      for (const issue of outcome.issue) {
        const rule = ruleIdOf(issue);
        if (rule) anyRuleIds = true;
        if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
        failing.add(file);
        const key = groupKey(file, (issue.expression?.[0] ?? '').replace(/\[\d+\]/g, '[*]'), issue.code);
        const group = groups.get(key) ?? { errors: 0, rules: new Set<string>() };
        group.errors++;
        if (rule) group.rules.add(rule);
        groups.set(key, group);
      }
    }
  }, 900_000);

  it('is the selection the defects page states: every example that is not a conformance resource', () => {
    const stated = /\*\*(\d+) examples\*\*/.exec(readFileSync(DEFECTS_DOC, 'utf8'));
    expect(corpus.length).toBe(Number(stated?.[1]));
    expect(corpus.some((c) => c.resource.resourceType === 'StructureDefinition')).toBe(false);
    expect(corpus.some((c) => c.resource.resourceType === 'Bundle')).toBe(true);
  });

  it('validate without crashing the validator', () => {
    expect(crashes).toEqual([]);
    // A caught internal failure becomes an issue of type exception (an invariant or binding that could not be evaluated).
    const exceptions = [...outcomes].flatMap(([file, o]) => o.issue.filter((i) => i.code === 'exception').map((i) => `${file}: ${i.details?.text}`));
    expect(exceptions).toEqual([]);
  });

  it('have exactly the errors docs/r4-example-defects.md lists, group by group', () => {
    const listed = new Map(rows.map((r) => [groupKey(r.file, r.location, r.type), r.errors]));
    expect(listed.size, 'a group is listed twice').toBe(rows.length);
    const actual = new Map([...groups].map(([k, g]) => [k, g.errors]));
    // A new group must be investigated and listed; a listed group that is gone must leave the list.
    expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...listed].sort()));
  });

  it('carry the rule ids the rows name, once issues carry rule ids', (ctx) => {
    if (!anyRuleIds) {
      console.info('r4-examples: issues carry no rule ids yet; rule ids of docs/r4-example-defects.md not checked');
      ctx.skip();
    }
    for (const row of rows) {
      const group = groups.get(groupKey(row.file, row.location, row.type));
      expect([...(group?.rules ?? [])].sort(), `rule ids of ${groupKey(row.file, row.location, row.type)}`).toEqual(row.rules);
    }
  });

  it('give every issue a rule id that is a reference key, an invariant id or one of ours', (ctx) => {
    if (!anyRuleIds) {
      console.info('r4-examples: issues carry no rule ids yet; rule ids not checked');
      ctx.skip();
    }
    const keys = new Set(loadCatalogue(repo).rules.map((r) => r.key));
    const bad = new Set<string>();
    for (const [file, outcome] of outcomes) {
      for (const issue of outcome.issue) {
        const rule = ruleIdOf(issue);
        if (!rule) bad.add(`${file}: an issue without a rule id (${issue.code})`);
        else if (!keys.has(rule) && !isOwnRuleId(rule) && !isInvariantRuleId(rule)) bad.add(`${file}: ${rule}`);
      }
    }
    expect([...bad]).toEqual([]);
  });

  it('are counted right in docs/r4-example-defects.md and the README', () => {
    const text = readFileSync(DEFECTS_DOC, 'utf8');
    const kindsOf = (file: string): Set<Kind> => new Set(rows.filter((r) => r.file === file).map((r) => r.kind));
    const withDefects = [...failing].filter((f) => kindsOf(f).has('defect')).length;
    const onlyFalsePositives = [...failing].filter((f) => !kindsOf(f).has('defect') && kindsOf(f).has('false-positive')).length;
    const onlyLimits = failing.size - withDefects - onlyFalsePositives;
    const clean = corpus.length - failing.size;
    const summary = `**${clean} of ${corpus.length} validate without errors; ${withDefects} have defects of their own, ${onlyFalsePositives} fail only on false positives still to fix, ${onlyLimits} only on the toolkit's issue limit.**`;
    expect(text).toContain(summary);
    const errorsOf = (kind: Kind): number => rows.filter((r) => r.kind === kind).reduce((n, r) => n + r.errors, 0);
    const total = [...groups.values()].reduce((n, g) => n + g.errors, 0);
    const n = (x: number): string => x.toLocaleString('en-GB');
    expect(text).toContain(
      `**${n(total)}: ${n(errorsOf('defect'))} defects of the examples, ${n(errorsOf('false-positive'))} false positives, ${n(errorsOf('limit'))} issue limits.**`,
    );
    for (const file of ['README.md', join('docs', 'validation.md')]) {
      const marked = /<!-- r4-examples -->([\s\S]*?)<!-- \/r4-examples -->/.exec(readFileSync(join(repo, file), 'utf8'))?.[1] ?? '';
      expect(marked, `${file} gives the examples figure`).toContain(`**${clean} of ${corpus.length}**`);
    }
  });
});
