/**
 * The one way the outboxes and the audit trail open their SQLite files: created 0600 before SQLite writes
 * a byte (they hold patient data or its keyed hashes), WAL journal, a busy timeout, schema migrations
 * recorded in `user_version`, and a clear error for a missing, foreign or newer file.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';

let driver: typeof Database | undefined;

/**
 * better-sqlite3 (a native addon), required when the first database opens: commands that open none, such
 * as `ads-fhir validate` without an audit trail, never load it.
 */
export function sqliteDriver(): typeof Database {
  return (driver ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database);
}

/** One schema step: migration `i` takes a file from version `i` to `i + 1`. */
export type Migration = (db: Database.Database) => void;

/** Settings of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** What the file is, for messages: `outbox`, `CQI outbox`, `audit trail`. */
  what: string;
  /** The schema, as steps from an empty file. */
  migrations: readonly Migration[];
  /** SQLite sync level (default FULL). */
  synchronous?: 'FULL' | 'NORMAL';
  /** Refuse to create the file: for commands that only read or manage an existing store. */
  mustExist?: boolean;
  /** Wait this long for another connection's write lock before failing (default 5 000 ms). */
  busyTimeoutMs?: number;
  /** WAL (default): readers never wait for the writer. DELETE for a lock file, whose write lock is the point. */
  journalMode?: 'WAL' | 'DELETE';
}

/** Data files are readable by their owner only. */
export const DATA_FILE_MODE = 0o600;

/** Opens (creating when allowed) a store file and brings its schema up to date. */
export function openDatabase(path: string, options: OpenDatabaseOptions): Database.Database {
  const memory = path === ':memory:';
  if (!memory) prepareFile(path, options);
  let db: Database.Database;
  try {
    db = new (sqliteDriver())(path, { fileMustExist: !memory });
  } catch (error) {
    throw new StoreError('unwritable', `cannot open the ${options.what} ${path} (${codeOf(error)})`);
  }
  try {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    // The first statement is where SQLite notices a file that is not a database.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    whileBusy(busyTimeoutMs, () => {
      if ((options.journalMode ?? 'WAL') === 'WAL' && db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      migrate(db, path, options);
    });
    if (!memory) tightenSidecars(path);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    const code = codeOf(error);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new StoreError('not-a-store', `${path} is not a ${options.what} (not a SQLite file)`);
    throw new StoreError('unwritable', `cannot use the ${options.what} ${path} (${code})`);
  }
  return db;
}

/** Checks, creates (0600, folder 0700) or tightens the file before SQLite opens it. */
function prepareFile(path: string, options: OpenDatabaseOptions): void {
  if (!existsSync(path)) {
    if (options.mustExist) throw new StoreError('missing', `no ${options.what} at ${path}`);
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Created here, empty and 0600, so the data never sits in a file others can read. Only a missing
      // file is opened this way: closing a descriptor of a file SQLite holds would drop its locks.
      closeSync(openSync(path, 'wx', DATA_FILE_MODE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError('unwritable', `cannot create the ${options.what} ${path} (${codeOf(error)})`);
      }
    }
  }
  tighten(path);
}

/** SQLite gives its -wal and -shm files the database file's mode; older files may predate that. */
function tightenSidecars(path: string): void {
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${path}${suffix}`)) tighten(`${path}${suffix}`);
}

/** 0600, when the file is ours to change; a file owned by someone else is left as it is. */
function tighten(path: string): void {
  try {
    chmodSync(path, DATA_FILE_MODE);
  } catch {
    // Not the owner: SQLite will say whether it can be used.
  }
}

/** Runs the missing schema steps in one immediate transaction; refuses a file a newer version wrote. */
function migrate(db: Database.Database, path: string, options: OpenDatabaseOptions): void {
  const target = options.migrations.length;
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > target) {
    throw new StoreError('newer-schema', `the ${options.what} ${path} has schema version ${version()}; this version of ads-fhir reads up to ${target}`);
  }
  if (version() === target) return;
  // Immediate: of two processes opening an old file together, the second sees the migrated version.
  db.transaction(() => {
    for (let v = version(); v < target; v++) options.migrations[v]!(db);
    db.pragma(`user_version = ${target}`);
  }).immediate();
}

/**
 * Runs `step`, again while SQLite answers busy, up to `timeoutMs`. The busy timeout does not cover every lock: a
 * process that finds the write-ahead log of one that was killed must wait for whoever recovers it
 * (SQLITE_BUSY_RECOVERY), and SQLite returns busy at once there.
 */
function whileBusy(timeoutMs: number, step: () => void): void {
  const started = Date.now();
  for (;;) {
    try {
      step();
      return;
    } catch (error) {
      if (!codeOf(error).startsWith('SQLITE_BUSY') || Date.now() - started >= timeoutMs) throw error;
      Atomics.wait(PAUSE, 0, 0, 25);
    }
  }
}
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'unreadable';
}
