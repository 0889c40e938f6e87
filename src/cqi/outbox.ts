import type Database from 'better-sqlite3';
import { acquireWriterLease, type Migration, openDatabase, StoreError, type WriterLease } from '../sqlite/index.js';
import type { EncodedTriage } from './encoder.js';
import { TransportError } from './errors.js';

/** A queued submission, oldest first. */
export interface OutboxItem {
  seq: number;
  recordId: string;
  payload: EncodedTriage;
  /** Plain patient identifiers of the record, kept only for the audit trail's keyed hash. */
  patientIds: string[];
  attempts: number;
  enqueuedAt: string;
}

/** Summary of a queued or rejected item, without its body. */
export interface OutboxSummary {
  seq: number;
  recordId: string;
  attempts: number;
  lastErrorCode: string | null;
  enqueuedAt: string;
}

/** Settings of a {@link CqiOutbox} file. */
export interface CqiOutboxOptions {
  /** Open an existing outbox only: a mistyped path is an error instead of a new, empty outbox. */
  mustExist?: boolean;
}

/** The schema, one step per version (`user_version`), run by the shared SQLite helper. */
const CQI_OUTBOX_MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE IF NOT EXISTS cqi_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        record_id TEXT NOT NULL,
        content_type TEXT NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        patient_ids TEXT NOT NULL,
        enqueued_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT
      );
      CREATE TABLE IF NOT EXISTS cqi_rejected (
        seq INTEGER PRIMARY KEY,
        record_id TEXT NOT NULL,
        content_type TEXT NOT NULL,
        headers TEXT NOT NULL,
        body BLOB NOT NULL,
        enqueued_at TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_error_code TEXT,
        rejected_at TEXT NOT NULL
      );
    `),
];

/**
 * Durable first-in first-out queue of encoded triage submissions in SQLite
 * (WAL, full sync, 0600). Items leave only when delivered (deleted) or permanently rejected by
 * the service (moved to a rejected table, never dropped). The bodies hold
 * patient data: keep the file where patient data may be stored.
 *
 * One drainer at a time: sending needs the file's writer lease, so two processes cannot send the
 * same head twice or overtake each other.
 */
export class CqiOutbox {
  private readonly db: Database.Database;
  private lease: WriterLease | undefined;

  constructor(
    private readonly path: string,
    options: CqiOutboxOptions = {},
  ) {
    this.db = openDatabase(path, { what: 'CQI outbox', migrations: CQI_OUTBOX_MIGRATIONS, ...(options.mustExist ? { mustExist: true } : {}) });
  }

  /** Whether this outbox holds the file's writer lease. */
  get holdsWriterLease(): boolean {
    return this.path === ':memory:' || this.lease?.held === true;
  }

  /**
   * Takes the writer lease, waiting for another drainer until `signal` aborts when `wait` is set.
   * @throws TransportError `OUTBOX_BUSY` when another process holds it.
   */
  async takeWriterLease(options: { wait?: boolean; signal?: AbortSignal; onWait?: () => void } = {}): Promise<void> {
    if (this.holdsWriterLease) return;
    try {
      this.lease = await acquireWriterLease(this.db, this.path, {
        what: 'CQI outbox',
        purpose: 'draining',
        ...(options.wait ? { wait: true } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onWait ? { onWait: () => options.onWait!() } : {}),
      });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'busy') throw new TransportError('OUTBOX_BUSY', error.message, true);
      throw error;
    }
  }

  /** Gives the writer lease up. */
  releaseWriterLease(): void {
    this.lease?.release();
    this.lease = undefined;
  }

  /** Stores a submission durably and returns its sequence number. */
  enqueue(recordId: string, payload: EncodedTriage, patientIds: readonly string[] = []): number {
    const body = typeof payload.body === 'string' ? Buffer.from(payload.body, 'utf8') : payload.body;
    const info = this.db
      .prepare('INSERT INTO cqi_outbox (record_id, content_type, headers, body, patient_ids, enqueued_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(recordId, payload.contentType, JSON.stringify(payload.headers), body, JSON.stringify(patientIds), new Date().toISOString());
    return Number(info.lastInsertRowid);
  }

  /** The oldest queued item, if any. */
  head(): OutboxItem | undefined {
    const row = this.db.prepare('SELECT * FROM cqi_outbox ORDER BY seq LIMIT 1').get() as
      | { seq: number; record_id: string; content_type: string; headers: string; body: Buffer; patient_ids: string; attempts: number; enqueued_at: string }
      | undefined;
    if (!row) return undefined;
    return {
      seq: row.seq,
      recordId: row.record_id,
      payload: { body: row.body, headers: JSON.parse(row.headers) as Record<string, string>, contentType: row.content_type },
      patientIds: JSON.parse(row.patient_ids) as string[],
      attempts: row.attempts,
      enqueuedAt: row.enqueued_at,
    };
  }

  /** Counts a failed delivery of `seq`; `errorCode` is a code, never a message with data. */
  recordFailure(seq: number, errorCode: string): void {
    this.db.prepare('UPDATE cqi_outbox SET attempts = attempts + 1, last_error_code = ? WHERE seq = ?').run(errorCode, seq);
  }

  /** Removes a delivered item. */
  delivered(seq: number): void {
    this.db.prepare('DELETE FROM cqi_outbox WHERE seq = ?').run(seq);
  }

  /** Moves an item the service refused for good out of the queue, keeping it for inspection. */
  reject(seq: number, errorCode: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO cqi_rejected (seq, record_id, content_type, headers, body, enqueued_at, attempts, last_error_code, rejected_at)
           SELECT seq, record_id, content_type, headers, body, enqueued_at, attempts + 1, ?, ? FROM cqi_outbox WHERE seq = ?`,
        )
        .run(errorCode, new Date().toISOString(), seq);
      this.db.prepare('DELETE FROM cqi_outbox WHERE seq = ?').run(seq);
    })();
  }

  /** Whether `seq` is still queued. */
  isQueued(seq: number): boolean {
    return this.db.prepare('SELECT 1 FROM cqi_outbox WHERE seq = ?').get(seq) !== undefined;
  }

  /** Whether `seq` was set aside as refused by the service. */
  isRejected(seq: number): boolean {
    return this.db.prepare('SELECT 1 FROM cqi_rejected WHERE seq = ?').get(seq) !== undefined;
  }

  /** Queued items, oldest first, without bodies. */
  pending(): OutboxSummary[] {
    return this.summaries('cqi_outbox');
  }

  /** Items the service refused for good, without bodies. */
  rejected(): OutboxSummary[] {
    return this.summaries('cqi_rejected');
  }

  private summaries(table: 'cqi_outbox' | 'cqi_rejected'): OutboxSummary[] {
    const rows = this.db.prepare(`SELECT seq, record_id, attempts, last_error_code, enqueued_at FROM ${table} ORDER BY seq`).all() as {
      seq: number;
      record_id: string;
      attempts: number;
      last_error_code: string | null;
      enqueued_at: string;
    }[];
    return rows.map((r) => ({ seq: r.seq, recordId: r.record_id, attempts: r.attempts, lastErrorCode: r.last_error_code, enqueuedAt: r.enqueued_at }));
  }

  close(): void {
    this.releaseWriterLease();
    this.db.close();
  }
}
