import type { OperationOutcome } from 'fhir/r4';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { annotateJson, lineForExpression } from './annotated-json.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { summarise, summaryLine } from './summary.js';
import { formatText } from './text.js';
import { issuesAtLevel, parseReportLevel } from './level.js';
import type { FileOutcome } from './types.js';

const bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    { fullUrl: 'urn:uuid:1', resource: { resourceType: 'Patient', name: [{ family: 'X', given: ['A', 'B'] }], _birthDate: { id: 'b' } } },
    { fullUrl: 'urn:uuid:2', resource: { resourceType: 'Observation', status: 'final', valueQuantity: { value: 1 } } },
  ],
};

const outcome = (issues: OperationOutcome['issue']): OperationOutcome => ({ resourceType: 'OperationOutcome', issue: issues });
const bad: FileOutcome = {
  file: 'bad <1>.json',
  source: JSON.stringify(bundle),
  outcome: outcome([
    { severity: 'error', code: 'value', details: { text: 'Bad given name' }, expression: ['Bundle.entry[0].resource.name[0].given[1]'] },
    { severity: 'warning', code: 'required', details: { text: 'Missing code' }, expression: ['Bundle.entry[1].resource.code'] },
    { severity: 'error', code: 'value', details: { text: 'Quantity' }, expression: ['Bundle.entry[1].resource.value.ofType(Quantity)'] },
  ]),
};
const good: FileOutcome = { file: 'good.json', outcome: outcome([{ severity: 'information', code: 'informational', details: { text: 'No issues found' } }]) };

describe('annotated JSON', () => {
  const a = annotateJson(bundle);
  it('prints what JSON.stringify prints', () => {
    expect(a.lines.map((l) => l.text).join('\n')).toBe(JSON.stringify(bundle, null, 2));
  });
  it('points expressions at their line, or their nearest present ancestor', () => {
    const given = lineForExpression(a, 'Bundle.entry[0].resource.name[0].given[1]');
    expect(a.lines[given!]?.text.trim()).toBe('"B"');
    const code = lineForExpression(a, 'Bundle.entry[1].resource.code');
    expect(a.lines[code!]?.text.trim()).toBe('"resource": {');
    const q = lineForExpression(a, 'Bundle.entry[1].resource.value.ofType(Quantity)');
    expect(a.lines[q!]?.text.trim()).toBe('"valueQuantity": {');
    const birth = lineForExpression(a, 'Bundle.entry[0].resource.birthDate');
    expect(a.lines[birth!]?.text.trim()).toBe('"_birthDate": {');
  });
});

