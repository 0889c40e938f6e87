import type Database from 'better-sqlite3';
import { type Migration, openDatabase } from '../sqlite/index.js';
import { AuditKeyError, keyFingerprint, patientRef } from './audit-key.js';
import { canonicalJson } from './canonical-json.js';
import { type ChainSettings, GENESIS_HASH, keyedEntryHash, metaSeal } from './chain.js';
import type { AuditEvent, AuditSink, StoredAuditEntry } from './types.js';

const ACTIONS = new Set(['read', 'build', 'validate', 'submit']);

/** The last entry of a trail; keep a copy elsewhere to detect truncation later. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * The schema, one step per version. Version 1 is the original (unkeyed) trail; version 2 adds nothing to
 * the tables: its keyed chain is sealed in `audit_meta` when the store first opens the file with its key.
 */
export const AUDIT_MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
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
    `),
  () => undefined,
];

/**
 * Append-only audit trail in a SQLite file (WAL, 0600), hash-chained under the audit key.
 * Triggers refuse UPDATE and DELETE; the keyed chain makes any change made behind their back (edit,
 * deletion, insertion, reordering, a recomputed chain, a changed key fingerprint) detectable by
 * {@link verifyAuditChain}, which needs the key.
 *
 * A trail written by an earlier version (plain SHA-256 chain) is sealed when first opened here: its
 * entries become a legacy prefix that the first keyed entry anchors (see docs/audit.md).
 */
export class SqliteAuditStore implements AuditSink {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly last: Database.Statement;
  private readonly setMeta: Database.Statement;
  private readonly fingerprint: string;

  /**
   * @param path SQLite file, created when missing.
   * @param key HMAC key for patient identifiers and the chain (see `loadAuditKey`).
   */
  constructor(
    path: string,
    private readonly key: Buffer,
  ) {
    this.db = openDatabase(path, { what: 'audit trail', migrations: AUDIT_MIGRATIONS });
    this.fingerprint = keyFingerprint(key);
    this.insert = this.db.prepare('INSERT INTO audit_log (seq, entry, prev_hash, hash) VALUES (?, ?, ?, ?)');
    this.last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.setMeta = this.db.prepare('INSERT OR REPLACE INTO audit_meta (name, value) VALUES (?, ?)');
    try {
      this.db.transaction(() => this.checkKeyAndSeal()).immediate();
    } catch (error) {
      this.db.close();
      throw error;
    }
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
      const hash = keyedEntryHash(this.key, this.fingerprint, head.hash, entry);
      this.insert.run(entry.seq, canonicalJson(entry), head.hash, hash);
      this.sealHead({ seq: entry.seq, hash });
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

  /**
   * Refuses a key other than the one the trail was started with; seals the chain settings of a new trail,
   * or of one an earlier version wrote (its entries so far become the legacy prefix).
   */
  private checkKeyAndSeal(): void {
    const meta = (name: string) => (this.db.prepare('SELECT value FROM audit_meta WHERE name = ?').get(name) as { value: string } | undefined)?.value;
    const stored = meta('key_fingerprint');
    if (stored === undefined) this.setMeta.run('key_fingerprint', this.fingerprint);
    else if (stored !== this.fingerprint) throw new AuditKeyError('audit key does not match the key this trail was started with');
    if (meta('chain') !== undefined) return;
    const head = this.head();
    const settings: ChainSettings = { version: 2, keyedFrom: head.seq + 1, fingerprint: this.fingerprint };
    const value = canonicalJson(settings);
    this.setMeta.run('chain', value);
    this.setMeta.run('chain_seal', metaSeal(this.key, 'chain', value));
    this.sealHead(head);
  }

  /** Records the newest entry under the key: removing entries from the end then shows. */
  private sealHead(head: AuditHead): void {
    const value = `${head.seq}:${head.hash}`;
    this.setMeta.run('head', value);
    this.setMeta.run('head_seal', metaSeal(this.key, 'head', value));
  }
}
