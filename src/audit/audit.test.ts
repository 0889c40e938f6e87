import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditKeyError, loadAuditKey, patientRef } from './audit-key.js';
import { canonicalJson } from './canonical-json.js';
import { entryHash } from './chain.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';
import type { AuditEvent } from './types.js';
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

/** Opens the file as an attacker would: triggers dropped, raw SQL. */
function tamper(sql: (db: Database.Database) => void): void {
  const db = new Database(path);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
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
    const result = verifyAuditChain(path);
    expect(result).toMatchObject({ ok: true, entries: 3, head: { seq: 3 } });
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

describe('verifyAuditChain detects tampering', () => {
  beforeEach(() => writeTrail(4));

  it('an edited entry', () => {
    tamper((db) => db.prepare(`UPDATE audit_log SET entry = replace(entry, '"outcome":"delivered"', '"outcome":"failure"') WHERE seq = 2`).run());
    expect(verifyAuditChain(path)).toMatchObject({ ok: false, seq: 2 });
  });

  it('an edited entry whose own hash was recomputed', () => {
    tamper((db) => {
      const row = db.prepare('SELECT entry, prev_hash FROM audit_log WHERE seq = 2').get() as { entry: string; prev_hash: string };
      const entry = { ...JSON.parse(row.entry), userId: 'someone-else' };
      db.prepare('UPDATE audit_log SET entry = ?, hash = ? WHERE seq = 2').run(canonicalJson(entry), entryHash(row.prev_hash, entry));
    });
    expect(verifyAuditChain(path)).toMatchObject({ ok: false, seq: 3, problem: expect.stringMatching(/link/) });
  });

  it('a deleted entry', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 2').run());
    expect(verifyAuditChain(path)).toMatchObject({ ok: false, seq: 3 });
  });

  it('a deleted first entry', () => {
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 1').run());
    expect(verifyAuditChain(path)).toMatchObject({ ok: false, seq: 2 });
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
    expect(verifyAuditChain(path)).toMatchObject({ ok: false, seq: 2 });
  });

  it('truncation, when a head saved earlier is given', () => {
    const saved = verifyAuditChain(path);
    if (!saved.ok) throw new Error('expected a clean chain');
    tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq = 4').run());
    expect(verifyAuditChain(path).ok).toBe(true);
    expect(verifyAuditChain(path, { expectedHead: saved.head })).toMatchObject({ ok: false, problem: expect.stringMatching(/removed/) });
  });

  it('a missing or foreign file', () => {
    expect(verifyAuditChain(join(dir, 'none.sqlite'))).toMatchObject({ ok: false, problem: expect.stringMatching(/no audit trail/) });
    const other = join(dir, 'other.sqlite');
    writeFileSync(other, 'not sqlite at all');
    expect(verifyAuditChain(other).ok).toBe(false);
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
