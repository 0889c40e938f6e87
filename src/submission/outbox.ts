/**
 * The durable outbox: a bundle is written to SQLite (WAL) before any attempt to send it, and its
 * delivery state is recorded at each step, so a crash loses nothing. Delivery is at least once:
 * see docs/delivery-guarantee.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { recordAuditSync, type AuditOption } from '../audit/option.js';
import { auditRecordIdOf, patientIdsOf } from '../audit/patient-ids.js';
import { type Clock, systemClock } from './clock.js';
import { SubmissionError } from './errors.js';
import { migrate, OUTBOX_STATES, type OutboxState } from './outbox-schema.js';
import {
  describeIssues,
  type MatchedBy,
  NOTIFICATION_COLUMNS,
  type NotificationInput,
  type NotificationOutcome,
  type NotificationQuery,
  type NotificationRecord,
  type NotificationRow,
  type RecordedNotification,
  toNotificationRecord,
} from './outbox-notifications.js';
import { excerpt } from './redact.js';

export { OUTBOX_STATES, type OutboxState } from './outbox-schema.js';

/** One bundle in the outbox, without its payload. */
export interface OutboxEntry {
  id: number;
  correlationId: string;
  /** `Bundle.id`, when the bundle had one. */
  bundleId: string | undefined;
  state: OutboxState;
  /** Send attempts started (each may include the client's own retries). */
  attempts: number;
  /** Times this entry was found in `sending` after a crash and re-queued: each may be a duplicate. */
  recovered: number;
  receiptId: string | undefined;
  /** Why the last attempt failed, or why the entry is `failed` (redacted). */
  lastError: string | undefined;
  /** The processing service's detail for `rejected` (or a note on `confirmed`). */
  detail: string | undefined;
  createdAt: number;
  updatedAt: number;
  nextAttemptAt: number;
  acceptedAt: number | undefined;
  resolvedAt: number | undefined;
}

/** Counts per state, plus the recovered (possible duplicate) sends. */
export type OutboxStatus = Record<OutboxState, number> & { total: number; recovered: number };

/** How to find an entry named by a later notification. */
export type OutboxKey = { receiptId: string } | { correlationId: string } | { id: number };

/** Settings of an outbox file. */
export interface OutboxOptions {
  /**
   * SQLite sync for the state changes made while delivering (claim, accepted, retry, failed).
   * `NORMAL` (default) survives a process crash; after power loss the last few changes may roll back,
   * which re-sends those bundles (duplicates, never losses). `FULL` syncs every change.
   * Enqueueing and reconciliation (`markRejected`/`markConfirmed`) always sync fully.
   */
  deliverySync?: 'FULL' | 'NORMAL';
  /**
   * Re-queue entries left in `sending` (default true). Pass false when opening the file beside a running
   * worker, e.g. to reconcile or report: its sends in flight are not interrupted ones.
   */
  recoverInterrupted?: boolean;
  clock?: Clock;
  /** Audit trail: every bundle enqueued records a `submit` entry with outcome `queued`, after the commit. */
  audit?: AuditOption;
}

interface Row {
  id: number;
  correlation_id: string;
  bundle_id: string | null;
  state: OutboxState;
  attempts: number;
  recovered: number;
  receipt_id: string | null;
  last_error: string | null;
  detail: string | null;
  created_at: number;
  updated_at: number;
  next_attempt_at: number;
  accepted_at: number | null;
  resolved_at: number | null;
}

/** An entry claimed for sending, with the stored JSON to send verbatim. */
export interface ClaimedEntry {
  id: number;
  correlationId: string;
  payload: string;
  attempts: number;
}

const ENTRY_COLUMNS = `id, correlation_id, bundle_id, state, attempts, recovered, receipt_id, last_error, detail,
  created_at, updated_at, next_attempt_at, accepted_at, resolved_at`;

/** A durable queue of bundles and their delivery state, in one SQLite file. One worker process per file. */
export class Outbox {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly relaxedDeliverySync: boolean;
  private readonly audit: AuditOption | undefined;
  /** Entries found in `sending` when this outbox was opened (left by a crash) and re-queued. */
  readonly recoveredOnOpen: number;

