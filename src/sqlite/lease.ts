/**
 * An exclusive writer lease on a store file: one worker at a time may send from an outbox.
 *
 * The lease is a write lock SQLite holds on a small companion file (`<store>.lease`) for as long as the
 * worker runs. The operating system drops the lock when the process ends, however it ends (SIGKILL
 * included), so a lease never outlives its holder and needs no expiry guess. Who holds it (pid, host,
 * since when, for what) is written to the store itself, so a refused worker can say who is in the way.
 */
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import { openDatabase } from './open.js';

/** Who holds a lease, as recorded in the store. */
export interface LeaseHolder {
  pid: number;
  host: string;
  /** ISO time the lease was taken. */
  since: string;
  /** What the holder is doing, e.g. `delivering`. */
  purpose: string;
}

/** Settings of {@link acquireWriterLease}. */
export interface LeaseOptions {
  /** What the store is, for messages (`outbox`). */
  what: string;
  /** What the holder will do, recorded for a refused worker to read (`delivering`). */
  purpose: string;
  /** Wait for the holder to finish (true), or refuse at once (false, the default). */
  wait?: boolean;
  /** When waiting: give up after this many ms (default: no limit). */
  timeoutMs?: number;
  /** Polling interval while waiting (default 200 ms). */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Stops waiting: the promise rejects with a `busy` StoreError. */
  signal?: AbortSignal;
  /** Called once when the lease is held by another and we start waiting. */
  onWait?: (holder: LeaseHolder | undefined) => void;
}

/** A held lease. Release it when done; the process ending releases it too. */
export class WriterLease {
  private released = false;

  private constructor(
    private readonly lock: Database.Database,
    private readonly store: Database.Database,
  ) {}

  /** Takes the lease when it is free; undefined when another connection or process holds it. */
  static tryAcquire(store: Database.Database, storePath: string, options: Pick<LeaseOptions, 'what' | 'purpose'>): WriterLease | undefined {
    // No WAL for the lock file: its rollback-journal write lock is the lease.
    const lock = openDatabase(`${storePath}.lease`, { what: `${options.what} lease`, migrations: [], busyTimeoutMs: 0, journalMode: 'DELETE' });
    try {
      lock.exec('BEGIN IMMEDIATE');
    } catch (error) {
      lock.close();
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return undefined;
      throw new StoreError('unwritable', `cannot take the ${options.what}'s writer lease (${(error as { code?: string }).code ?? 'unreadable'})`);
    }
    try {
      ensureHolderTable(store);
      store
        .prepare(`INSERT OR REPLACE INTO writer_lease (id, pid, host, since, purpose) VALUES (1, ?, ?, ?, ?)`)
        .run(process.pid, hostname(), new Date().toISOString(), options.purpose);
    } catch (error) {
      // Not recorded, so not taken: a lock kept here would shut every other worker out until this process ends.
      lock.exec('ROLLBACK');
      lock.close();
      throw error;
    }
    return new WriterLease(lock, store);
  }

  /** Whether this lease is still held. */
  get held(): boolean {
    return !this.released;
  }

  /** Gives the lease up. */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (this.store.open) this.store.prepare('DELETE FROM writer_lease WHERE id = 1 AND pid = ?').run(process.pid);
    } finally {
      this.lock.exec('ROLLBACK');
      this.lock.close();
    }
  }
}

/** Who holds the store's lease, as last recorded (a holder that died leaves its row: check the lock first). */
export function leaseHolder(store: Database.Database): LeaseHolder | undefined {
  ensureHolderTable(store);
  return store.prepare('SELECT pid, host, since, purpose FROM writer_lease WHERE id = 1').get() as LeaseHolder | undefined;
}

/** Describes a holder for a message: pid, host and since when. */
export function describeHolder(holder: LeaseHolder | undefined): string {
  return holder ? `process ${holder.pid} on ${holder.host}, ${holder.purpose} since ${holder.since}` : 'another process';
}

/**
 * Takes the store's writer lease, waiting for the holder when asked. Refuses (or gives up waiting) with a
 * `busy` {@link StoreError} that names the holder.
 */
export async function acquireWriterLease(store: Database.Database, storePath: string, options: LeaseOptions): Promise<WriterLease> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = Date.now();
  let told = false;
  for (;;) {
    const lease = WriterLease.tryAcquire(store, storePath, options);
    if (lease) return lease;
    const holder = leaseHolder(store);
    const busy = () =>
      new StoreError('busy', `the ${options.what} ${storePath} is in use by ${describeHolder(holder)}; one worker at a time may send from it`);
    if (!options.wait || options.signal?.aborted) throw busy();
    if (options.timeoutMs !== undefined && Date.now() - started >= options.timeoutMs) throw busy();
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    await sleep(options.pollMs ?? 200);
  }
}

function ensureHolderTable(store: Database.Database): void {
  store.exec(`CREATE TABLE IF NOT EXISTS writer_lease (
    id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL, purpose TEXT NOT NULL)`);
}
