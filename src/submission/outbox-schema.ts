/** The outbox's SQLite schema; `user_version` records which version a file was created with. */
import type Database from 'better-sqlite3';

/** Every state an outbox entry can be in. */
export const OUTBOX_STATES = ['queued', 'sending', 'accepted', 'rejected', 'confirmed', 'failed'] as const;
/** The life of one bundle: queued -> sending -> accepted -> (rejected | confirmed); or failed with a reason. */
export type OutboxState = (typeof OUTBOX_STATES)[number];

const SCHEMA_VERSION = 2;

/** Kinds of MESH message kept in the notification log. */
export const NOTIFICATION_KINDS = ['notification', 'report'] as const;

/** Creates the tables if missing; refuses a file written by a newer version. */
export function migrate(db: Database.Database): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > SCHEMA_VERSION) {
    throw new Error(`outbox file has schema version ${version()}; this version of ads-fhir reads up to ${SCHEMA_VERSION}`);
  }
  if (version() === SCHEMA_VERSION) return;
  // Immediate: of two processes opening an old file together, the second sees the migrated version.
  db.transaction(() => {
    const from = version();
    if (from < 1) createEntries(db);
    if (from < 2) addNotificationLog(db);
    if (from < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

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
