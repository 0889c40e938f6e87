import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Bundle, OperationOutcome } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sequentialUuids } from '../builder/index.js';
import { MappingLoadError } from './errors.js';
import { mapExtract, type MapExtractOptions } from './extract.js';
import { compileMapping, loadMappingFile } from './load.js';
import { minimalCsvMapping } from '../../test/helpers/mapping.js';
import { reportIsClean, type MappingReport } from './report.js';

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'ads-map-'));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

const fixed = (): Partial<MapExtractOptions> => ({ ids: sequentialUuids(), clock: () => new Date('2026-11-24T04:00:00Z') });
const chunks = (text: string, size = 7) => Readable.from(Array.from({ length: Math.ceil(text.length / size) }, (_, i) => Buffer.from(text.slice(i * size, (i + 1) * size))));

// Synthetic patient values: none of them may ever appear in a report.
const NHS = '9990001057';
const BAD_NHS = '9990001058';
const NAME = 'Zebedee Quorn-Testperson';
const POSTCODE = 'ZZ99 3WZ';
const BAD_POSTCODE = 'QQ1 XYZ';

/** A CSV mapping with one response and one patient per row. */
function patientMapping(extra: Record<string, unknown> = {}, items: Record<string, unknown> = {}) {
  return compileMapping({
    ...minimalCsvMapping({
      ...items,
      'call.treatmentType': { const: 'see-and-convey-ed' },
      'call.origin': { column: 'Origin', map: { '999': '01', '111': '02' } },
      'response.callSign': { column: 'CallSign' },
      'response.times.allocated': { column: 'Allocated' },
      'patient.nhsNumber.value': { column: 'NHS' },
      'patient.nhsNumber.verificationStatus': { const: '01' },
      'patient.postcode': { column: 'Postcode' },
      'conveyance.outcome': { const: 'conveyed-ed' },
      'conveyance.destination.odsSiteCode': { const: 'RX1RA' },
      'conveyance.destination.name': { const: "Queen's Medical Centre" },
    }),
    dateTimeFormat: 'dd/MM/yyyy HH:mm',
    grouping: { call: { column: 'Id' }, sortedBy: 'call' },
    ...extra,
  });
}
const HEADER = 'Id,At,Origin,CallSign,Allocated,NHS,Name,Postcode';
const row = (id: string, at = '23/11/2026 10:00', origin = '999', nhs = NHS, postcode = POSTCODE) =>
  `${id},${at},${origin},EA1,23/11/2026 10:05,${nhs},${NAME},${postcode}`;

function expectNoPatientValue(report: MappingReport): void {
  const text = JSON.stringify(report);
  for (const secret of [NHS, BAD_NHS, NAME, POSTCODE, BAD_POSTCODE, 'Zebedee', 'ZZ99', 'QQ1']) expect(text).not.toContain(secret);
}

async function outputFiles(): Promise<string[]> {
  return (await readdir(out)).sort();
}

