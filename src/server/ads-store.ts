/** What the ADS stand-in received, in SQLite, so tests and the demo can count deliveries and duplicates. */
import Database from 'better-sqlite3';

/** One received submission. */
export interface ReceivedSubmission {
  seq: number;
  receiptId: string;
  correlationId: string | undefined;
  bundleId: string | undefined;
  apiKey: string | undefined;
  path: string;
  valid: boolean | undefined;
  issues: unknown;
  receivedAt: number;
}

/** Totals: requests accepted, distinct bundles among them, and the difference (duplicates). */
export interface ReceivedStats {
  received: number;
  distinct: number;
  duplicates: number;
}

/** The stand-in's store: in memory by default, or a file. */
export class AdsStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;

  constructor(path = ':memory:') {
    this.db = new Database(path);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS received (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      receipt_id TEXT NOT NULL UNIQUE,
      correlation_id TEXT,
      bundle_id TEXT,
      api_key TEXT,
      path TEXT NOT NULL,
      body TEXT NOT NULL,
      valid INTEGER,
      issues TEXT,
      received_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS received_dedupe ON received (correlation_id, bundle_id);`);
    this.insert = this.db.prepare(
      `INSERT INTO received (receipt_id, correlation_id, bundle_id, api_key, path, body, valid, issues, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Records one submission. */
  add(entry: Omit<ReceivedSubmission, 'seq'> & { body: string }): void {
    this.insert.run(
      entry.receiptId,
      entry.correlationId ?? null,
      entry.bundleId ?? null,
      entry.apiKey ?? null,
      entry.path,
      entry.body,
      entry.valid === undefined ? null : entry.valid ? 1 : 0,
      entry.issues === undefined ? null : JSON.stringify(entry.issues),
      entry.receivedAt,
    );
  }

  /**
   * Counts. A duplicate is a second receipt for the same bundle, recognised by the correlation id the
   * client sends on every retry of one outbox entry, or else by `Bundle.id`.
   */
  stats(): ReceivedStats {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS received,
                COUNT(DISTINCT COALESCE(correlation_id, 'b:' || bundle_id, 'r:' || receipt_id)) AS distinct_count
         FROM received`,
      )
      .get() as { received: number; distinct_count: number };
    return { received: row.received, distinct: row.distinct_count, duplicates: row.received - row.distinct_count };
  }

  /** How many times each correlation id (or bundle id) arrived, for the ones that arrived more than once. */
  duplicateKeys(): Map<string, number> {
    const rows = this.db
      .prepare(
        `SELECT COALESCE(correlation_id, 'b:' || bundle_id) AS k, COUNT(*) AS n FROM received
         GROUP BY k HAVING n > 1`,
      )
      .all() as { k: string; n: number }[];
    return new Map(rows.map((r) => [r.k, r.n]));
  }

  /** Distinct bundle ids received. */
  bundleIds(): Set<string> {
    const rows = this.db.prepare('SELECT DISTINCT bundle_id AS id FROM received WHERE bundle_id IS NOT NULL').all() as {
      id: string;
    }[];
    return new Set(rows.map((r) => r.id));
  }

  /** Submissions in arrival order (without bodies). */
  list(limit = 1000, offset = 0): ReceivedSubmission[] {
    const rows = this.db
      .prepare(
        `SELECT seq, receipt_id, correlation_id, bundle_id, api_key, path, valid, issues, received_at FROM received
         ORDER BY seq LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as {
      seq: number;
      receipt_id: string;
      correlation_id: string | null;
      bundle_id: string | null;
      api_key: string | null;
      path: string;
      valid: number | null;
      issues: string | null;
      received_at: number;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      receiptId: r.receipt_id,
      correlationId: r.correlation_id ?? undefined,
      bundleId: r.bundle_id ?? undefined,
      apiKey: r.api_key ?? undefined,
      path: r.path,
      valid: r.valid === null ? undefined : r.valid === 1,
      issues: r.issues === null ? undefined : (JSON.parse(r.issues) as unknown),
      receivedAt: r.received_at,
    }));
  }

  /** The stored body of one receipt. */
  body(receiptId: string): string | undefined {
    const row = this.db.prepare('SELECT body FROM received WHERE receipt_id = ?').get(receiptId) as { body: string } | undefined;
    return row?.body;
  }

  close(): void {
    this.db.close();
  }
}
