/** The outbox's SQLite schema; `user_version` records which version a file was created with. */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalJson } from '../audit/canonical-json.js';
import type { Migration } from '../sqlite/index.js';

/** Every state an outbox entry can be in. */
export const OUTBOX_STATES = ['queued', 'sending', 'accepted', 'rejected', 'confirmed', 'failed'] as const;
/** The life of one bundle: queued -> sending -> accepted -> (rejected | confirmed); or failed with a reason. */
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** Kinds of MESH message kept in the notification log. */
export const NOTIFICATION_KINDS = ['notification', 'report'] as const;

/** The schema, one step per version (`user_version` 1, 2, 3), run by the shared SQLite helper. */
export const OUTBOX_MIGRATIONS: readonly Migration[] = [createEntries, addNotificationLog, addSourceAndContentHash];

function createEntries(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS outbox_entries (
      id               INTEGER PRIMARY KEY AUTOINCREMENT,
      correlation_id   TEXT    NOT NULL UNIQUE,
      bundle_id        TEXT,
      payload          TEXT    NOT NULL,
      state            TEXT    NOT NULL CHECK (state IN (${OUTBOX_STATES.map((s) => `'${s}'`).join(',')})),
      attempts         INTEGER NOT NULL DEFAULT 0,
      recovered        INTEGER NOT NULL DEFAULT 0,
      receipt_id       TEXT,
      last_error       TEXT,
      detail           TEXT,
      created_at       INTEGER NOT NULL,
      updated_at       INTEGER NOT NULL,
      next_attempt_at  INTEGER NOT NULL,
      accepted_at      INTEGER,
      resolved_at      INTEGER
    );
    CREATE INDEX IF NOT EXISTS outbox_ready ON outbox_entries (state, next_attempt_at, id);
    CREATE INDEX IF NOT EXISTS outbox_receipt ON outbox_entries (receipt_id);
    CREATE INDEX IF NOT EXISTS outbox_bundle ON outbox_entries (bundle_id);
  `);
}

/**
 * Version 2: the business identifier (`Bundle.identifier.value`) beside `Bundle.id`, so notifications that
 * name only the bundle can be matched, and the log of MESH notifications keyed by MESH message id (a
 * message delivered twice is stored once).
 */
function addNotificationLog(db: Database.Database): void {
  db.exec(`
    ALTER TABLE outbox_entries ADD COLUMN bundle_identifier TEXT;
    UPDATE outbox_entries SET bundle_identifier = json_extract(payload, '$.identifier.value')
      WHERE json_valid(payload) AND json_type(payload, '$.identifier.value') = 'text';
    CREATE INDEX IF NOT EXISTS outbox_bundle_identifier ON outbox_entries (bundle_identifier);
    CREATE TABLE IF NOT EXISTS mesh_notifications (
      mesh_message_id  TEXT    PRIMARY KEY,
      kind             TEXT    NOT NULL CHECK (kind IN (${NOTIFICATION_KINDS.map((k) => `'${k}'`).join(',')})),
      status           TEXT,
      receipt_id       TEXT,
      correlation_id   TEXT,
      bundle_id        TEXT,
      entry_id         INTEGER REFERENCES outbox_entries (id),
      matched_by       TEXT,
      outcome          TEXT    NOT NULL,
      issues           TEXT    NOT NULL,
      report_code      TEXT,
      linked_message_id TEXT,
      received_at      INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS mesh_notifications_entry ON mesh_notifications (entry_id);
    CREATE INDEX IF NOT EXISTS mesh_notifications_unmatched ON mesh_notifications (kind, entry_id);
  `);
}

/**
 * Version 3: where each bundle came from (the file name given to `submit`), a hash of its content (so the
 * same bundle is not queued twice without being asked to), and the server's free text, kept only when the
 * operator asked for it.
 */
function addSourceAndContentHash(db: Database.Database): void {
  db.exec(`
    ALTER TABLE outbox_entries ADD COLUMN source TEXT;
    ALTER TABLE outbox_entries ADD COLUMN content_hash TEXT;
    ALTER TABLE outbox_entries ADD COLUMN server_text TEXT;
    CREATE INDEX IF NOT EXISTS outbox_content_hash ON outbox_entries (content_hash);
  `);
  const rows = db.prepare('SELECT id, payload FROM outbox_entries').all() as { id: number; payload: string }[];
  const set = db.prepare('UPDATE outbox_entries SET content_hash = ? WHERE id = ?');
  for (const row of rows) {
    try {
      set.run(contentHash(JSON.parse(row.payload)), row.id);
    } catch {
      // A payload that is not JSON cannot have been enqueued; leave it without a hash.
    }
  }
}

/** SHA-256 of the bundle's canonical JSON: the same content however it is spaced or ordered. */
export function contentHash(bundle: unknown): string {
  return createHash('sha256').update(canonicalJson(bundle), 'utf8').digest('hex');
}