describe('mapExtract on the examples', () => {
  it('maps the CAD extract to five clean bundles, one per call, with the NDJSON file', async () => {
    const mapping = await loadMappingFile('examples/mappings/cad.mapping.json');
    const report = await mapExtract(mapping, createReadStream('examples/cad-extract.csv'), { outDir: out, ndjson: true, ...fixed() });
    expect(report).toMatchObject({ records: 8, calls: 5, bundlesWritten: 5, skippedRecords: 0, errors: [], invalidBundles: [], duplicateCalls: [] });
    expect(reportIsClean(report)).toBe(true);
    expect(await outputFiles()).toEqual([
      'CAD-20260329-0001.json', 'CAD-20261025-0002.json', 'CAD-20261123-0003.json', 'CAD-20261123-0004.json', 'CAD-20261123-0005.json', 'bundles.ndjson',
    ]);
    const rtc = JSON.parse(await readFile(join(out, 'CAD-20261123-0005.json'), 'utf8')) as Bundle;
    const types = rtc.entry!.map((e) => e.resource!.resourceType);
    expect(types.filter((t) => t === 'Patient')).toHaveLength(3);
    expect(rtc.entry!.filter((e) => e.resource?.meta?.profile?.[0]?.endsWith('Response-Encounter'))).toHaveLength(2);
    // The spring-forward call: connected in GMT, arrived on scene in BST.
    const spring = await readFile(join(out, 'CAD-20260329-0001.json'), 'utf8');
    expect(spring).toContain('"sent": "2026-03-29T00:52:10+00:00"');
    expect(spring).toContain('"valueDateTime": "2026-03-29T02:05:00+01:00"');
    const ndjson = (await readFile(join(out, 'bundles.ndjson'), 'utf8')).trim().split('\n');
    expect(ndjson).toHaveLength(5);
  });

  it('maps the ePCR extract (unsorted records) to three bundles with observations from JSONPath filters', async () => {
    const mapping = await loadMappingFile('examples/mappings/epcr.mapping.json');
    const report = await mapExtract(mapping, createReadStream('examples/epcr-extract.json', { highWaterMark: 64 }), { outDir: out, ...fixed() });
    expect(report).toMatchObject({ records: 4, calls: 3, bundlesWritten: 3, skippedRecords: 0, errors: [] });
    const two = JSON.parse(await readFile(join(out, 'E-20261123-0101.json'), 'utf8')) as Bundle;
    const profiles = two.entry!.map((e) => e.resource!.meta!.profile![0]!.split('/').pop());
    expect(profiles.filter((p) => p === 'UKCore-ADS-Patient')).toHaveLength(2);
    expect(profiles).toContain('UKCore-ADS-Observation-BloodPressure');
    expect(profiles).toContain('UKCore-ADS-Triage-Observation');
  });
});

