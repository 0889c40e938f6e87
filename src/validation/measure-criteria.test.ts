import { describe, expect, it } from 'vitest';
import type { Report } from '../plugin-types/index.js';
import { checkMeasureCriteria, definedNames } from './measure-criteria.js';

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const CQL = 'library Screening\ndefine "Initial Population":\n  true\n// define "Commented Out": false\ndefine function AgeInYears(d Date): 1\n';
const ELM = '<library xmlns="urn:hl7-org:elm:r1"><parameters><def name="Measurement Period"/></parameters><statements><def name="Numerator" context="Patient"/></statements></library>';

function library(content: { contentType: string; data: string }[]) {
  return { resourceType: 'Library', url: 'http://example.org/Library/Screening', name: 'Screening', content };
}

function findings(expression: string, lib = library([{ contentType: 'text/cql', data: base64(CQL) }])) {
  const out: string[] = [];
  const report: Report = (rule, severity, _code, path) => out.push(`${severity}:${path}:${rule}`);
  const measure = { resourceType: 'Measure', library: [lib.url], group: [{ stratifier: [{ criteria: { language: 'text/cql', expression } }] }] };
  checkMeasureCriteria(measure, 'Measure', (url) => (url === lib.url ? lib : undefined), report);
  return out;
}

describe('Measure CQL criteria', () => {
  it('reads definitions from CQL text, ignoring comments', () => {
    expect([...(definedNames(library([{ contentType: 'text/cql', data: base64(CQL) }])) ?? [])]).toEqual(['Initial Population', 'AgeInYears']);
  });

  it('reads only statement definitions from ELM, preferred over CQL', () => {
    const lib = library([
      { contentType: 'text/cql', data: base64(CQL) },
      { contentType: 'application/elm+xml', data: base64(ELM) },
    ]);
    expect([...(definedNames(lib) ?? [])]).toEqual(['Numerator']);
  });

  it('reports a stratifier naming an expression the library does not define', () => {
    expect(findings('Screening.AgeInYears')).toEqual([]);
    expect(findings('"Initial Population"')).toEqual([]);
    expect(findings('Screening.AgesUpToNine')).toEqual(['error:Measure.group[0].stratifier[0].criteria:MEASURE_M_CRITERIA_CQL_NOT_FOUND']);
    expect(findings('AgesUpToNine')).toEqual(['error:Measure.group[0].stratifier[0].criteria:MEASURE_M_CRITERIA_CQL_NOT_FOUND']);
  });

  it('says nothing when the library has no readable logic', () => {
    expect(findings('Screening.AgesUpToNine', library([{ contentType: 'text/plain', data: base64('x') }]))).toEqual([]);
  });
});