describe('reports', () => {
  it('summarises errors, warnings and failing files, ignoring the no-issues placeholder', () => {
    expect(summarise([bad, good], 5)).toMatchObject({ payloads: 2, files: 2, errors: 2, warnings: 1, information: 0, failedFiles: 1 });
  });
  it('text groups issues by file and resource, plain without colour', () => {
    const text = formatText([bad, good]);
    expect(text).not.toContain('\x1b[');
    expect(text).toContain('  Bundle.entry[0].resource\n    error       Bad given name');
    expect(text).toContain('good.json: no issues');
    expect(text.trim().split('\n').at(-1)).toMatch(/^2 files, 2 errors, 1 warning \(/);
    expect(formatText([bad], { colour: true })).toContain('\x1b[31m');
  });
  it('counts NDJSON lines as payloads of one file', () => {
    const lines = [{ ...good, file: 'a.ndjson:1' }, { ...good, file: 'a.ndjson:2' }, { ...good, file: 'b.json' }];
    const s = summarise(lines, 0);
    expect(s).toMatchObject({ payloads: 3, files: 2 });
    expect(summaryLine(s)).toMatch(/^3 payloads in 2 files, 0 errors/);
  });

  it('json is an array of { file, outcome }', () => {
    const parsed = JSON.parse(formatJson([bad, good])) as Array<{ file: string; outcome: OperationOutcome }>;
    expect(parsed.map((p) => p.file)).toEqual(['bad <1>.json', 'good.json']);
    expect(parsed[0]?.outcome.issue).toHaveLength(3);
  });
  it('junit has a failing test case per invalid payload and escapes names', () => {
    const xml = formatJunit([bad, good]);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite['@_tests']).toBe('2');
    expect(suite['@_failures']).toBe('1');
    expect(suite.testcase[0]['@_name']).toBe('bad <1>.json');
    expect(suite.testcase[0].failure['@_message']).toContain('2 error(s)');
    expect(suite.testcase[1].failure).toBeUndefined();
  });
  it('html is self-contained and links each issue to its highlighted line', () => {
    const html = formatHtml([bad, good]);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="http/);
    const links = [...html.matchAll(/href="#(f0-l\d+)"/g)].map((m) => m[1]);
    expect(links).toHaveLength(3);
    for (const id of links) expect(html).toMatch(new RegExp(`<span id="${id}" class="hit-(error|warning)">`));
    expect(html).toContain('bad &lt;1&gt;.json');
    expect(html).toContain('No issues found.');
  });

  it('html starts with a summary table: one row per input with its counts and a link to its section', () => {
    const html = formatHtml([bad, good]);
    const table = /<table class="summary">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    const rows = [...table.matchAll(/<tr[^>]*><td><a href="#(f\d+)">([^<]*)<\/a><\/td><td>.*?<\/td><td class="n">(\d+)<\/td><td class="n">(\d+)<\/td><td class="n">(\d+)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['f0', 'bad &lt;1&gt;.json', '2', '1', '0'],
      ['f1', good.file, '0', '0', '0'],
    ]);
    for (const [id] of rows) expect(html).toContain(`<section class="file" id="${id}">`);
    // Status in words, not colour alone.
    expect(table).toMatch(/class="status bad">invalid</);
    expect(table).toMatch(/class="status good">valid</);
  });

  it('html line links land below the top edge (scroll margin) and unfold folded payloads', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ ...bad, file: `f${i}.json` }));
    const html = formatHtml(many);
    expect(html).toMatch(/pre\.payload span[^{]*\{[^}]*scroll-margin-top/);
    // Long runs fold the payload copies; the inline script opens one when a link points into it.
    expect(html).not.toContain('<details open>');
    expect(html).toMatch(/<script>[^<]*closest\('details'\)[^<]*<\/script>/);
    expect(formatHtml([bad])).toContain('<details open>');
  });
});

describe('report level', () => {
  const mixed = outcome([
    { severity: 'fatal', code: 'structure' },
    { severity: 'error', code: 'value' },
    { severity: 'warning', code: 'value' },
    { severity: 'information', code: 'informational', expression: ['Patient.x'] },
  ]);
  it('keeps errors only, errors and warnings, or everything', () => {
    expect(issuesAtLevel(mixed, 'error').issue.map((i) => i.severity)).toEqual(['fatal', 'error']);
    expect(issuesAtLevel(mixed, 'warning').issue.map((i) => i.severity)).toEqual(['fatal', 'error', 'warning']);
    expect(issuesAtLevel(mixed, 'information')).toBe(mixed);
  });
  it('leaves a valid OperationOutcome (one "nothing found" issue) when it drops every issue', () => {
    const onlyInfo = issuesAtLevel(outcome([{ severity: 'information', code: 'informational', expression: ['Patient.x'] }]), 'error');
    expect(onlyInfo.issue).toHaveLength(1);
    expect(summarise([{ file: 'x', outcome: onlyInfo }], 0)).toMatchObject({ errors: 0, warnings: 0, information: 0 });
  });
  it("reads the HL7 validator's spellings", () => {
    expect(['errors', 'e', 'ERROR'].map(parseReportLevel)).toEqual(['error', 'error', 'error']);
    expect(['warnings', 'w'].map(parseReportLevel)).toEqual(['warning', 'warning']);
    expect(['hints', 'info', 'information'].map(parseReportLevel)).toEqual(['information', 'information', 'information']);
    expect(parseReportLevel('loud')).toBeUndefined();
  });
});