  private constructor(path: string, options: OutboxOptions) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.relaxedDeliverySync = (options.deliverySync ?? 'NORMAL') === 'NORMAL';
    this.db.pragma(`synchronous = ${this.relaxedDeliverySync ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.clock = options.clock ?? systemClock;
    this.audit = options.audit;
    this.recoveredOnOpen = options.recoverInterrupted === false ? 0 : this.recoverInterrupted();
  }

  /** Opens (creating if needed) the outbox at `path` and re-queues sends a crash interrupted. */
  static open(path: string, options: OutboxOptions = {}): Outbox {
    return new Outbox(path, options);
  }

  /**
   * Stores one bundle (an object or its JSON text) as `queued`; the commit happens before this returns,
   * so the bundle survives a crash from here on. Returns the new entry.
   */
  enqueue(bundle: object | string): OutboxEntry {
    const [entry] = this.enqueueMany([bundle]);
    return entry!;
  }

  /** Stores many bundles in one transaction: all of them or none. */
  enqueueMany(bundles: Iterable<object | string>): OutboxEntry[] {
    const insert = this.sql(
      `INSERT INTO outbox_entries (correlation_id, bundle_id, bundle_identifier, payload, state, created_at, updated_at, next_attempt_at)
       VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)`,
    );
    const ids: number[] = [];
    const parsedBundles: unknown[] = [];
    this.durably(() => {
      const now = this.clock.now();
      for (const bundle of bundles) {
        const { payload, bundleId, bundleIdentifier, parsed } = serialise(bundle);
        ids.push(Number(insert.run(randomUUID(), bundleId ?? null, bundleIdentifier ?? null, payload, now, now, now).lastInsertRowid));
        if (this.audit) parsedBundles.push(parsed);
      }
    });
    parsedBundles.forEach((parsed) => recordAuditSync(this.audit, { action: 'submit', recordId: auditRecordIdOf(parsed), outcome: 'queued', patientIds: patientIdsOf(parsed) }));
    return ids.map((id) => this.get({ id })!);
  }

  /**
   * Moves up to `limit` entries that are due from `queued` to `sending`, in order, and returns them.
   * The state change is committed before the caller sends: a crash after this point leaves them in
   * `sending`, which the next {@link Outbox.open} re-queues.
   */
  claim(limit: number): ClaimedEntry[] {
    const select = this.sql(
      `SELECT id, correlation_id, payload, attempts FROM outbox_entries
       WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
    );
    const mark = this.sql(
      `UPDATE outbox_entries SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?`,
    );
    return this.db.transaction(() => {
      const now = this.clock.now();
      const rows = select.all(now, limit) as { id: number; correlation_id: string; payload: string; attempts: number }[];
      for (const row of rows) mark.run(now, row.id);
      return rows.map((r) => ({ id: r.id, correlationId: r.correlation_id, payload: r.payload, attempts: r.attempts + 1 }));
    })();
  }

  /** Records the receipt of a delivered entry: `sending` -> `accepted`. */
  markAccepted(id: number, receiptId: string): void {
    const now = this.clock.now();
    this
      .sql(
        `UPDATE outbox_entries SET state = 'accepted', receipt_id = ?, accepted_at = ?, updated_at = ?, last_error = NULL
         WHERE id = ? AND state = 'sending'`,
      )
      .run(receiptId, now, now, id);
  }

  /** A failed attempt that may succeed later: back to `queued`, due at `retryAt`. */
  markRetry(id: number, reason: string, retryAt: number): void {
    this
      .sql(
        `UPDATE outbox_entries SET state = 'queued', last_error = ?, next_attempt_at = ?, updated_at = ?
         WHERE id = ? AND state = 'sending'`,
      )
      .run(excerpt(reason, 500), retryAt, this.clock.now(), id);
  }

  /** A final failure (non-retryable error or attempts exhausted): `failed` with the reason. */
  markFailed(id: number, reason: string): void {
    const now = this.clock.now();
    this
      .sql(
        `UPDATE outbox_entries SET state = 'failed', last_error = ?, resolved_at = ?, updated_at = ?
         WHERE id = ? AND state = 'sending'`,
      )
      .run(excerpt(reason, 500), now, now, id);
  }

  /**
   * Records that the processing service rejected an entry (an error notification matched it by receipt
   * id or correlation id). Returns the updated entry, or undefined when no entry matched.
   * Any state but `confirmed` may become `rejected`: a notification can outrun our own record of the receipt.
   */
  markRejected(key: OutboxKey, detail: string, receiptId?: string): OutboxEntry | undefined {
    const entry = this.get(key);
    if (!entry || !this.durably(() => this.transition(entry, 'rejected', detail, receiptId))) return undefined;
    return this.get({ id: entry.id });
  }

  /** Records that the processing service confirmed an accepted entry. */
  markConfirmed(key: OutboxKey, detail?: string): OutboxEntry | undefined {
    const entry = this.get(key);
    if (!entry || !this.durably(() => this.transition(entry, 'confirmed', detail, undefined))) return undefined;
    return this.get({ id: entry.id });
  }

  /**
   * Stores a notification received over MESH and applies it, in one fully synced transaction: the entry it
   * names (by receipt id, else correlation id, else bundle id) becomes `rejected` or `confirmed`. A MESH
   * message id already stored changes nothing (`duplicate: true`), so a message delivered again after a
   * crash between storing and acknowledging is stored once. Notifications that match no entry are stored
   * as `unmatched`. Acknowledge the MESH message only after this returns.
   */
  recordNotification(input: NotificationInput): RecordedNotification {
    return this.durably(() => {
      const existing = this.storedNotification(input.meshMessageId);
      if (existing) return { record: existing, duplicate: true };
      let entry: OutboxEntry | undefined;
      let matchedBy: MatchedBy | undefined;
      let outcome: NotificationOutcome = 'report';
      if (input.kind === 'notification') {
        ({ entry, matchedBy } = this.match(input.ref));
        const target = input.status === 'rejected' ? 'rejected' : 'confirmed';
        if (!entry) outcome = 'unmatched';
        else if (this.transition(entry, target, describeIssues(input.issues), input.ref.receiptId)) outcome = target;
        else outcome = 'ignored';
      }
      const ref = input.kind === 'notification' ? input.ref : {};
      this.sql(
        `INSERT INTO mesh_notifications (${NOTIFICATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        input.meshMessageId,
        input.kind,
        input.kind === 'notification' ? input.status : null,
        ref.receiptId ?? null,
        ref.correlationId ?? null,
        ref.bundleId ?? null,
        entry?.id ?? null,
        matchedBy ?? null,
        outcome,
        JSON.stringify(input.kind === 'notification' ? input.issues : []),
        input.kind === 'report' ? (input.reportCode ?? null) : null,
        input.kind === 'report' ? (input.linkedMessageId ?? null) : null,
        this.clock.now(),
      );
      return { record: this.storedNotification(input.meshMessageId)!, duplicate: false };
    });
  }

  /** Stored notifications, newest first: of one entry, the unmatched ones, or all. */
  notifications(query: NotificationQuery = {}): NotificationRecord[] {
    const where =
      query.entryId !== undefined ? 'WHERE entry_id = ?' : query.unmatched ? `WHERE kind = 'notification' AND entry_id IS NULL` : '';
    const params = query.entryId !== undefined ? [query.entryId] : [];
    const rows = this
      .sql(`SELECT ${NOTIFICATION_COLUMNS} FROM mesh_notifications ${where} ORDER BY received_at DESC, rowid DESC LIMIT ?`)
      .all(...params, query.limit ?? -1) as NotificationRow[];
    return rows.map(toNotificationRecord);
  }

  /** Puts `failed` entries (all, or the given ids) back in the queue, e.g. after fixing credentials. */
  requeueFailed(ids?: number[]): number {
    const now = this.clock.now();
    const sql = `UPDATE outbox_entries SET state = 'queued', next_attempt_at = ?, updated_at = ?, resolved_at = NULL
                 WHERE state = 'failed'`;
    if (!ids) return this.sql(sql).run(now, now).changes;
    const stmt = this.sql(`${sql} AND id = ?`);
    return this.db.transaction(() => ids.reduce((n, id) => n + stmt.run(now, now, id).changes, 0))();
  }

  /** One entry by id, receipt id or correlation id. */
  get(key: OutboxKey): OutboxEntry | undefined {
    const [column, value] = keyColumn(key);
    const row = this.sql(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE ${column} = ? LIMIT 1`).get(value) as
      | Row
      | undefined;
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
    const rows = this
      .sql(
        `SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE state IN (${states.map(() => '?').join(',')})
         ORDER BY id LIMIT ? OFFSET ?`,
      )
      .all(...states, options.limit ?? -1, options.offset ?? 0) as Row[];
    return rows.map(toEntry);
  }

  /** Counts per state. */
  status(): OutboxStatus {
    const status = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as OutboxStatus;
    const rows = this.sql('SELECT state, COUNT(*) AS n FROM outbox_entries GROUP BY state').all() as {
      state: OutboxState;
      n: number;
    }[];
    for (const row of rows) status[row.state] = row.n;
    status.total = rows.reduce((sum, r) => sum + r.n, 0);
    const recovered = this.sql('SELECT COALESCE(SUM(recovered), 0) AS n FROM outbox_entries').get() as { n: number };
    status.recovered = recovered.n;
    return status;
  }

  /** When the earliest queued entry is due, or undefined when none is queued. */
  nextDueAt(): number | undefined {
    const row = this.sql(`SELECT MIN(next_attempt_at) AS t FROM outbox_entries WHERE state = 'queued'`).get() as {
      t: number | null;
    };
    return row.t ?? undefined;
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

  /**
   * Runs `work` in a transaction committed with a full sync: enqueued bundles and reconciliation results
   * must survive power loss. State changes during delivery use the lighter WAL `NORMAL` sync: losing one
   * of those to power loss can only cause a re-send (a duplicate), never a lost bundle.
   */
  private durably<T>(work: () => T): T {
    if (this.relaxedDeliverySync) this.db.pragma('synchronous = FULL');
    try {
      return this.db.transaction(work)();
    } finally {
      if (this.relaxedDeliverySync) this.db.pragma('synchronous = NORMAL');
    }
  }

  /** Closes the database file. */
  close(): void {
    this.db.close();
  }

  private recoverInterrupted(): number {
    return this
      .sql(
        `UPDATE outbox_entries SET state = 'queued', recovered = recovered + 1, updated_at = ?,
           last_error = 'interrupted while sending; re-queued (the server may already have it)'
         WHERE state = 'sending'`,
      )
      .run(this.clock.now()).changes;
  }

  /**
   * Moves an entry to `rejected` or `confirmed` when its state allows it; false when it does not. Any state
   * but `confirmed` may become `rejected` (a notification can outrun our own record of the receipt); only
   * `accepted` entries become `confirmed`. The caller holds the transaction.
   */
  private transition(entry: OutboxEntry, state: 'rejected' | 'confirmed', detail: string | undefined, receiptId: string | undefined): boolean {
    if (!RESOLVABLE_FROM[state].includes(entry.state)) return false;
    const now = this.clock.now();
    this
      .sql(
        `UPDATE outbox_entries SET state = ?, detail = ?, receipt_id = COALESCE(receipt_id, ?), resolved_at = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(state, detail === undefined ? null : excerpt(detail, 4000), receiptId ?? null, now, now, entry.id);
    return true;
  }

  /** The entry a notification names: by receipt id, else correlation id, else a bundle id naming exactly one entry. */
  private match(ref: { receiptId?: string; correlationId?: string; bundleId?: string }): { entry?: OutboxEntry; matchedBy?: MatchedBy } {
    const byReceipt = ref.receiptId !== undefined ? this.get({ receiptId: ref.receiptId }) : undefined;
    if (byReceipt) return { entry: byReceipt, matchedBy: 'receiptId' };
    const byCorrelation = ref.correlationId !== undefined ? this.get({ correlationId: ref.correlationId }) : undefined;
    if (byCorrelation) return { entry: byCorrelation, matchedBy: 'correlationId' };
    if (ref.bundleId === undefined) return {};
    const rows = this
      .sql(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE bundle_identifier = ? OR bundle_id = ? LIMIT 2`)
      .all(ref.bundleId, ref.bundleId) as Row[];
    // A bundle id sent more than once cannot say which submission was meant.
    return rows.length === 1 ? { entry: toEntry(rows[0]!), matchedBy: 'bundleId' } : {};
  }

  private storedNotification(meshMessageId: string): NotificationRecord | undefined {
    const row = this.sql(`SELECT ${NOTIFICATION_COLUMNS} FROM mesh_notifications WHERE mesh_message_id = ?`).get(meshMessageId) as
      | NotificationRow
      | undefined;
    return row ? toNotificationRecord(row) : undefined;
  }
}

const RESOLVABLE_FROM: Record<'rejected' | 'confirmed', OutboxState[]> = {
  rejected: ['queued', 'sending', 'accepted', 'failed', 'rejected'],
  confirmed: ['accepted', 'confirmed'],
};

function serialise(bundle: object | string): { payload: string; bundleId: string | undefined; bundleIdentifier: string | undefined; parsed: unknown } {
  let parsed: unknown = bundle;
  if (typeof bundle === 'string') {
    try {
      parsed = JSON.parse(bundle);
    } catch {
      throw new SubmissionError('invalid-bundle', 'cannot enqueue: the text is not JSON');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { resourceType?: unknown }).resourceType !== 'Bundle') {
    throw new SubmissionError('invalid-bundle', 'cannot enqueue: not a FHIR Bundle (resourceType must be "Bundle")');
  }
  const payload = typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
  const { id, identifier } = parsed as { id?: unknown; identifier?: { value?: unknown } };
  const value = typeof identifier === 'object' && identifier !== null ? identifier.value : undefined;
  return { payload, bundleId: typeof id === 'string' ? id : undefined, bundleIdentifier: typeof value === 'string' ? value : undefined, parsed };
}

function keyColumn(key: OutboxKey): [string, string | number] {
  if ('id' in key) return ['id', key.id];
  if ('receiptId' in key) return ['receipt_id', key.receiptId];
  return ['correlation_id', key.correlationId];
}

function toEntry(row: Row): OutboxEntry {
  return {
    id: row.id,
    correlationId: row.correlation_id,
    bundleId: row.bundle_id ?? undefined,
    state: row.state,
    attempts: row.attempts,
    recovered: row.recovered,
    receiptId: row.receipt_id ?? undefined,
    lastError: row.last_error ?? undefined,
    detail: row.detail ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    nextAttemptAt: row.next_attempt_at,
    acceptedAt: row.accepted_at ?? undefined,
    resolvedAt: row.resolved_at ?? undefined,
  };
}
