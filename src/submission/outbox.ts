/**
 * The durable outbox: a bundle is written to SQLite (WAL) before any attempt to send it, and its
 * delivery state is recorded at each step, so a crash loses nothing. Delivery is at least once:
 * see docs/delivery-guarantee.md.
 *
 * One worker at a time sends from a file: sending needs the outbox's writer lease, which a second worker
 * waits for or is refused. Entries in `sending` therefore belong to the lease holder; whoever takes the
 * lease next knows any left over were interrupted, and re-queues them.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { recordAuditSync, type AuditOption } from '../audit/option.js';
import { auditRecordIdOf, patientIdsOf } from '../audit/patient-ids.js';
import { type Clock, excerpt, systemClock } from '../net/index.js';
import { acquireWriterLease, openDatabase, StoreError, type WriterLease } from '../sqlite/index.js';
import { SubmissionError } from './errors.js';
import {
  applyNotification,
  type NotificationInput,
  type NotificationQuery,
  type NotificationRecord,
  type RecordedNotification,
  queryNotifications,
  transition,
} from './outbox-notifications.js';
import {
  DuplicateBundleError,
  ENTRY_COLUMNS,
  findDuplicates,
  keyColumn,
  type OutboxEntry,
  type OutboxKey,
  type Row,
  serialise,
  toEntry,
} from './outbox-rows.js';
import { OUTBOX_MIGRATIONS, OUTBOX_STATES, type OutboxState } from './outbox-schema.js';

export { OUTBOX_STATES, type OutboxState } from './outbox-schema.js';
export { type DuplicateBundle, DuplicateBundleError, type OutboxEntry, type OutboxKey } from './outbox-rows.js';

/** Counts per state, plus the recovered (possible duplicate) sends. */
export type OutboxStatus = Record<OutboxState, number> & { total: number; recovered: number };

/** Settings of an outbox file. */
export interface OutboxOptions {
  /**
   * SQLite sync for the state changes made while delivering (claim, accepted, retry, failed).
   * `NORMAL` (default) survives a process crash; after power loss the last few changes may roll back,
   * which re-sends those bundles (duplicates, never losses). `FULL` syncs every change.
   * Enqueueing and reconciliation (`markRejected`/`markConfirmed`) always sync fully.
   */
  deliverySync?: 'FULL' | 'NORMAL';
  /** Open an existing outbox only: a mistyped path is an error instead of a new, empty outbox. */
  mustExist?: boolean;
  /**
   * Keep the services' free text (an error answer's body, a notification's diagnostics) beside the codes.
   * It can quote submitted patient data, so it is dropped unless the operator asks for it (default false).
   */
  keepFreeText?: boolean;
  clock?: Clock;
  /** Audit trail: every bundle enqueued records a `submit` entry with outcome `queued`, after the commit. */
  audit?: AuditOption;
}

/** Settings of {@link Outbox.takeWriterLease}. */
export interface WriterLeaseOptions {
  /** Wait for another worker to finish (true) or refuse at once (false, the default). */
  wait?: boolean;
  /** Stop waiting after this many ms. */
  timeoutMs?: number;
  /** Called once when another process holds the lease and we start waiting; names it. */
  onWait?: (holder: string) => void;
}

/** Per-batch settings of {@link Outbox.enqueueMany}. */
export interface EnqueueOptions {
  /** Queue bundles already in the outbox (same Bundle.id or same content) again. */
  force?: boolean;
  /** Where each bundle came from (a file name), in the same order; shown by `outbox status`. */
  sources?: readonly (string | undefined)[];
}

/** An entry claimed for sending, with the stored JSON to send verbatim. */
export interface ClaimedEntry {
  id: number;
  correlationId: string;
  payload: string;
  attempts: number;
}

