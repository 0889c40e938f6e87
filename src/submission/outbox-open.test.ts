import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('upgrades a version 1 outbox file: entries kept, business identifiers filled in, notification log added', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ads-outbox-v1-'));
  dirs.push(dir);
  const file = join(dir, 'outbox.sqlite');
  const v1 = new Database(file);
  v1.exec(`CREATE TABLE outbox_entries (
      id INTEGER PRIMARY KEY AUTOINCREMENT, correlation_id TEXT NOT NULL UNIQUE, bundle_id TEXT, payload TEXT NOT NULL,
      state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, recovered INTEGER NOT NULL DEFAULT 0, receipt_id TEXT,
      last_error TEXT, detail TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL,
      accepted_at INTEGER, resolved_at INTEGER);
    INSERT INTO outbox_entries (correlation_id, bundle_id, payload, state, receipt_id, created_at, updated_at, next_attempt_at)
      VALUES ('c1', 'b1', '{"resourceType":"Bundle","id":"b1","identifier":{"value":"business-1"}}', 'accepted', 'r1', 1, 1, 1);
    PRAGMA user_version = 1;`);
  v1.close();

  const outbox = Outbox.open(file);
  try {
    const { record } = outbox.recordNotification({ kind: 'notification', meshMessageId: 'm1', status: 'rejected', ref: { bundleId: 'business-1' }, issues: [] });
    expect(record).toMatchObject({ outcome: 'rejected', matchedBy: 'bundleId', entryId: 1 });
    expect(outbox.get({ correlationId: 'c1' })).toMatchObject({ state: 'rejected', detail: 'no issues given' });
  } finally {
    outbox.close();
  }
  // Opening again does not migrate twice.
  Outbox.open(file).close();
});

it('leaves entries in sending alone while another worker holds the lease, and recovers them once it is gone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ads-outbox-recover-'));
  dirs.push(dir);
  const file = join(dir, 'outbox.sqlite');
  const worker = Outbox.open(file);
  worker.enqueue({ resourceType: 'Bundle', id: 'in-flight' });
  await worker.takeWriterLease();
  expect(worker.claim(1)).toHaveLength(1);

  const second = Outbox.open(file);
  await expect(second.takeWriterLease()).rejects.toMatchObject({ code: 'outbox-busy', message: expect.stringContaining(`process ${process.pid}`) });
  expect(second.status().sending).toBe(1);
  worker.close();

  expect(await second.takeWriterLease()).toEqual({ recovered: 1 });
  expect(second.status().queued).toBe(1);
  second.close();
});

it('creates its files readable by the owner only, and does not create one when it must exist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ads-outbox-mode-'));
  dirs.push(dir);
  const file = join(dir, 'sub', 'outbox.sqlite');
  expect(() => Outbox.open(file, { mustExist: true })).toThrow(expect.objectContaining({ code: 'missing' }));
  expect(existsSync(file)).toBe(false);
  const outbox = Outbox.open(file);
  outbox.enqueue({ resourceType: 'Bundle', id: 'm' });
  for (const f of [file, `${file}-wal`]) expect(statSync(f).mode & 0o777).toBe(0o600);
  outbox.close();
});

it('takes no lease when it cannot record itself as the holder, so the next worker is not shut out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ads-outbox-holder-'));
  dirs.push(dir);
  const file = join(dir, 'outbox.sqlite');
  Outbox.open(file).close();
  // The holder's record cannot be written (as on a full disk): a trigger refuses it.
  const raw = new Database(file);
  raw.exec(`CREATE TABLE IF NOT EXISTS writer_lease (
      id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, purpose TEXT NOT NULL);
    CREATE TRIGGER refuse_holder BEFORE INSERT ON writer_lease BEGIN SELECT RAISE(ABORT, 'refused'); END;`);
  const first = Outbox.open(file);
  await expect(first.takeWriterLease()).rejects.toThrow('refused');
  expect(first.holdsWriterLease).toBe(false);
  raw.exec('DROP TRIGGER refuse_holder');
  raw.close();
  const second = Outbox.open(file);
  await expect(second.takeWriterLease()).resolves.toEqual({ recovered: 0 });
  second.close();
  first.close();
});
