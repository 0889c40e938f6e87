import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadAuditKey, verifyAuditChain } from '../../src/audit/index.js';
import { AdsBundleBuilder, sequentialUuids } from '../../src/builder/index.js';
import { runBuild } from '../../src/cli/commands/build.js';
import { runMap } from '../../src/cli/commands/map.js';
import { register as registerReconcile } from '../../src/cli/commands/reconcile.js';
import { register as registerSubmit } from '../../src/cli/commands/submit.js';
import { defaultNotificationHeaders, encodeDefaultNotification } from '../../src/mesh/index.js';
import { Outbox } from '../../src/submission/index.js';
import { MAILBOXES, SHARED_KEY, useStandIn } from '../mesh/helpers.js';
import { register as registerValidate } from '../../src/cli/commands/validate.js';
import { runCli } from '../helpers/run-cli.js';
import Database from 'better-sqlite3';

// The commands record to the trail named by --audit-db (or ADS_FHIR_AUDIT_DB) as --user/--role; the key comes from the environment.
const NHS = '9434765919';
let dir: string;
let db: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'audit-cli-'));
  db = path.join(dir, 'trail', 'audit.sqlite');
  // The trail's folder does not exist yet: the commands create it.
  vi.stubEnv('ADS_FHIR_AUDIT_KEY', randomBytes(32).toString('hex'));
  vi.stubEnv('ADS_FHIR_AUDIT_DB', '');
  vi.stubEnv('ADS_FHIR_USER', '');
  vi.stubEnv('ADS_FHIR_ROLE', '');
  process.exitCode = undefined;
});
afterEach(() => {
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function trail(): { action: string; outcome: string; userId: string; role: string }[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT entry FROM audit_log ORDER BY seq').all() as { entry: string }[]).map((r) => JSON.parse(r.entry));
  } finally {
    d.close();
  }
}

function expectNoPlainNhsNumber(): void {
  const folder = path.dirname(db);
  const raw = readdirSync(folder).map((f) => readFileSync(path.join(folder, f)).toString('latin1')).join('\n');
  expect(raw).toContain('jsmith');
  expect(raw).not.toContain(NHS);
}

function bundleFile(): string {
  const r = AdsBundleBuilder.create({ submitter: { odsCode: 'RX9', name: 'Ambulance Trust' }, ids: sequentialUuids(), clock: () => new Date('2026-11-24T04:00:00Z') })
    .call({ cadId: 'CAD-1', connectedAt: '2026-11-23T10:00:00Z', origin: '01', initialCategory: 'C2', reportingCategory: 'C2', treatmentType: 'see-and-convey-ed' })
    .response({ callSign: 'EA1', times: { allocated: '2026-11-23T10:02:00Z', arrivedAtScene: '2026-11-23T10:12:00Z', clear: '2026-11-23T11:30:00Z' } });
  const p = r.patient({ nhsNumber: { value: NHS, verificationStatus: '01' }, birthDate: '1950-01-01' });
  const { bundle } = p.patientContact({ subject: p.added.ref, response: r.added.ref, conveyance: { outcome: 'conveyed-ed', destination: { odsSiteCode: 'RX1RA', name: 'ED' } } }).build();
  const file = path.join(dir, 'bundle.json');
  writeFileSync(file, JSON.stringify(bundle));
  return file;
}

describe('audit flags on the commands', () => {
  it('validate records one validate entry per payload', async () => {
    const file = bundleFile();
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runCli([registerValidate], 'validate', file, '--audit-db', db, '--user', 'jsmith', '--role', 'R8000');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(trail()).toMatchObject([{ action: 'validate', userId: 'jsmith', role: 'R8000' }]);
    expect(['valid', 'invalid']).toContain(trail()[0]!.outcome);
    expectNoPlainNhsNumber();
    expect(verifyAuditChain(db, { key: loadAuditKey() }).ok).toBe(true);
  }, 120_000);

  it('build records one build entry for the incident, with no plain NHS number', async () => {
    const incident = JSON.parse(readFileSync('examples/incidents/conveyed-to-ed.incident.json', 'utf8')) as { patientContacts: Array<{ patient: { nhsNumber?: { value: string } } }> };
    const nhs = incident.patientContacts[0]?.patient.nhsNumber?.value;
    expect(nhs).toMatch(/^\d{10}$/);
    const file = path.join(dir, 'incident.json');
    writeFileSync(file, JSON.stringify(incident));
    const sink = { stdout: { write: () => true }, stderr: { write: () => true } };
    const code = await runBuild(file, { validate: false, out: path.join(dir, 'bundle.json'), auditDb: db, user: 'jsmith', role: 'R8000' }, sink);
    expect(code).toBe(0);
    expect(trail()).toMatchObject([{ action: 'build', userId: 'jsmith', role: 'R8000' }]);
    const folder = path.dirname(db);
    const raw = readdirSync(folder).map((f) => readFileSync(path.join(folder, f)).toString('latin1')).join('\n');
    expect(raw).toContain('jsmith');
    expect(raw).not.toContain(nhs);
    expect(verifyAuditChain(db, { key: loadAuditKey() }).ok).toBe(true);
  }, 120_000);

  it('validate refuses a trail without a user and role, with a usage error', async () => {
    const file = bundleFile();
    const errors: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((t) => (errors.push(String(t)), true));
    try {
      await runCli([registerValidate], 'validate', file, '--audit-db', db);
    } finally {
      stderr.mockRestore();
    }
    expect(process.exitCode).toBe(2);
    expect(errors.join('')).toContain('--user and --role');
  });

  it('submit --no-deliver records a queued submit entry, with the trail and user from the environment', async () => {
    const file = bundleFile();
    vi.stubEnv('ADS_FHIR_AUDIT_DB', db);
    vi.stubEnv('ADS_FHIR_USER', 'jsmith');
    vi.stubEnv('ADS_FHIR_ROLE', 'R8000');
    const { code } = await runCli([registerSubmit], 'submit', file, '--no-deliver', '--outbox', path.join(dir, 'outbox.sqlite'));
    expect(code ?? 0).toBe(0);
    // The validation before queueing reads the bundle too.
    expect(trail()).toMatchObject([
      { action: 'validate', outcome: 'valid', userId: 'jsmith', role: 'R8000' },
      { action: 'submit', outcome: 'queued', userId: 'jsmith', role: 'R8000' },
    ]);
    expectNoPlainNhsNumber();
    expect(verifyAuditChain(db, { key: loadAuditKey() }).ok).toBe(true);
  });

  it('map records the read of the extract and a build per call', async () => {
    const sink = { write: () => true };
    const code = await runMap('examples/cad-extract.csv', { mapping: 'examples/mappings/cad.mapping.json', out: path.join(dir, 'out'), auditDb: db, user: 'jsmith', role: 'R8000' }, { stdout: sink, stderr: sink });
    expect(code).toBe(0);
    expect(trail().map((e) => e.action)).toEqual(['build', 'build', 'build', 'build', 'build', 'read']);
    expect(verifyAuditChain(db, { key: loadAuditKey() })).toMatchObject({ ok: true, entries: 6 });
  });

  describe('reconcile', () => {
    const ctx = useStandIn();

    it('records a read entry for the bundle each notification names', async () => {
      const outboxFile = path.join(dir, 'outbox.sqlite');
      const outbox = Outbox.open(outboxFile);
      const entry = outbox.enqueue(JSON.parse(readFileSync(bundleFile(), 'utf8')) as object);
      await outbox.takeWriterLease(); // plays the delivering worker
      outbox.claim(1);
      outbox.markAccepted(entry.id, 'r-audit');
      outbox.close();
      const ref = { receiptId: 'r-audit' };
      const body = encodeDefaultNotification({ submissionRef: ref, status: 'accepted', outcome: { resourceType: 'OperationOutcome', issue: [] } });
      ctx.server.postMessage(MAILBOXES[0]!.mailboxId, body, { 'mex-From': MAILBOXES[2]!.mailboxId, ...defaultNotificationHeaders(ref) });
      writeFileSync(path.join(dir, 'pw'), MAILBOXES[0]!.password);
      writeFileSync(path.join(dir, 'key'), SHARED_KEY);
      writeFileSync(path.join(dir, 'mesh.json'), JSON.stringify({ baseUrl: ctx.server.url, mailboxId: MAILBOXES[0]!.mailboxId, passwordFile: 'pw', sharedKeyFile: 'key' }));
      const { code } = await runCli([registerReconcile], 'reconcile', '--config', path.join(dir, 'mesh.json'), '--outbox', outboxFile, '--audit-db', db, '--user', 'jsmith', '--role', 'R8000');
      expect(code).toBe(0);
      expect(trail()).toMatchObject([{ action: 'read', outcome: 'confirmed', userId: 'jsmith' }]);
      expectNoPlainNhsNumber();
      expect(verifyAuditChain(db, { key: loadAuditKey() }).ok).toBe(true);
    });
  });
});
