import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { canonicalJson } from './canonical-json.js';
import { entryHash, GENESIS_HASH } from './chain.js';
import type { AuditHead } from './sqlite-audit-store.js';
import type { StoredAuditEntry } from './types.js';

/** Result of {@link verifyAuditChain}. */
export type AuditVerification =
  | { ok: true; entries: number; head: AuditHead }
  | { ok: false; entries: number; seq: number; problem: string };

/**
 * Re-computes the whole chain of an audit trail file. Detects an edited
 * entry, a deleted or inserted entry, reordering, and, when `expectedHead`
 * (a head saved earlier) is given, truncation of the newest entries.
 * Needs no key: the chain covers the stored keyed hashes.
 */
export function verifyAuditChain(path: string, options: { expectedHead?: AuditHead } = {}): AuditVerification {
  if (!existsSync(path)) return { ok: false, entries: 0, seq: 0, problem: `no audit trail at ${path}` };
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return { ok: false, entries: 0, seq: 0, problem: `${path} is not a readable SQLite file` };
  }
  try {
    let rows: Iterable<{ seq: number; entry: string; prev_hash: string; hash: string }>;
    try {
      rows = db.prepare('SELECT seq, entry, prev_hash, hash FROM audit_log ORDER BY rowid').iterate() as typeof rows;
    } catch {
      return { ok: false, entries: 0, seq: 0, problem: `${path} holds no audit trail` };
    }
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (const row of rows) {
      const fail = (problem: string): AuditVerification => ({ ok: false, entries: count, seq: row.seq, problem });
      if (row.seq !== expectedSeq) return fail(`entry ${expectedSeq} is missing or out of order (found ${row.seq})`);
      if (row.prev_hash !== prev) return fail(`entry ${row.seq} does not link to the entry before it`);
      let entry: StoredAuditEntry;
      try {
        entry = JSON.parse(row.entry) as StoredAuditEntry;
      } catch {
        return fail(`entry ${row.seq} is not valid JSON`);
      }
      if (canonicalJson(entry) !== row.entry) return fail(`entry ${row.seq} is not in canonical form`);
      if (entry.seq !== row.seq) return fail(`entry ${row.seq} carries sequence number ${String(entry.seq)}`);
      if (entryHash(prev, entry) !== row.hash) return fail(`entry ${row.seq} was changed after it was written`);
      prev = row.hash;
      expectedSeq++;
      count++;
    }
    const head: AuditHead = { seq: count, hash: prev };
    const want = options.expectedHead;
    if (want && want.seq > 0) {
      if (count < want.seq) return { ok: false, entries: count, seq: count + 1, problem: `the trail ends at entry ${count} but entry ${want.seq} was recorded earlier: entries were removed` };
      const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(want.seq) as { hash: string } | undefined;
      if (row?.hash !== want.hash) return { ok: false, entries: count, seq: want.seq, problem: `entry ${want.seq} differs from the head saved earlier` };
    }
    return { ok: true, entries: count, head };
  } finally {
    db.close();
  }
}
