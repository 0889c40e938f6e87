import { mkdtempSync, rmSync } from 'node:fs';
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

it('leaves entries in sending alone when opened with recoverInterrupted: false (beside a running worker)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ads-outbox-recover-'));
  dirs.push(dir);
  const file = join(dir, 'outbox.sqlite');
  const worker = Outbox.open(file);
  worker.enqueue({ resourceType: 'Bundle', id: 'in-flight' });
  expect(worker.claim(1)).toHaveLength(1);

  const reader = Outbox.open(file, { recoverInterrupted: false });
  expect(reader.recoveredOnOpen).toBe(0);
  expect(reader.status().sending).toBe(1);
  reader.close();
  worker.close();

  const restarted = Outbox.open(file);
  expect(restarted.recoveredOnOpen).toBe(1);
  expect(restarted.status().queued).toBe(1);
  restarted.close();
});
