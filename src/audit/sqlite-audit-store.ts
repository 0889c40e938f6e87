import Database from 'better-sqlite3';
import { AuditKeyError, keyFingerprint, patientRef } from './audit-key.js';
import { canonicalJson } from './canonical-json.js';
import { entryHash, GENESIS_HASH } from './chain.js';
import type { AuditEvent, AuditSink, StoredAuditEntry } from './types.js';

const ACTIONS = new Set(['read', 'build', 'validate', 'submit']);

/** The last entry of a trail; keep a copy elsewhere to detect truncation later. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Append-only, hash-chained audit trail in a SQLite file (WAL mode).
 * Triggers refuse UPDATE and DELETE; the chain makes any change made behind
 * their back (edit, deletion, reordering) detectable by {@link verifyAuditChain}.
 */
export class SqliteAuditStore implements AuditSink {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly last: Database.Statement;

  /**
   * @param path SQLite file, created when missing.
   * @param key HMAC key for patient identifiers (see `loadAuditKey`).
   */
  constructor(
    path: string,
    private readonly key: Buffer,
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS audit_log (
        seq INTEGER PRIMARY KEY,
        entry TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS audit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
    `);
    const fingerprint = keyFingerprint(key);
    const stored = this.db.prepare(`SELECT value FROM audit_meta WHERE name = 'key_fingerprint'`).get() as { value: string } | undefined;
    if (stored === undefined) this.db.prepare(`INSERT INTO audit_meta (name, value) VALUES ('key_fingerprint', ?)`).run(fingerprint);
    else if (stored.value !== fingerprint) {
      this.db.close();
      throw new AuditKeyError('audit key does not match the key this trail was started with');
    }
    this.insert = this.db.prepare('INSERT INTO audit_log (seq, entry, prev_hash, hash) VALUES (?, ?, ?, ?)');
    this.last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  }

  /** Appends one entry; patient identifiers are stored only as keyed hashes. */
  record(event: AuditEvent): void {
    if (!ACTIONS.has(event.action)) throw new TypeError(`unknown audit action: ${String(event.action)}`);
    if (!event.actor?.userId || !event.actor.role) throw new TypeError('audit event needs actor.userId and actor.role');
    if (!event.recordId) throw new TypeError('audit event needs a recordId');
    const append = this.db.transaction(() => {
      const head = this.head();
      const entry: StoredAuditEntry = {
        seq: head.seq + 1,
        at: (event.at ?? new Date()).toISOString(),
        userId: event.actor.userId,
        role: event.actor.role,
        action: event.action,
        recordId: event.recordId,
        outcome: event.outcome,
        patientRefs: (event.patientIds ?? []).map((id) => patientRef(this.key, id)),
        ...(event.detail !== undefined ? { detail: event.detail } : {}),
      };
      this.insert.run(entry.seq, canonicalJson(entry), head.hash, entryHash(head.hash, entry));
    });
    // IMMEDIATE takes the write lock before reading the head, so two writers cannot fork the chain.
    append.immediate();
  }

  /** The last entry's sequence number and hash (`seq` 0 and the genesis hash when empty). */
  head(): AuditHead {
    const row = this.last.get() as AuditHead | undefined;
    return row ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Keyed hash of a patient identifier under this trail's key, to find a patient's entries. */
  patientRef(patientId: string): string {
    return patientRef(this.key, patientId);
  }

  close(): void {
    this.db.close();
  }
}
