import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Bundle } from 'fhir/r4';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patientIdsOf, SqliteAuditStore, verifyAuditChain, type AuditOption, type StoredAuditEntry } from '../src/audit/index.js';
import { AdsBundleBuilder, sequentialUuids, type AdsBuilderOptions } from '../src/builder/index.js';
import { defaultNotificationHeaders, encodeDefaultNotification } from '../src/mesh/index.js';
import { loadMappingFile, mapExtract } from '../src/mapping/index.js';
import { Outbox, OutboxWorker, reconcile } from '../src/submission/index.js';
import { createValidationService, type ValidationService } from '../src/validation/index.js';
import { clientFor, MAILBOXES, useStandIn } from './mesh/helpers.js';

// Every wired entry point records who, what and when; no NHS number in plain text anywhere in the trail's files.
const NHS = '9434765919';
const ACTOR = { userId: 'jsmith', role: 'R8000' };

function conveyed(over: Partial<AdsBuilderOptions> = {}) {
  const r = AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'Ambulance Trust' }, ids: sequentialUuids(), clock: () => new Date('2026-11-24T04:00:00Z'), ...over })
    .call({ cadId: 'CAD-1', connectedAt: '2026-11-23T10:00:00Z', origin: '01', initialCategory: 'C2', reportingCategory: 'C2', treatmentType: 'see-and-convey-ed' })
    .response({ callSign: 'EA1', times: { allocated: '2026-11-23T10:02:00Z', arrivedAtScene: '2026-11-23T10:12:00Z', clear: '2026-11-23T11:30:00Z' } });
  const p = r.patient({ nhsNumber: { value: NHS, verificationStatus: '01' }, birthDate: '1950-01-01' });
  return p.patientContact({ subject: p.added.ref, response: r.added.ref, conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RX1RA', name: 'ED' } } });
}

let dir: string;
let dbPath: string;
let store: SqliteAuditStore;
let auditKey: Buffer;
let audit: AuditOption;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'audit-trail-'));
  dbPath = path.join(dir, 'audit.sqlite');
  auditKey = randomBytes(32);
  store = new SqliteAuditStore(dbPath, auditKey);
  audit = { sink: store, actor: ACTOR };
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function entries(): StoredAuditEntry[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT entry FROM audit_log ORDER BY seq').all() as { entry: string }[]).map((r) => JSON.parse(r.entry) as StoredAuditEntry);
  } finally {
    db.close();
  }
}

/** The raw bytes of the trail (database, WAL and shared memory files) hold none of these digits. */
function expectNoPlainIds(ids: readonly string[]): void {
  expect(ids.length).toBeGreaterThan(0);
  const raw = readdirSync(dir).map((f) => readFileSync(path.join(dir, f)).toString('latin1')).join('\n');
  expect(raw).toContain('jsmith'); // the files are readable as text: a missing id is not an artefact
  for (const id of ids) expect(raw).not.toContain(id);
}

function expectIntactWith(count: number): void {
  expect(verifyAuditChain(dbPath, { key: auditKey })).toMatchObject({ ok: true, entries: count });
}

describe('patientIdsOf', () => {
  it('finds NHS numbers of Patients in bundles and contained resources, and nothing else', () => {
    const patient = (value: string, system = 'https://fhir.nhs.uk/Id/nhs-number') => ({ resourceType: 'Patient', identifier: [{ system, value }] });
    const bundle = {
      resourceType: 'Bundle',
      identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '1111111111' },
      entry: [{ resource: patient('943 476 5919') }, { resource: patient('9876543210', 'https://example.org/mrn') }, { resource: { resourceType: 'Encounter', contained: [patient('9990001057')] } }, { resource: patient('9434765919') }],
    };
    expect(patientIdsOf(bundle)).toEqual(['9434765919', '9990001057']);
    expect(patientIdsOf('not fhir')).toEqual([]);
    expect(patientIdsOf(null)).toEqual([]);
  });
});

describe('audit trail: builder', () => {
  it('build() records a build entry with the bundle id and the hashed NHS number; without the option nothing changes', () => {
    const contact = conveyed();
    const { bundle } = contact.build(undefined, { audit });
    expect(entries()).toMatchObject([{ action: 'build', outcome: 'valid', userId: 'jsmith', role: 'R8000', recordId: `Bundle/${bundle.id}`, patientRefs: [store.patientRef(NHS)] }]);
    expect(JSON.stringify(contact.build())).toBe(JSON.stringify(contact.build(undefined, { audit })));
    conveyed({ audit }).build();
    expect(entries()).toHaveLength(3);
    expectNoPlainIds([NHS]);
    expectIntactWith(3);
  });

  it('records invalid when the validator finds errors', () => {
    conveyed().build(() => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] }), { audit });
    expect(entries()).toMatchObject([{ action: 'build', outcome: 'invalid' }]);
  });
});

