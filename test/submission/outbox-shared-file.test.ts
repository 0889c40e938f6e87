/**
 * One outbox file, several users at once.
 *
 * Enqueueing and reconciling need no lease and are promised safe beside a running worker. Another connection
 * may therefore be in the middle of a write transaction (a second `submit` storing its batch, `reconcile`
 * recording a notification) at the moment the worker claims entries or reconcile records a result. SQLite then
 * makes the second writer wait (busy timeout); it must never fail at once.
 *
 * The other writer here is a thread with its own connection that takes the outbox's write lock when the test
 * asks (a handshake, not a race: the test blocks until the lock is held) and commits a second later.
 *
 * A worker whose drain fails (a state or audit write refused) still owns the sends it has in flight: the next
 * holder of the lease must not find them in `sending` and send them again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/index.js';
import { type BundleSubmitter, DuplicateBundleError, Outbox, OutboxWorker } from '../../src/submission/index.js';

const HOLD_MS = 1000; // well under the outbox's 5 s busy timeout

const dirs: string[] = [];
const threads: Worker[] = [];
afterEach(async () => {
  await Promise.all(threads.splice(0).map((t) => t.terminate()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempOutbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ads-outbox-writer-'));
  dirs.push(dir);
  return join(dir, 'outbox.sqlite');
}

const LOCK_HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const held = new Int32Array(workerData.flag);
parentPort.on('message', () => {
  db.exec('BEGIN IMMEDIATE');
  db.exec(workerData.sql);
  Atomics.store(held, 0, 1);
  Atomics.notify(held, 0);
  setTimeout(() => {
    db.exec('COMMIT');
    parentPort.postMessage('committed');
  }, workerData.holdMs);
});
`;

/**
 * Another connection to `file` that runs `sql` in a write transaction: `holdWriteLock()` returns once it holds
 * the write lock (the statement run, not committed), `committed` when it let go.
 */
function otherWriter(file: string, sql = 'UPDATE outbox_entries SET updated_at = updated_at WHERE id = 1'): { holdWriteLock(): void; committed: Promise<void> } {
  const flag = new SharedArrayBuffer(4);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const thread = new Worker(LOCK_HOLDER, { eval: true, workerData: { file, driver, flag, sql, holdMs: HOLD_MS } });
  threads.push(thread);
  const committed = new Promise<void>((resolve, reject) => {
    thread.once('message', () => resolve());
    thread.once('error', reject);
  });
  return {
    committed,
    holdWriteLock: () => {
      thread.postMessage('lock');
      // Blocks this thread until the other connection holds the lock: whatever this thread does next
      // meets a writer mid-transaction.
      if (Atomics.wait(new Int32Array(flag), 0, 0, 30_000) === 'timed-out') throw new Error('the other writer never took the lock');
    },
  };
}

const bundle = (id: string) => ({ resourceType: 'Bundle', id, type: 'message', entry: [] });
const accepting = (): BundleSubmitter & { sent: number } => {
  const submitter = {
    sent: 0,
    submit: async (_payload: unknown, options?: { correlationId?: string }) => ({
      receiptId: `receipt-${++submitter.sent}`,
      correlationId: options!.correlationId!,
      attempts: 1,
    }),
  };
  return submitter;
};

describe('the outbox beside another connection in the middle of a write', () => {
  it('a delivering worker waits for the other writer at its next claim instead of failing', async () => {
    const file = tempOutbox();
    const outbox = Outbox.open(file);
    outbox.enqueueMany([bundle('w-1'), bundle('w-2'), bundle('w-3')]);
    const other = otherWriter(file);
    const submitter = accepting();
    let first = true;
    const worker = new OutboxWorker(outbox, submitter, {
      concurrency: 1,
      // After the first delivery is recorded and before the next claim: another writer starts its transaction.
      onOutcome: () => {
        if (first) other.holdWriteLock();
        first = false;
      },
    });
    const status = await worker.drain();
    await other.committed;
    outbox.close();
    expect(status).toMatchObject({ accepted: 3, queued: 0, sending: 0, failed: 0, recovered: 0 });
    expect(submitter.sent).toBe(3);
  });

  it('reconciliation waits for the other writer instead of failing', async () => {
    const file = tempOutbox();
    const outbox = Outbox.open(file);
    outbox.enqueueMany([bundle('r-1'), bundle('r-2')]);
    await new OutboxWorker(outbox, accepting()).drain();
    const other = otherWriter(file);

    other.holdWriteLock();
    expect(outbox.markConfirmed({ receiptId: 'receipt-1' })?.state).toBe('confirmed');
    await other.committed;

    const again = otherWriter(file);
    again.holdWriteLock();
    const recorded = outbox.recordNotification({
      meshMessageId: 'mesh-1',
      kind: 'notification',
      status: 'rejected',
      ref: { receiptId: 'receipt-2' },
      issues: [],
    });
    await again.committed;
    expect(recorded).toMatchObject({ duplicate: false, record: { outcome: 'rejected' } });
    expect(outbox.get({ receiptId: 'receipt-2' })?.state).toBe('rejected');
    outbox.close();
  });

  it('of two submitters queueing the same bundle at once, the second is refused as a duplicate', () => {
    const file = tempOutbox();
    const outbox = Outbox.open(file);
    outbox.enqueue(bundle('other'));
    // The first submitter's batch, stored but not yet committed when the second checks for duplicates.
    const first = otherWriter(
      file,
      `INSERT INTO outbox_entries (correlation_id, bundle_id, payload, state, created_at, updated_at, next_attempt_at)
       VALUES ('first-submitter', 'same', '{}', 'queued', 0, 0, 0)`,
    );
    first.holdWriteLock();
    expect(() => outbox.enqueueMany([bundle('same')])).toThrow(DuplicateBundleError);
    expect(outbox.list().filter((e) => e.bundleId === 'same')).toHaveLength(1);
    outbox.close();
  });
});

describe('a worker whose drain fails mid-delivery', () => {
  it('finishes and records its other sends in flight before giving the lease to the next worker', async () => {
    const file = tempOutbox();
    const first = Outbox.open(file);
    first.enqueueMany([bundle('f-1'), bundle('f-2')]);
    const sends = new Map<string, number>();
    const submitter: BundleSubmitter = {
      submit: async (payload, options) => {
        const id = (JSON.parse(payload as string) as { id: string }).id;
        sends.set(id, (sends.get(id) ?? 0) + 1);
        // f-2 is answered on a later turn of the event loop, so it is still in flight when f-1's audit fails.
        if (id === 'f-2') await new Promise((r) => setTimeout(r, 100));
        return { receiptId: `receipt-${id}`, correlationId: options!.correlationId!, attempts: 1 };
      },
    };
    let audits = 0;
    const failingOnce = {
      record: (_event: AuditEvent) => {
        if (audits++ === 0) throw new Error('the audit trail cannot be written');
      },
    };
    const worker = new OutboxWorker(first, submitter, { concurrency: 2, audit: { sink: failingOnce, actor: { userId: 'u', role: 'submitter' } } });
    await expect(worker.drain()).rejects.toThrow('the audit trail cannot be written');
    expect(first.holdsWriterLease).toBe(false);
    // The next worker on the file: it must find nothing left in `sending`, and send nothing again.
    const second = Outbox.open(file);
    const status = await new OutboxWorker(second, submitter).drain();
    expect(status).toMatchObject({ accepted: 2, sending: 0, queued: 0, recovered: 0 });
    expect(Object.fromEntries(sends)).toEqual({ 'f-1': 1, 'f-2': 1 });
    second.close();
    first.close();
  });
});
