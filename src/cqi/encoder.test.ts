import type { Bundle, Encounter, Observation, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { fhirTriageEncoder, stableUuid, TRIAGE_SYSTEMS, triageToFhirBundle } from './encoder.js';
import { sampleTriageInput } from './test-records.js';
import { createTriageRecord } from './triage-record.js';

describe('default FHIR triage encoder', () => {
  const record = createTriageRecord(sampleTriageInput());

  it('carries every field of the record', () => {
    const bundle = triageToFhirBundle(record);
    const resources = bundle.entry!.map((e) => e.resource!);
    const patient = resources.find((r): r is Patient => r.resourceType === 'Patient')!;
    expect(patient.identifier![0]).toEqual({ system: TRIAGE_SYSTEMS.NHS_NUMBER, value: '9434765919' });
    const encounter = resources.find((r): r is Encounter => r.resourceType === 'Encounter')!;
    expect(encounter.identifier![0]!.value).toBe(record.caseId);
    expect(encounter.period).toEqual({ start: record.callConnectedAt, end: record.assessmentEndedAt });
    expect(encounter.serviceType!.text).toBe('NHS 111');
    const obs = resources.filter((r): r is Observation => r.resourceType === 'Observation');
    const byCategory = new Map(obs.map((o) => [o.code.coding![0]!.code, o]));
    expect(byCategory.get('03')!.valueCodeableConcept!.coding![0]!.code).toBe('1011');
    expect(byCategory.get('04')!.valueCodeableConcept!.coding![0]!.code).toBe('4052');
    expect(byCategory.get('02')!.valueCodeableConcept!.coding![0]!.code).toBe('Dx011');
    expect(byCategory.get('02')!.effectiveDateTime).toBe(record.dispositionAt);
    expect(byCategory.get('final-outcome')!.valueString).toBe(record.finalOutcome);
  });

  it('resolves every reference inside the bundle and uses unique full URLs', () => {
    const bundle = triageToFhirBundle(record);
    const fullUrls = bundle.entry!.map((e) => e.fullUrl);
    expect(new Set(fullUrls).size).toBe(fullUrls.length);
    const refs = JSON.stringify(bundle).match(/"reference":"([^"]+)"/g)!.map((m) => m.slice(13, -1));
    for (const r of refs) expect(fullUrls).toContain(r);
  });

  it('leaves the Patient out when no NHS number is known', () => {
    const { nhsNumber: _n, ...rest } = sampleTriageInput();
    const bundle = triageToFhirBundle(createTriageRecord(rest));
    expect(bundle.entry!.some((e) => e.resource!.resourceType === 'Patient')).toBe(false);
    expect(JSON.stringify(bundle)).not.toContain('subject');
  });

  it('is deterministic, so a retry carries the same ids', () => {
    const a = fhirTriageEncoder.encode(record);
    const b = fhirTriageEncoder.encode(createTriageRecord(sampleTriageInput()));
    expect(a.body).toBe(b.body);
    expect(a.headers['X-Request-ID']).toBe(b.headers['X-Request-ID']);
    expect(a.contentType).toBe('application/fhir+json');
    expect((JSON.parse(a.body as string) as Bundle).type).toBe('collection');
    const other = fhirTriageEncoder.encode(createTriageRecord(sampleTriageInput({ caseId: 'CASE-2' })));
    expect(other.headers['X-Request-ID']).not.toBe(a.headers['X-Request-ID']);
  });

  it('makes RFC 9562 shaped uuids', () => {
    expect(stableUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
