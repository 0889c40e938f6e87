import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditKeyError, keyFingerprint, loadAuditKey, patientRef } from './audit-key.js';
import { canonicalJson } from './canonical-json.js';
import { entryHash, GENESIS_HASH, keyedEntryHash } from './chain.js';
import { AUDIT_MIGRATIONS, SqliteAuditStore } from './sqlite-audit-store.js';
import type { AuditEvent, StoredAuditEntry } from './types.js';
import { verifyAuditChain } from './verify.js';

const KEY = Buffer.from('k'.repeat(40));
const NHS = '9434765919';
let dir: string;
let path: string;

function event(n: number, extra: Partial<AuditEvent> = {}): AuditEvent {
  return { actor: { userId: `user${n}`, role: 'R8000' }, action: 'submit', recordId: `NLO/CASE-${n}`, outcome: 'delivered', patientIds: [NHS], ...extra };
}

function writeTrail(n: number): void {
  const store = new SqliteAuditStore(path, KEY);
  for (let i = 1; i <= n; i++) store.record(event(i));
  store.close();
}

/** Starts again in a new file: a trail of `n` entries. */
function freshTrail(n: number): void {
  path = join(dir, `audit-${Math.random().toString(36).slice(2)}.sqlite`);
  writeTrail(n);
}