describe('mapExtract on bad input', () => {
  it('reads a BOM, CRLF and quoted line breaks', async () => {
    const csv = `\uFEFF${HEADER}\r\n${row('C1')}\r\n"C2",23/11/2026 11:00,999,EA1,23/11/2026 11:05,${NHS},"${NAME},\r\nsecond line",${POSTCODE}\r\n`;
    const report = await mapExtract(patientMapping(), chunks(csv), { outDir: out });
    expect(report).toMatchObject({ records: 2, bundlesWritten: 2, errors: [] });
  });

  it('stops before any row when the delimiter is wrong, and leaves no file', async () => {
    const csv = `${HEADER.replaceAll(',', ';')}\n${row('C1').replaceAll(',', ';')}\n`;
    const report = await mapExtract(patientMapping(), chunks(csv), { outDir: out, ndjson: true });
    expect(report.fatal).toBe('the header has one column: the extract seems delimited by ";", the mapping says "," (input.delimiter)');
    expect(report.records).toBe(0);
    expect(await outputFiles()).toEqual([]);
  });

  it('refuses a header that lacks a mapped column, before reading a row', async () => {
    const csv = `Id,At,CallSign,Allocated,NHS,Postcode\n${row('C1')}\n`;
    await expect(mapExtract(patientMapping(), chunks(csv), { outDir: out, ndjson: true })).rejects.toThrow(MappingLoadError);
    await expect(mapExtract(patientMapping(), chunks(csv), { outDir: out })).rejects.toThrow(/header has no column "Origin"/);
    expect(await outputFiles()).toEqual([]);
  });

  it('reports ragged rows, invalid dates, unmapped local codes and bad values by row and column; the rest goes on', async () => {
    const csv = [
      HEADER,
      row('C1'),
      `C2,23/11/2026 10:00,999,EA1`, // ragged: 4 fields
      row('C3', '31/11/2026 10:00'), // no 31 November: required item invalid, call skipped
      row('C4', '23/11/2026 10:00', 'POL'), // local code with no mapping
      row('C5', '29/03/2026 01:30'), // skipped by the clock change
      row('C6', '23/11/2026 10:00', '999', BAD_NHS), // wrong check digit: the patient has no usable identity, call skipped
      row('C7', '23/11/2026 10:00', '999', NHS, BAD_POSTCODE), // invalid optional postcode: left out, bundle written
      row('C8'),
    ].join('\n');
    const report = await mapExtract(patientMapping(), chunks(csv, 11), { outDir: out, ndjson: true, ...fixed() });
    expect(report.records).toBe(8);
    expect(report.bundlesWritten).toBe(3);
    expect(report.files).toEqual(['C1.json', 'C7.json', 'C8.json']);
    expect(report.errors).toEqual([
      { row: 3, message: 'the row has 4 fields, the header has 8' },
      { row: 4, item: 'call.connectedAt', column: 'At', message: 'is not a real date and time' },
      { row: 5, item: 'call.origin', column: 'Origin', message: 'is a local code with no mapping' },
      { row: 6, item: 'call.connectedAt', column: 'At', message: 'is a local time skipped by the clock change in Europe/London' },
      { row: 7, item: 'patient.nhsNumber.value', column: 'NHS', message: 'the NHS number check digit is wrong' },
      { row: 8, item: 'patient.postcode', column: 'Postcode', message: 'is not a UK postcode' },
    ]);
    expect(report.skipped).toEqual([
      { rows: [3], reason: 'the row has 4 fields, the header has 8' },
      { rows: [4], reason: 'the required item call.connectedAt is missing or invalid', item: 'call.connectedAt' },
      { rows: [5], reason: 'the required item call.origin is missing or invalid', item: 'call.origin' },
      { rows: [6], reason: 'the required item call.connectedAt is missing or invalid', item: 'call.connectedAt' },
      { rows: [7], reason: 'the patient has neither an NHS number nor the reason it is unavailable (missing or invalid)', item: 'patient.nhsNumber.value' },
    ]);
    expect(report.skippedRecords).toBe(5);
    expect(report.items['patient.postcode']).toEqual({ missing: 1, invalid: 1, missingRows: [8], invalidRows: [8] });
    expect(report.items['call.connectedAt']).toEqual({ missing: 2, invalid: 2, missingRows: [4, 6], invalidRows: [4, 6] });
    expect(report.items['call.origin']).toMatchObject({ invalid: 1, invalidRows: [5] });
    expect(reportIsClean(report)).toBe(false);
    expectNoPatientValue(report);
    expect(await outputFiles()).toEqual(['C1.json', 'C7.json', 'C8.json', 'bundles.ndjson']);
  });

  it('reports a call id seen again in an extract declared sorted, and writes only the first', async () => {
    const csv = [HEADER, row('C1'), row('C2'), row('C2'), row('C1'), row('C3')].join('\n');
    const report = await mapExtract(patientMapping(), chunks(csv), { outDir: out });
    expect(report.calls).toBe(4);
    expect(report.files).toEqual(['C1.json', 'C2.json', 'C3.json']);
    expect(report.duplicateCalls).toEqual([{ firstRows: [2], rows: [5] }]);
    expect(report.skipped).toEqual([{ rows: [5], reason: 'duplicate call identifier: the call key appeared earlier in an extract declared sorted by call', item: 'grouping.call' }]);
  });

  it('groups an unsorted extract in memory and stops with a clear error past the cap, writing nothing', async () => {
    const csv = [HEADER, row('C1'), row('C2'), row('C1'), row('C3')].join('\n');
    const unsorted = (cap?: number) => patientMapping({ grouping: { call: { column: 'Id' }, ...(cap ? { maxBufferedRecords: cap } : {}) } });
    const ok = await mapExtract(unsorted(), chunks(csv), { outDir: out });
    expect(ok).toMatchObject({ calls: 3, duplicateCalls: [], files: ['C1.json', 'C2.json', 'C3.json'] });
    await rm(out, { recursive: true });
    const over = await mapExtract(unsorted(3), chunks(csv), { outDir: out, ndjson: true });
    expect(over.fatal).toMatch(/more than 3 records and is not declared sorted by call: sort it by the call key and set grouping.sortedBy/);
    expect(over.bundlesWritten).toBe(0);
    expect(await outputFiles()).toEqual([]);
  });

  it('does not write a bundle the validate function finds errors in, and reports issues without diagnostics', async () => {
    const validate = (): OperationOutcome => ({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'value', expression: ['Bundle.entry[4].resource.address[0].postalCode'], diagnostics: `postcode ${POSTCODE} is wrong` }],
    });
    const report = await mapExtract(patientMapping(), chunks([HEADER, row('C1')].join('\n')), { outDir: out, validate, ndjson: true });
    expect(report.bundlesWritten).toBe(0);
    expect(report.invalidBundles).toEqual([{ rows: [2], issues: [{ severity: 'error', code: 'value', expression: ['Bundle.entry[4].resource.address[0].postalCode'] }] }]);
    expectNoPatientValue(report);
    expect(await outputFiles()).toEqual(['bundles.ndjson']);
    expect(await readFile(join(out, 'bundles.ndjson'), 'utf8')).toBe('');
  });

  it('reports JSON records that do not parse or are not objects without quoting them', async () => {
    const mapping = compileMapping({
      ...minimalCsvMapping({ 'call.cadId': { path: '$.id' }, 'call.connectedAt': { path: '$.at' } }),
      input: { format: 'ndjson' }, grouping: { call: { path: '$.id' } },
    });
    const ndjson = `{"id":"C1","at":"2026-11-23T10:00:00Z"}\n{"id":"C2","nhs":"${NHS}",\n\n[1,2]\n{"at":"2026-11-23T10:00:00Z"}\n{"id":"C3","at":"2026-11-23T10:00:00"}\n`;
    const report = await mapExtract(mapping, chunks(ndjson, 5), { outDir: out });
    expect(report.files).toEqual(['C1.json', 'C3.json']);
    expect(report.errors).toEqual([
      { row: 2, message: 'the record is not valid JSON' },
      { row: 4, message: 'the record is not a JSON object' },
      { row: 5, item: 'grouping.call', column: '$.id', message: 'the call key is missing' },
    ]);
    expectNoPatientValue(report);
  });

  it('stops on a JSON extract that is not an array, leaving no NDJSON file', async () => {
    const mapping = compileMapping({
      ...minimalCsvMapping({ 'call.cadId': { path: '$.id' }, 'call.connectedAt': { path: '$.at' } }),
      input: { format: 'json' }, grouping: { call: { path: '$.id' } },
    });
    const report = await mapExtract(mapping, chunks(`{"records": [{"nhs": "${NHS}"}]}`), { outDir: out, ndjson: true });
    expect(report.fatal).toBe('a JSON extract is an array of records ([ {...}, {...} ])');
    expect(await outputFiles()).toEqual([]);
  });

  it('skips a whole call the builder rejects, naming the builder field', async () => {
    const mapping = patientMapping({
      grouping: { call: { column: 'Id' } },
      items: { ...(minimalCsvMapping().items as object), 'call.origin': { const: '01' }, 'call.treatmentType': { const: 'see-and-convey-ed' },
        'response.callSign': { column: 'CallSign' }, 'response.times.allocated': { column: 'Allocated' }, 'response.times.clear': { column: 'At' },
        'patient.nhsNumberUnavailable': { const: 'nhs-number-not-known' }, 'conveyance.outcome': { const: 'conveyed-ed' },
        'conveyance.destination.odsSiteCode': { const: 'RX1RA' }, 'conveyance.destination.name': { const: 'ED' } },
    });
    // Cleared (At, 10:00) before it was allocated (10:05).
    const report = await mapExtract(mapping, chunks([HEADER, row('C1')].join('\n')), { outDir: out });
    expect(report.skipped).toEqual([{ rows: [2], reason: 'the builder rejected response.times.clear: is before response.times.allocated', item: 'response.times.clear' }]);
    expect(report.bundlesWritten).toBe(0);
  });

  it('maps the incident location, clinical review, crew, GCS, procedures, cardiac arrest, care bundle and safeguarding referral items', async () => {
    const t = (hhmm: string) => ({ const: `23/11/2026 ${hhmm}` });
    const mapping = patientMapping({}, {
        'call.incidentLocation.postcode': { const: 'B15 2TT' }, 'call.incidentLocation.lsoa': { const: 'E01009370' },
        'call.clinicalReview.at': t('10:01'), 'call.clinicalReview.outcome': { const: 'response-unchanged' },
        'response.crew': { const: 'paramedic; emergency-medical-technician' }, 'response.times.clear': t('11:00'),
        'patient.gpPractice.odsCode': { const: 'M85063' }, 'patientContact.timeAtPatient': t('10:12'),
        'conveyance.destination.department': { const: 'ppci-centre' },
        'observation.gcs.eyes': { const: 4 }, 'observation.gcs.verbal': { const: 5 }, 'observation.gcs.motor': { const: 6 }, 'observation.gcs.at': t('10:15'),
        'procedure.cpr.at': t('10:12'), 'procedure.twelve-lead-ecg.at': t('10:20'),
        'cardiacArrest.at': t('09:58'), 'cardiacArrest.witnessed': { const: 'bystander' }, 'cardiacArrest.rosc': { const: 'Y' }, 'cardiacArrest.roscAt': t('10:18'),
        'careBundle.stemi.at': t('10:30'), 'careBundle.stemi.aspirin': { const: 'Y' }, 'careBundle.stemi.gtn': { const: 'N' },
        'safeguarding.concern': { const: 'adult' }, 'safeguarding.at': t('10:40'), 'safeguarding.referral.at': t('10:45'), 'safeguarding.referral.agency': { const: 'police' },
    });
    const report = await mapExtract(mapping, chunks([HEADER, row('C1')].join('\n')), { outDir: out, ...fixed() });
    expect(report.skipped).toEqual([]);
    expect(report.errors).toEqual([]);
    const bundle = JSON.parse(await readFile(join(out, 'C1.json'), 'utf8')) as Bundle;
    const profiles = bundle.entry!.map((e) => e.resource!.meta!.profile![0]!.split('/').pop());
    for (const p of ['UKCore-ADS-IncidentLocation', 'UKCore-ADS-Observation-GCS', 'UKCore-ADS-Procedure', 'UKCore-ADS-CardiacArrest-Observation', 'UKCore-ADS-CareBundle-Observation', 'UKCore-ADS-Safeguarding-Flag']) {
      expect(profiles).toContain(p);
    }
    expect(profiles.filter((p) => p === 'UKCore-ADS-Procedure')).toHaveLength(2);
    expectNoPatientValue(report);
  });

  it('reports a call-level value that differs between rows of one call, and uses the first', async () => {
    const csv = [HEADER, row('C1', '23/11/2026 10:00', '999'), row('C1', '23/11/2026 10:00', '111')].join('\n');
    const report = await mapExtract(patientMapping(), chunks(csv), { outDir: out });
    expect(report.bundlesWritten).toBe(1);
    expect(report.errors).toEqual([{ row: 3, item: 'call.origin', column: 'Origin', message: 'differs from row 2 of the same call; the value of row 2 is used' }]);
    expect(reportIsClean(report)).toBe(false);
  });

  it('leaves no partial or temporary file when a bundle cannot be written', async () => {
    await mkdir(join(out, 'C2.json')); // a folder where the bundle file should go: the rename fails
    const csv = [HEADER, row('C1'), row('C2'), row('C3')].join('\n');
    await expect(mapExtract(patientMapping(), chunks(csv), { outDir: out, ndjson: true })).rejects.toThrow();
    const left = await outputFiles();
    expect(left.filter((f) => f.endsWith('.tmp') || f.endsWith('.ndjson'))).toEqual([]);
    expect(await readdir(join(out, 'C2.json'))).toEqual([]);
  });
});