describe('audit trail: validation', () => {
  let service: ValidationService;
  beforeAll(async () => {
    service = await createValidationService();
  }, 120_000);

  it('validate and validateText record validate entries with valid or invalid', () => {
    const { bundle } = conveyed().build();
    const plain = service.validate(bundle);
    expect(service.validate(bundle, { audit })).toEqual(plain);
    const text = JSON.stringify(bundle);
    expect(service.validateText(text, { audit }).outcome).toEqual(service.validateText(text).outcome);
    const broken = structuredClone(bundle) as Bundle;
    (broken.entry![1]!.resource as { resourceType: string }).resourceType = 'NotAType';
    service.validateText(JSON.stringify(broken), { audit });
    service.validateText('{ not json', { audit });
    expect(entries().map((e) => [e.action, e.outcome, e.recordId])).toEqual([
      ['validate', plain.issue.some((i) => i.severity === 'error' || i.severity === 'fatal') ? 'invalid' : 'valid', `Bundle/${bundle.id}`],
      ['validate', plain.issue.some((i) => i.severity === 'error' || i.severity === 'fatal') ? 'invalid' : 'valid', `Bundle/${bundle.id}`],
      ['validate', 'invalid', `Bundle/${bundle.id}`],
      ['validate', 'invalid', 'unreadable'],
    ]);
    expect(entries()[0]!.patientRefs).toEqual([store.patientRef(NHS)]);
    expectNoPlainIds([NHS]);
    expectIntactWith(4);
  });
  it('text read once: the kept payload and the audited ids are those of the JSON the validator read', () => {
    const { bundle } = conveyed().build();
    const text = JSON.stringify(bundle, null, 2);
    const kept = service.validateText(text, { withResource: true, audit });
    expect(kept.resource).toEqual(JSON.parse(text));
    expect(service.validate(text, { audit })).toEqual(kept.outcome);
    // Text JSON.parse rejects is not kept, even where the lenient reading validates it.
    const lenient = service.validateText('{"resourceType": "Patient", "active": true,}', { withResource: true, audit });
    expect(lenient.outcome.issue.map((i) => i.details?.coding?.[0]?.code)).toContain('JSON_COMMA_EXTRA');
    expect(lenient.resource).toBeUndefined();
    expect(service.validateText('{ not json', { withResource: true }).resource).toBeUndefined();
    expect(entries().map((e) => [e.action, e.recordId])).toEqual([
      ['validate', `Bundle/${bundle.id}`],
      ['validate', `Bundle/${bundle.id}`],
      ['validate', 'unreadable'],
    ]);
    expect(entries()[1]!.patientRefs).toEqual([store.patientRef(NHS)]);
  });
});

describe('audit trail: mapping', () => {
  it('mapExtract records one read of the extract and one build per call', async () => {
    const out = path.join(dir, 'out');
    const mapping = await loadMappingFile('examples/mappings/cad.mapping.json');
    const report = await mapExtract(mapping, createReadStream('examples/cad-extract.csv'), { outDir: out, audit, ids: sequentialUuids(), clock: () => new Date('2026-11-24T04:00:00Z') });
    expect(report.bundlesWritten).toBe(5);
    const trail = entries();
    expect(trail.filter((e) => e.action === 'build').map((e) => e.outcome)).toEqual(['written', 'written', 'written', 'written', 'written']);
    expect(trail.at(-1)).toMatchObject({ action: 'read', outcome: 'success', recordId: `extract/${mapping.name ?? 'csv'}` });
    const csv = readFileSync('examples/cad-extract.csv', 'utf8').split('\n');
    const column = csv[0]!.split(',').indexOf('NHSNumber');
    const nhsNumbers = csv.slice(1).map((line) => line.split(',')[column] ?? '').filter((v) => /^\d{10}$/.test(v));
    expect(trail.flatMap((e) => e.patientRefs)).toEqual(expect.arrayContaining([...new Set(nhsNumbers)].map((n) => store.patientRef(n))));
    rmSync(out, { recursive: true, force: true });
    expectNoPlainIds(nhsNumbers);
    expectIntactWith(6);
  });
});

describe('audit trail: submission', () => {
  const ctx = useStandIn();

  it('enqueue records queued, delivery records accepted, reconciliation records the notification read', async () => {
    const { bundle } = conveyed().build();
    const outbox = Outbox.open(path.join(dir, 'outbox.sqlite'), { audit });
    try {
      outbox.enqueue(bundle);
      const worker = new OutboxWorker(outbox, { submit: async () => ({ receiptId: 'r-1' }) } as never, { audit });
      await worker.drain();
      const body = encodeDefaultNotification({ submissionRef: { receiptId: 'r-1' }, status: 'accepted', outcome: { resourceType: 'OperationOutcome', issue: [] } });
      ctx.server.postMessage(MAILBOXES[0]!.mailboxId, body, { 'mex-From': MAILBOXES[2]!.mailboxId, ...defaultNotificationHeaders({ receiptId: 'r-1' }) });
      await reconcile(outbox, clientFor(ctx.server), { audit });
    } finally {
      outbox.close();
    }
    const ref = store.patientRef(NHS);
    expect(entries().map((e) => [e.action, e.outcome, e.recordId, e.patientRefs])).toEqual([
      ['submit', 'queued', `Bundle/${bundle.id}`, [ref]],
      ['submit', 'accepted', `Bundle/${bundle.id}`, [ref]],
      ['read', 'confirmed', `Bundle/${bundle.id}`, [ref]],
    ]);
    rmSync(path.join(dir, 'outbox.sqlite'), { force: true });
    for (const f of readdirSync(dir)) if (f.startsWith('outbox')) rmSync(path.join(dir, f), { force: true });
    expectNoPlainIds([NHS]);
    expectIntactWith(3);
  });

  it('an outbox without the option records nothing', () => {
    const outbox = Outbox.open(path.join(dir, 'plain.sqlite'));
    outbox.enqueue(conveyed().build().bundle);
    outbox.close();
    expect(entries()).toEqual([]);
  });
});