/** Opens the file as an attacker would: triggers dropped, raw SQL. */
function tamper(sql: (db: Database.Database) => void): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  sql(db);
  db.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
  path = join(dir, 'audit.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteAuditStore', () => {
  it('records who, what and when and verifies a clean chain', () => {
    writeTrail(3);
    const result = verifyAuditChain(path, { key: KEY });
    expect(result).toMatchObject({ ok: true, entries: 3, head: { seq: 3 } });
    for (const f of [path, `${path}-wal`]) expect(statSync(f).mode & 0o777).toBe(0o600);
    const db = new Database(path, { readonly: true });
    const first = JSON.parse((db.prepare('SELECT entry FROM audit_log WHERE seq = 1').get() as { entry: string }).entry);
    db.close();
    expect(first).toMatchObject({ seq: 1, userId: 'user1', role: 'R8000', action: 'submit', recordId: 'NLO/CASE-1', outcome: 'delivered' });
    expect(first.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(first.patientRefs).toEqual([patientRef(KEY, NHS)]);
  });

  it('never stores a patient identifier in plain text', () => {
    writeTrail(2);
    for (const f of [path, `${path}-wal`]) {
      try {
        expect(readFileSync(f).includes(Buffer.from(NHS))).toBe(false);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
  });

  it('refuses updates and deletes through SQL', () => {
    writeTrail(2);
    const db = new Database(path);
    expect(() => db.prepare(`UPDATE audit_log SET entry = '{}' WHERE seq = 1`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    db.close();
  });

  it('rejects malformed events and a different key', () => {
    const store = new SqliteAuditStore(path, KEY);
    expect(() => store.record({ ...event(1), action: 'delete' as never })).toThrow(/unknown audit action/);
    expect(() => store.record({ ...event(1), actor: { userId: '', role: 'x' } })).toThrow(/actor/);
    store.close();
    expect(() => new SqliteAuditStore(path, Buffer.from('z'.repeat(40)))).toThrow(/key does not match/);
  });
});

const verify = (extra: { expectedHead?: { seq: number; hash: string } } = {}) => verifyAuditChain(path, { key: KEY, ...extra });

/** Rewrites entry `seq` and every later hash, as an attacker without the key would: plain SHA-256. */
function recomputeFrom(db: Database.Database, seq: number, edit: (entry: Record<string, unknown>) => Record<string, unknown>, hash = entryHash): void {
  const rows = db.prepare('SELECT seq, entry, prev_hash FROM audit_log WHERE seq >= ? ORDER BY seq').all(seq) as { seq: number; entry: string; prev_hash: string }[];
  let prev = rows[0]!.prev_hash;
  for (const row of rows) {
    const entry = (row.seq === seq ? edit(JSON.parse(row.entry)) : JSON.parse(row.entry)) as StoredAuditEntry;
    const h = hash(prev, entry);
    db.prepare('UPDATE audit_log SET entry = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(canonicalJson(entry), prev, h, row.seq);
    prev = h;
  }
  db.prepare(`UPDATE audit_meta SET value = ? WHERE name = 'head'`).run(`${rows.at(-1)!.seq}:${prev}`);
}

describe('verifyAuditChain detects tampering', () => {
  beforeEach(() => writeTrail(4));

  it('accepts the untouched trail and needs the key', () => {
    expect(verify()).toMatchObject({ ok: true, entries: 4, legacyEntries: 0 });
    expect(verifyAuditChain(path, { key: Buffer.from('z'.repeat(40)) })).toMatchObject({ ok: false, problem: expect.stringMatching(/not this key/) });
  });

  it('an edited entry', () => {
    tamper((db) => db.prepare(`UPDATE audit_log SET entry = replace(entry, '"outcome":"delivered"', '"outcome":"failure"') WHERE seq = 2`).run());
    expect(verify()).toMatchObject({ ok: false, seq: 2 });
  });

  it('an edited entry whose own hash was recomputed', () => {
    tamper((db) => {
      const row = db.prepare('SELECT entry, prev_hash FROM audit_log WHERE seq = 2').get() as { entry: string; prev_hash: string };
      const entry = { ...JSON.parse(row.entry), userId: 'someone-else' };
      db.prepare('UPDATE audit_log SET entry = ?, hash = ? WHERE seq = 2').run(canonicalJson(entry), entryHash(row.prev_hash, entry));
    });
    expect(verify()).toMatchObject({ ok: false, seq: 2 });
  });

  it('an edited entry with the whole rest of the chain recomputed (plain SHA-256, or HMAC under another key)', () => {
    tamper((db) => recomputeFrom(db, 2, (e) => ({ ...e, userId: 'someone-else' })));
    expect(verify()).toMatchObject({ ok: false, seq: 2, problem: expect.stringMatching(/changed after it was written/) });
    freshTrail(4);
    const other = Buffer.from('o'.repeat(40));
    tamper((db) => recomputeFrom(db, 1, (e) => e, (prev, entry) => keyedEntryHash(other, keyFingerprint(KEY), prev, entry)));
    expect(verify()).toMatchObject({ ok: false, seq: 1 });
  });

  it('a deleted entry', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 2').run());
    expect(verify()).toMatchObject({ ok: false, seq: 3 });
  });

  it('a deleted first entry', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 1').run());
    expect(verify()).toMatchObject({ ok: false, seq: 2 });
  });

  it('deleted newest entries, even with no head saved elsewhere (the head is sealed with the key)', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq >= 3').run());
    expect(verify()).toMatchObject({ ok: false, seq: 3, problem: expect.stringMatching(/removed from the end/) });
  });

  it('reordered entries', () => {
    tamper((db) => {
      // Swap the stored content of entries 2 and 3, hashes included.
      const get = db.prepare('SELECT entry, prev_hash, hash FROM audit_log WHERE seq = ?');
      const a = get.get(2) as Record<string, string>;
      const b = get.get(3) as Record<string, string>;
      const put = db.prepare('UPDATE audit_log SET entry = @entry, prev_hash = @prev_hash, hash = @hash WHERE seq = @seq');
      put.run({ ...b, seq: 2 });
      put.run({ ...a, seq: 3 });
    });
    expect(verify()).toMatchObject({ ok: false, seq: 2 });
  });

  it('an inserted entry, in the middle or appended with a recomputed head', () => {
    tamper((db) => {
      const rows = db.prepare('SELECT seq, entry, prev_hash, hash FROM audit_log ORDER BY seq DESC').all() as { seq: number; entry: string; prev_hash: string; hash: string }[];
      for (const r of rows.filter((x) => x.seq >= 3)) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(r.seq + 1, r.seq);
      const forged = { ...JSON.parse(rows.find((r) => r.seq === 2)!.entry), seq: 3, recordId: 'NLO/FORGED' };
      db.prepare('INSERT INTO audit_log (seq, entry, prev_hash, hash) VALUES (3, ?, ?, ?)').run(canonicalJson(forged), rows.find((r) => r.seq === 2)!.hash, entryHash(rows.find((r) => r.seq === 2)!.hash, forged));
    });
    expect(verify()).toMatchObject({ ok: false, seq: 3 });
  });

  it('an entry appended without the key', () => {
    tamper((db) => {
      const last = db.prepare('SELECT entry, hash FROM audit_log WHERE seq = 4').get() as { entry: string; hash: string };
      const forged = { ...JSON.parse(last.entry), seq: 5, recordId: 'NLO/FORGED' } as StoredAuditEntry;
      const hash = entryHash(last.hash, forged);
      db.prepare('INSERT INTO audit_log (seq, entry, prev_hash, hash) VALUES (5, ?, ?, ?)').run(canonicalJson(forged), last.hash, hash);
      db.prepare(`UPDATE audit_meta SET value = ? WHERE name = 'head'`).run(`5:${hash}`);
    });
    expect(verify()).toMatchObject({ ok: false, seq: 5 });
  });

  it('a changed key fingerprint, or changed chain settings', () => {
    tamper((db) => db.prepare(`UPDATE audit_meta SET value = 'ffffffffffffffff' WHERE name = 'key_fingerprint'`).run());
    expect(verify()).toMatchObject({ ok: false, problem: expect.stringMatching(/fingerprint/) });
    freshTrail(4);
    // Moving the keyed boundary would let the early entries be checked as plain SHA-256: the settings are sealed.
    tamper((db) => db.prepare(`UPDATE audit_meta SET value = replace(value, '"keyedFrom":1', '"keyedFrom":4') WHERE name = 'chain'`).run());
    expect(verify()).toMatchObject({ ok: false, problem: expect.stringMatching(/chain settings were changed/) });
  });

  it('truncation back to a head saved earlier, when that head is given', () => {
    const saved = verify();
    if (!saved.ok) throw new Error('expected a clean chain');
    expect(verify({ expectedHead: { seq: 4, hash: 'f'.repeat(64) } })).toMatchObject({ ok: false, problem: expect.stringMatching(/differs/) });
    expect(verify({ expectedHead: saved.head }).ok).toBe(true);
  });

  it('a missing or foreign file', () => {
    expect(verifyAuditChain(join(dir, 'none.sqlite'), { key: KEY })).toMatchObject({ ok: false, problem: expect.stringMatching(/no audit trail/) });
    const other = join(dir, 'other.sqlite');
    writeFileSync(other, 'not sqlite at all');
    expect(verifyAuditChain(other, { key: KEY }).ok).toBe(false);
  });
});

describe('a trail written by an earlier version (plain SHA-256 chain)', () => {
  /** Writes the version-1 layout, as the earlier store did: no keyed chain, no sealed settings. */
  function writeLegacy(n: number): void {
    const db = new Database(path);
    AUDIT_MIGRATIONS[0]!(db);
    db.prepare(`INSERT INTO audit_meta (name, value) VALUES ('key_fingerprint', ?)`).run(keyFingerprint(KEY));
    let prev = GENESIS_HASH;
    for (let i = 1; i <= n; i++) {
      const entry: StoredAuditEntry = { seq: i, at: new Date(0).toISOString(), userId: `user${i}`, role: 'R8000', action: 'submit', recordId: `NLO/OLD-${i}`, outcome: 'delivered', patientRefs: [] };
      const hash = entryHash(prev, entry);
      db.prepare('INSERT INTO audit_log (seq, entry, prev_hash, hash) VALUES (?, ?, ?, ?)').run(i, canonicalJson(entry), prev, hash);
      prev = hash;
    }
    db.close();
  }

  it('is reported as unproven until the store opens it with the key, which seals it; then the old entries are anchored', () => {
    writeLegacy(3);
    expect(verify()).toMatchObject({ ok: false, problem: expect.stringMatching(/earlier version and never sealed/) });
    writeTrail(2); // opens with the key: seals, then appends keyed entries 4 and 5
    expect(verify()).toMatchObject({ ok: true, entries: 5, legacyEntries: 3 });
    tamper((db) => recomputeFrom(db, 2, (e) => ({ ...e, userId: 'someone-else' })));
    expect(verify()).toMatchObject({ ok: false, seq: 4 });
  });

  it('is refused with another key', () => {
    writeLegacy(1);
    expect(() => new SqliteAuditStore(path, Buffer.from('z'.repeat(40)))).toThrow(/key does not match/);
  });
});

describe('loadAuditKey', () => {
  it('reads a file or the environment and refuses short keys without echoing them', () => {
    const file = join(dir, 'key');
    writeFileSync(file, `${'s'.repeat(32)}\n`);
    expect(loadAuditKey({ file }).length).toBe(32);
    writeFileSync(file, 'short-secret');
    expect(() => loadAuditKey({ file })).toThrow(AuditKeyError);
    try {
      loadAuditKey({ file });
    } catch (e) {
      expect((e as Error).message).not.toContain('short-secret');
    }
    process.env.TEST_AUDIT_KEY_X = 'e'.repeat(33);
    expect(loadAuditKey({ env: 'TEST_AUDIT_KEY_X' }).length).toBe(33);
    delete process.env.TEST_AUDIT_KEY_X;
    expect(() => loadAuditKey({ env: 'TEST_AUDIT_KEY_X' })).toThrow(/not set/);
  });
});
