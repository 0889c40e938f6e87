import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { sqliteDriver } from '../sqlite/index.js';
import { keyFingerprint } from './audit-key.js';
import { canonicalJson } from './canonical-json.js';
import { type ChainSettings, entryHash, GENESIS_HASH, keyedEntryHash, metaSeal, sameDigest } from './chain.js';
import type { AuditHead } from './sqlite-audit-store.js';
import type { StoredAuditEntry } from './types.js';

/** Result of {@link verifyAuditChain}. */
export type AuditVerification =
  | { ok: true; entries: number; head: AuditHead; /** Entries written before the chain was keyed (anchored by the first keyed one). */ legacyEntries: number }
  | { ok: false; entries: number; seq: number; problem: string };

/** Settings of {@link verifyAuditChain}. */
export interface VerifyOptions {
  /** The audit key: the chain is keyed, so only its holder can tell a genuine trail from a recomputed one. */
  key: Buffer;
  /** A head saved earlier (`seq:hash` from a previous verify): its entry must still be there, unchanged. */
  expectedHead?: AuditHead;
}

interface Row {
  seq: number;
  entry: string;
  prev_hash: string;
  hash: string;
}

/**
 * Re-computes the whole chain of an audit trail file under the key. Detects an edited entry, a deleted,
 * inserted or reordered one, a chain recomputed without the key, a changed key fingerprint, and removal
 * of the newest entries (the sealed head no longer matches); with `expectedHead`, also a trail rolled
 * back to an older copy.
 */
export function verifyAuditChain(path: string, options: VerifyOptions): AuditVerification {
  const broken = (seq: number, problem: string, entries = 0): AuditVerification => ({ ok: false, entries, seq, problem });
  if (!existsSync(path)) return broken(0, `no audit trail at ${path}`);
  let db: Database.Database;
  try {
    db = new (sqliteDriver())(path, { readonly: true, fileMustExist: true });
  } catch {
    return broken(0, `${path} is not a readable SQLite file`);
  }
  try {
    let meta: Map<string, string>;
    let rows: Database.Statement;
    try {
      meta = new Map((db.prepare('SELECT name, value FROM audit_meta').all() as { name: string; value: string }[]).map((m) => [m.name, m.value]));
      rows = db.prepare('SELECT seq, entry, prev_hash, hash FROM audit_log ORDER BY rowid');
    } catch {
      return broken(0, `${path} holds no audit trail`);
    }
    const fingerprint = keyFingerprint(options.key);
    if (meta.get('key_fingerprint') !== fingerprint) {
      return broken(0, "the trail's key fingerprint is not this key's: the fingerprint was changed, or this is not the trail's key");
    }
    const chainValue = meta.get('chain');
    if (chainValue === undefined) {
      return broken(0, 'the trail was written by an earlier version and never sealed with the key: its plain SHA-256 chain proves nothing (open it once with the key, e.g. any command with --audit-db, to seal it)');
    }
    if (!sameDigest(meta.get('chain_seal'), metaSeal(options.key, 'chain', chainValue))) return broken(0, "the trail's chain settings were changed");
    const settings = JSON.parse(chainValue) as ChainSettings;
    if (settings.fingerprint !== fingerprint) return broken(0, "the trail's chain settings name another key");

    const walked = walk(rows.iterate() as Iterable<Row>, options.key, settings);
    if (!walked.ok) return walked;
    const head: AuditHead = { seq: walked.entries, hash: walked.last };
    const sealedHead = meta.get('head');
    if (!sameDigest(meta.get('head_seal'), metaSeal(options.key, 'head', sealedHead ?? '')) || sealedHead !== `${head.seq}:${head.hash}`) {
      return broken(walked.entries + 1, `the trail ends at entry ${head.seq} but its sealed head says ${sealedHead ?? 'nothing'}: entries were removed from the end, or the head was changed`, walked.entries);
    }
    const want = options.expectedHead;
    if (want && want.seq > 0) {
      if (head.seq < want.seq) return broken(head.seq + 1, `the trail ends at entry ${head.seq} but entry ${want.seq} was recorded earlier: entries were removed`, head.seq);
      const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(want.seq) as { hash: string } | undefined;
      if (row?.hash !== want.hash) return broken(want.seq, `entry ${want.seq} differs from the head saved earlier`, head.seq);
    }
    return { ok: true, entries: head.seq, head, legacyEntries: Math.min(head.seq, settings.keyedFrom - 1) };
  } finally {
    db.close();
  }
}

/** Walks the rows in order: sequence, links, canonical form, and each hash (legacy or keyed). */
function walk(rows: Iterable<Row>, key: Buffer, settings: ChainSettings): { ok: true; entries: number; last: string } | (AuditVerification & { ok: false }) {
  let prev = GENESIS_HASH;
  let count = 0;
  // Returning from inside the loop ends the iterator, which frees the statement.
  for (const row of rows) {
    const fail = (problem: string) => ({ ok: false as const, entries: count, seq: row.seq, problem });
    const expected = count + 1;
    if (row.seq !== expected) return fail(`entry ${expected} is missing or out of order (found ${row.seq})`);
    if (row.prev_hash !== prev) return fail(`entry ${row.seq} does not link to the entry before it`);
    let entry: StoredAuditEntry;
    try {
      entry = JSON.parse(row.entry) as StoredAuditEntry;
    } catch {
      return fail(`entry ${row.seq} is not valid JSON`);
    }
    if (canonicalJson(entry) !== row.entry) return fail(`entry ${row.seq} is not in canonical form`);
    if (entry.seq !== row.seq) return fail(`entry ${row.seq} carries sequence number ${String(entry.seq)}`);
    const keyed = row.seq >= settings.keyedFrom;
    const want = keyed ? keyedEntryHash(key, settings.fingerprint, prev, entry) : entryHash(prev, entry);
    if (!sameDigest(row.hash, want)) return fail(`entry ${row.seq} was changed after it was written${keyed ? ', or its hash was not made with the key' : ''}`);
    prev = row.hash;
    count++;
  }
  return { ok: true, entries: count, last: prev };
}
