import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAPPING_ITEM_NAMES } from './items.js';
import { compileMapping, loadMappingFile } from './load.js';
import { MappingLoadError } from './errors.js';
import { jsonPathProblem } from './jsonpath.js';
import { minimalCsvMapping } from '../../test/helpers/mapping.js';

function problems(raw: unknown): string[] {
  try {
    compileMapping(raw);
  } catch (e) {
    if (e instanceof MappingLoadError) return e.problems.map((p) => `${p.at}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('compileMapping', () => {
  it('loads the two example mappings', async () => {
    const cad = await loadMappingFile('examples/mappings/cad.mapping.json');
    expect(cad.format).toBe('csv');
    expect(cad.grouping.sorted).toBe(true);
    expect(cad.columns).toContain('IncidentNo');
    const epcr = await loadMappingFile('examples/mappings/epcr.mapping.json');
    expect(epcr.format).toBe('json');
    expect(epcr.grouping.sorted).toBe(false);
  });

  it('keeps the schema item list and the item catalogue the same', () => {
    const schema = JSON.parse(readFileSync('schemas/mapping.schema.json', 'utf8'));
    expect(schema.properties.items.propertyNames.enum).toEqual(MAPPING_ITEM_NAMES);
  });

  it('rejects what breaks the schema, with the place in the file', () => {
    expect(problems({ input: { format: 'xml' }, grouping: { call: { column: 'Id' } }, items: {} })).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/input\/format: must be equal to one of the allowed values/),
    ]));
    expect(problems(minimalCsvMapping({ 'call.colour': { column: 'X' } }))).toEqual(['/items/call.colour: "call.colour" is not an ADS item a mapping can fill (see docs/mapping.md)']);
    expect(problems(minimalCsvMapping({ 'call.stopCode': { column: 'S', const: '01' } }))[0]).toMatch(/^\/items\/call.stopCode/);
  });

  it('suggests the item a misspelt name most likely meant, and the property an unknown one did', () => {
    const raw = minimalCsvMapping();
    const items = raw.items as Record<string, unknown>;
    items['call.orgin'] = items['call.origin'];
    delete items['call.origin'];
    items['Patient.Gender'] = { column: 'Sex' };
    items['stopCode'] = { column: 'S' };
    // The misspelt required item is not reported a second time as having no source.
    expect(problems(raw)).toEqual([
      '/items/call.orgin: "call.orgin" is not an ADS item a mapping can fill; did you mean "call.origin"? (see docs/mapping.md)',
      '/items/Patient.Gender: "Patient.Gender" is not an ADS item a mapping can fill; did you mean "patient.gender"? (see docs/mapping.md)',
      '/items/stopCode: "stopCode" is not an ADS item a mapping can fill; did you mean "call.stopCode"? (see docs/mapping.md)',
    ]);
    expect(problems({ ...minimalCsvMapping(), grouping: { call: { column: 'Id' }, sortBy: 'call' } })).toEqual([
      '/grouping: unknown property "sortBy"; did you mean "sortedBy"?',
    ]);
  });

  it('reports every problem of the file at once, not the first only', () => {
    const raw: Record<string, unknown> = { ...minimalCsvMapping({ 'call.treatmentType': { column: 'T', map: { HT: 'hear-and-trt' } }, 'call.stopCode': { column: 'S', map: 'nope' } }), valueMaps: {} };
    const items = raw.items as Record<string, unknown>;
    items['call.orgn'] = { column: 'O' };
    delete items['call.origin'];
    delete items['call.cadId'];
    items['call.connectedAt'] = { column: 'C', format: 'dd/MM/yyyy' };
    const found = problems(raw).map((p) => p.slice(0, p.indexOf(':')));
    expect(found).toEqual(expect.arrayContaining(['/items/call.orgn', '/items', '/items/call.treatmentType/map', '/items/call.stopCode/map']));
    expect(problems(raw).filter((p) => p.startsWith('/items: the required'))).toEqual(['/items: the required ADS item call.cadId (ADS3 call identifier (CAD)) has no source']);
  });

  it('rejects a required ADS item with no source', () => {
    const raw = minimalCsvMapping();
    delete (raw.items as Record<string, unknown>)['call.origin'];
    expect(problems(raw)).toEqual(['/items: the required ADS item call.origin (ADS2B call origin) has no source']);
  });

  it('rejects items whose companions are missing', () => {
    expect(problems(minimalCsvMapping({ 'response.callSign': { column: 'CS' } }))).toEqual(['/items/response.callSign: response.callSign needs response.times.allocated mapped too']);
    expect(problems(minimalCsvMapping({ 'response.callSign': { column: 'CS' }, 'response.times.allocated': { column: 'T' }, 'conveyance.outcome': { column: 'O' } })))
      .toEqual(['/items: a patient contact needs patient.nhsNumber.value or patient.nhsNumberUnavailable mapped']);
  });

  it('rejects a value map or constant into a code outside the value set', () => {
    expect(problems(minimalCsvMapping({ 'call.origin': { column: 'O', map: { '999': '01', 'POL': '99' } } }))).toEqual([
      '/items/call.origin/map: local code "POL" maps to "99", which is not in https://fhir.nhs.uk/R4/ValueSet/ADS-CallOrigin (allowed: 01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 11, 12, 13, 14, 15, 98)',
    ]);
    expect(problems(minimalCsvMapping({ 'call.treatmentType': { const: 'see-and-leave' } }))[0]).toMatch(/^\/items\/call.treatmentType\/const: the constant is not a code of https:\/\/fhir.nhs.uk\/R4\/ValueSet\/ADS-TreatmentType/);
    expect(problems({ ...minimalCsvMapping({ 'call.initialCategory': { column: 'C', map: 'cats' } }), valueMaps: { cats: { '1': 'C1', '9': 'C9' } } }))
      .toEqual([expect.stringMatching(/local code "9" maps to "C9", which is not in .*ADS-ResponseCategory/)]);
    expect(problems(minimalCsvMapping({ 'call.initialCategory': { column: 'C', map: 'nope' } }))).toEqual(['/items/call.initialCategory/map: there is no value map named "nope" in valueMaps']);
  });

  it('rejects a JSONPath that cannot parse, and sources of the wrong kind for the format', () => {
    const json = minimalCsvMapping();
    json.input = { format: 'json' };
    json.grouping = { call: { path: '$.id[' } };
    const items = json.items as Record<string, unknown>;
    items['call.cadId'] = { path: "$.calls[?(@.kind==)].id" };
    items['call.connectedAt'] = { column: 'At' };
    expect(problems(json)).toEqual([
      '/items/call.cadId/path: the JSONPath expression does not parse (Expected expression after == at character 11)',
      '/items/call.connectedAt: a json extract has no columns: give a JSONPath in "path"',
      '/grouping/call/path: the JSONPath has an unclosed [',
    ]);
  });

  it('rejects a bad time zone and a bad date pattern', () => {
    expect(problems({ ...minimalCsvMapping(), timeZone: 'Europe/Atlantis', dateTimeFormat: 'dd/MM/yyyy' })).toEqual([
      '/timeZone: is not a time zone this runtime knows (use an IANA name such as Europe/London)',
      '/items/call.connectedAt/format: the pattern lacks hour, minute',
    ]);
  });
});

describe('jsonPathProblem', () => {
  it.each([
    ['$.a.b', undefined], ["$.obs[?(@.type==='RR')].value", undefined], ['$..value', undefined], ['$.a[0]', undefined],
    ['a.b', 'a JSONPath starts with $'], ['$.a[', 'the JSONPath has an unclosed ['], ['$.a]', 'the JSONPath has an unmatched ]'],
    ["$.a['b]", 'the JSONPath has an unclosed quote'], ['$.a.', 'the JSONPath ends with a dot or has empty brackets'],
  ])('%s', (path, expected) => {
    expect(jsonPathProblem(path)).toBe(expected);
  });
});
