/** The outbox's SQLite schema; `user_version` records which version a file was created with. */
import type Database from 'better-sqlite3';

/** Every state an outbox entry can be in. */
export const OUTBOX_STATES = ['queued', 'sending', 'accepted', 'rejected', 'confirmed', 'failed'] as const;
/** The life of one bundle: queued -> sending -> accepted -> (rejected | confirmed); or failed with a reason. */
export type OutboxState = (typeof OUTBOX_STATES)[number];

const SCHEMA_VERSION = 1;

/** Creates the tables if missing; refuses a file written by a newer version. */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`outbox file has schema version ${version}; this version of ads-fhir reads up to ${SCHEMA_VERSION}`);
  }
  if (version === SCHEMA_VERSION) return;
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
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
