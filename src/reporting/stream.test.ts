import type { OperationOutcome } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { formatJson } from './json.js';
import { streamReport } from './stream.js';
import { formatText } from './text.js';
import type { FileOutcome } from './types.js';

const clean: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', details: { text: 'No issues found' } }] };
const failing: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [
    { severity: 'error', code: 'code-invalid', details: { text: 'bad code' }, expression: ['Bundle.entry[1].resource.gender'] },
    { severity: 'warning', code: 'invalid', details: { text: 'odd' }, expression: ['Patient.name[0]'] },
  ],
};

function streamed(format: 'text' | 'json', results: FileOutcome[]): string {
  let out = '';
  const report = streamReport(format, (chunk) => (out += chunk));
  for (const r of results) report.add(r);
  report.end(0);
  return out;
}

describe('streamed reports', () => {
  const sets: FileOutcome[][] = [[], [{ file: 'a.json', outcome: clean }], [{ file: 'a.ndjson:1', outcome: failing }, { file: 'a.ndjson:2', outcome: clean }, { file: 'b.xml', outcome: failing }]];

  it('write byte for byte the text and JSON reports made from the whole list', () => {
    for (const results of sets) {
      expect(streamed('text', results)).toBe(formatText(results));
      expect(streamed('json', results)).toBe(formatJson(results));
    }
  });

  it('return the run totals at the end', () => {
    const report = streamReport('json', () => {});
    for (const r of sets[2]!) report.add(r);
    expect(report.end(5)).toMatchObject({ payloads: 3, files: 2, errors: 2, warnings: 2, failedFiles: 2, elapsedMs: 5 });
  });
});