/** A durable queue of bundles and their delivery state, in one SQLite file. One sending worker per file. */
export class Outbox {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly relaxedDeliverySync: boolean;
  private readonly clock: Clock;
  private lease: WriterLease | { held: boolean; release(): void } | undefined;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly options: OutboxOptions,
  ) {
    this.relaxedDeliverySync = (options.deliverySync ?? 'NORMAL') === 'NORMAL';
    this.clock = options.clock ?? systemClock;
  }

  /** Opens (creating unless `mustExist`) the outbox at `path`; `:memory:` for a throw-away one. */
  static open(path: string, options: OutboxOptions = {}): Outbox {
    const db = openDatabase(path, {
      what: 'outbox',
      migrations: OUTBOX_MIGRATIONS,
      synchronous: (options.deliverySync ?? 'NORMAL') === 'NORMAL' ? 'NORMAL' : 'FULL',
      ...(options.mustExist ? { mustExist: true } : {}),
    });
    return new Outbox(db, path, options);
  }

  /** Whether this outbox holds the file's writer lease (and may claim entries). */
  get holdsWriterLease(): boolean {
    return this.lease?.held === true;
  }

  /**
   * Takes the file's writer lease, needed to send; then re-queues any entry left in `sending`, which can
   * only be a send a crashed worker never finished (counted in `recovered`: each may be a duplicate).
   * Another worker holding the lease is waited for or refused (a `outbox-busy` error naming it).
   * Returns how many interrupted sends were re-queued.
   */
  async takeWriterLease(options: WriterLeaseOptions = {}): Promise<{ recovered: number }> {
    if (!this.holdsWriterLease) {
      if (this.path === ':memory:') this.lease = memoryLease();
      else {
        try {
          this.lease = await acquireWriterLease(this.db, this.path, {
            what: 'outbox',
            purpose: 'delivering',
            ...(options.wait ? { wait: true } : {}),
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
            sleep: (ms) => this.clock.sleep(ms),
            ...(options.onWait ? { onWait: (holder) => options.onWait!(holder ? `process ${holder.pid} on ${holder.host}` : 'another process') } : {}),
          });
        } catch (error) {
          if (error instanceof StoreError && error.code === 'busy') throw new SubmissionError('outbox-busy', error.message);
          throw error;
        }
      }
    }
    return { recovered: this.recoverInterrupted() };
  }

  /** Gives the writer lease up (closing the outbox does too). */
  releaseWriterLease(): void {
    this.lease?.release();
    this.lease = undefined;
  }

  /**
   * Stores one bundle (an object or its JSON text) as `queued`; the commit happens before this returns,
   * so the bundle survives a crash from here on. Returns the new entry.
   */
  enqueue(bundle: object | string, options: { force?: boolean; source?: string } = {}): OutboxEntry {
    const [entry] = this.enqueueMany([bundle], { ...(options.force ? { force: true } : {}), sources: [options.source] });
    return entry!;
  }

  /**
   * Stores many bundles in one transaction: all of them or none. A bundle already in the outbox, in any
   * state, or twice in the batch (same `Bundle.id` or same content) refuses the whole batch with a
   * {@link DuplicateBundleError}, unless `force`.
   */
  enqueueMany(bundles: Iterable<object | string>, options: EnqueueOptions = {}): OutboxEntry[] {
    const insert = this.sql(
      `INSERT INTO outbox_entries (correlation_id, bundle_id, bundle_identifier, source, content_hash, payload, state, created_at, updated_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
    );
    const serialised = [...bundles].map(serialise);
    const ids: number[] = [];
    // The check and the inserts in one write transaction: two submitters given the same file at once queue it once.
    this.durably(() => {
      if (!options.force) {
        const duplicates = findDuplicates((text) => this.sql(text), serialised);
        if (duplicates.length > 0) throw new DuplicateBundleError(duplicates);
      }
      const now = this.clock.now();
      serialised.forEach((b, i) => {
        const source = options.sources?.[i];
        ids.push(
          Number(insert.run(randomUUID(), b.bundleId ?? null, b.bundleIdentifier ?? null, source ?? null, b.contentHash, b.payload, now, now, now).lastInsertRowid),
        );
      });
    });
    for (const b of serialised) {
      recordAuditSync(this.options.audit, { action: 'submit', recordId: auditRecordIdOf(b.parsed), outcome: 'queued', patientIds: patientIdsOf(b.parsed) });
    }
    return ids.map((id) => this.get({ id })!);
  }

  /**
   * Moves up to `limit` entries that are due from `queued` to `sending`, in order, and returns them.
   * Needs the writer lease. The state change is committed before the caller sends: a crash after this
   * point leaves them in `sending`, which the next holder of the lease re-queues.
   */
  claim(limit: number): ClaimedEntry[] {
    if (!this.holdsWriterLease) throw new SubmissionError('outbox-busy', 'claiming entries needs the outbox writer lease (takeWriterLease)');
    const select = this.sql(
      `SELECT id, correlation_id, payload, attempts FROM outbox_entries
       WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    );
    const mark = this.sql(`UPDATE outbox_entries SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?`);
    return this.writing(() => {
      const now = this.clock.now();
      const rows = select.all(now, limit) as { id: number; correlation_id: string; payload: string; attempts: number }[];
      for (const row of rows) mark.run(now, row.id);
      return rows.map((r) => ({ id: r.id, correlationId: r.correlation_id, payload: r.payload, attempts: r.attempts + 1 }));
    });
  }

  /** Records the receipt of a delivered entry: `sending` -> `accepted`. */
  markAccepted(id: number, receiptId: string): void {
    const now = this.clock.now();
    this.sql(
      `UPDATE outbox_entries SET state = 'accepted', receipt_id = ?, accepted_at = ?, updated_at = ?, last_error = NULL
       WHERE id = ? AND state = 'sending'`,
    ).run(receiptId, now, now, id);
  }

  /** A failed attempt that may succeed later: back to `queued`, due at `retryAt`. */
  markRetry(id: number, reason: string, retryAt: number): void {
    this.sql(
      `UPDATE outbox_entries SET state = 'queued', last_error = ?, next_attempt_at = ?, updated_at = ?
       WHERE id = ? AND state = 'sending'`,
    ).run(excerpt(reason, 500), retryAt, this.clock.now(), id);
  }

  /**
   * A final failure (non-retryable error or attempts exhausted): `failed` with the reason. `serverText`, the
   * server's own words, is stored only when the outbox keeps free text.
   */
  markFailed(id: number, reason: string, serverText?: string): void {
    const now = this.clock.now();
    const kept = this.options.keepFreeText && serverText ? excerpt(serverText, 2000) : null;
    this.sql(
      `UPDATE outbox_entries SET state = 'failed', last_error = ?, server_text = COALESCE(?, server_text), resolved_at = ?, updated_at = ?
       WHERE id = ? AND state = 'sending'`,
    ).run(excerpt(reason, 500), kept, now, now, id);
  }

  /**
   * Records that the processing service rejected an entry (an error notification matched it by receipt
   * id or correlation id). Returns the updated entry, or undefined when no entry matched.
   * Any state but `confirmed` may become `rejected`: a notification can outrun our own record of the receipt.
   */
  markRejected(key: OutboxKey, detail: string, receiptId?: string): OutboxEntry | undefined {
    const id = this.durably(() => {
      const entry = this.get(key);
      return entry && transition(this.context(), entry, 'rejected', detail, receiptId) ? entry.id : undefined;
    });
    return id === undefined ? undefined : this.get({ id });
  }

  /** Records that the processing service confirmed an accepted entry. */
  markConfirmed(key: OutboxKey, detail?: string): OutboxEntry | undefined {
    const id = this.durably(() => {
      const entry = this.get(key);
      return entry && transition(this.context(), entry, 'confirmed', detail, undefined) ? entry.id : undefined;
    });
    return id === undefined ? undefined : this.get({ id });
  }

  /**
   * Stores a notification received over MESH and applies it, in one fully synced transaction: the entry it
   * names (by receipt id, else correlation id, else bundle id) becomes `rejected` or `confirmed`. A MESH
   * message id already stored changes nothing (`duplicate: true`). Notifications that match no entry are
   * stored as `unmatched`. Free text is dropped unless the outbox keeps it. Acknowledge the MESH message
   * only after this returns.
   */
  recordNotification(input: NotificationInput): RecordedNotification {
    return this.durably(() => applyNotification(this.context(), input));
  }

  /** Stored notifications, newest first: of one entry, the unmatched ones, or all. */
  notifications(query: NotificationQuery = {}): NotificationRecord[] {
    return queryNotifications(this.context(), query);
  }

  /** Puts `failed` entries (all, or the given ids) back in the queue, e.g. after fixing credentials. */
  requeueFailed(ids?: number[]): number {
    const now = this.clock.now();
    const sql = `UPDATE outbox_entries SET state = 'queued', next_attempt_at = ?, updated_at = ?, resolved_at = NULL
                 WHERE state = 'failed'`;
    if (!ids) return this.sql(sql).run(now, now).changes;
    const stmt = this.sql(`${sql} AND id = ?`);
    return this.writing(() => ids.reduce((n, id) => n + stmt.run(now, now, id).changes, 0));
  }

  /** One entry by id, receipt id or correlation id. */
  get(key: OutboxKey): OutboxEntry | undefined {
    const [column, value] = keyColumn(key);
    const row = this.sql(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE ${column} = ? LIMIT 1`).get(value) as Row | undefined;
    return row ? toEntry(row) : undefined;
  }

  /** The stored JSON text of an entry. */
  payload(id: number): string | undefined {
    const row = this.sql('SELECT payload FROM outbox_entries WHERE id = ?').get(id) as { payload: string } | undefined;
    return row?.payload;
  }

  /** Entries in id order, optionally of some states only. */
  list(options: { states?: OutboxState[]; limit?: number; offset?: number } = {}): OutboxEntry[] {
    const states = options.states ?? [...OUTBOX_STATES];
    const rows = this.sql(
      `SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE state IN (${states.map(() => '?').join(',')})
       ORDER BY id LIMIT ? OFFSET ?`,
    ).all(...states, options.limit ?? -1, options.offset ?? 0) as Row[];
    return rows.map(toEntry);
  }

  /** Counts per state. */
  status(): OutboxStatus {
    const status = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as OutboxStatus;
    const rows = this.sql('SELECT state, COUNT(*) AS n FROM outbox_entries GROUP BY state').all() as { state: OutboxState; n: number }[];
    for (const row of rows) status[row.state] = row.n;
    status.total = rows.reduce((sum, r) => sum + r.n, 0);
    status.recovered = (this.sql('SELECT COALESCE(SUM(recovered), 0) AS n FROM outbox_entries').get() as { n: number }).n;
    return status;
  }

  /** When the earliest queued entry is due, or undefined when none is queued. */
  nextDueAt(): number | undefined {
    const row = this.sql(`SELECT MIN(next_attempt_at) AS t FROM outbox_entries WHERE state = 'queued'`).get() as { t: number | null };
    return row.t ?? undefined;
  }

  /** Releases the writer lease, if held, and closes the database file. */
  close(): void {
    this.releaseWriterLease();
    this.db.close();
  }

  /** A prepared statement, compiled on first use and kept for the life of the outbox. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** What the notification log needs from the outbox, inside a transaction the caller holds. */
  private context() {
    return { sql: (text: string) => this.sql(text), now: () => this.clock.now(), get: (key: OutboxKey) => this.get(key), keepFreeText: this.options.keepFreeText === true };
  }

  /**
   * Runs `work` in a transaction committed with a full sync: enqueued bundles and reconciliation results
   * must survive power loss. State changes during delivery use the lighter WAL `NORMAL` sync: losing one
   * of those to power loss can only cause a re-send (a duplicate), never a lost bundle.
   */
  private durably<T>(work: () => T): T {
    if (this.relaxedDeliverySync) this.db.pragma('synchronous = FULL');
    try {
      return this.writing(work);
    } finally {
      if (this.relaxedDeliverySync) this.db.pragma('synchronous = NORMAL');
    }
  }

  /**
   * Runs `work` in a transaction that takes the write lock first (IMMEDIATE). Other processes write to the
   * file beside a worker (enqueueing, reconciling); SQLite's busy timeout makes a writer wait for them only
   * while it holds no snapshot. A deferred transaction that reads and then writes fails at once instead
   * (SQLITE_BUSY, or SQLITE_BUSY_SNAPSHOT when the other commits in between): a worker killed by a claim.
   */
  private writing<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  private recoverInterrupted(): number {
    return this.sql(
      `UPDATE outbox_entries SET state = 'queued', recovered = recovered + 1, updated_at = ?,
         last_error = 'interrupted while sending; re-queued (the server may already have it)'
       WHERE state = 'sending'`,
    ).run(this.clock.now()).changes;
  }
}

/** An in-memory outbox has no other process to exclude: its lease is a flag. */
function memoryLease(): { held: boolean; release(): void } {
  const lease = { held: true, release: () => void (lease.held = false) };
  return lease;
}
