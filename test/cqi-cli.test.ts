import { Command } from 'commander';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { register as registerAudit } from '../src/cli/commands/audit.js';
import { EXIT_QUEUED, register as registerCqi } from '../src/cli/commands/cqi.js';
import { sampleTriageInput } from '../src/cqi/test-records.js';
import { startCqiStandIn, type CqiStandIn } from '../src/server/cqi-server.js';
import { createTestPki, type TestPki } from './helpers/openssl-pki.js';

const NHS = '9434765919';
let dir: string;
let pki: TestPki;
let server: CqiStandIn;
let failing = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cqi-cli-'));
  pki = createTestPki(dir);
  server = await startCqiStandIn({
    key: readFileSync(pki.server.key),
    cert: readFileSync(pki.server.cert),
    clientCa: readFileSync(pki.ca.cert),
    respond: () => (failing ? { status: 503 } : { status: 202, body: '{}' }),
  });
  writeFileSync(join(dir, 'audit.key'), 'x'.repeat(40));
  writeFileSync(join(dir, 'record.json'), JSON.stringify(sampleTriageInput()));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(sampleTriageInput({ dispositionCode: 'D11', nhsNumber: '9434765918' })));
  writeFileSync(join(dir, 'pass'), `${pki.passphrase}\n`);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
  failing = false;
});

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  // Output settings are inherited by subcommands when they are created, so set them first.
  const program = new Command('ads-fhir').exitOverride().configureOutput({ writeOut: (s) => void out.push(s), writeErr: (s) => void err.push(s) });
  registerCqi(program);
  registerAudit(program);
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    await program.parseAsync(['node', 'ads-fhir', ...args]);
  } catch (e) {
    if (!(e instanceof Error && 'exitCode' in e)) throw e;
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  const result = { out: out.join('\n'), err: err.join('\n'), code };
  // Whatever the command printed, it never shows the NHS number, the passphrase or key material.
  for (const secret of [NHS, pki.passphrase, 'PRIVATE KEY']) expect(result.out + result.err).not.toContain(secret);
  return result;
}

const connection = () => ['--url', `${server.url}/triage`, '--cert', pki.client.cert, '--key', pki.clientEncryptedKey, '--passphrase-file', join(dir, 'pass'), '--ca', pki.ca.cert];
const auditing = (db: string) => ['--audit-db', db, '--audit-key-file', join(dir, 'audit.key'), '--user', 'jsmith', '--role', 'R8000'];

describe('ads-fhir cqi', () => {
  it('submit delivers a record, audits it, and audit verify accepts the trail', async () => {
    const db = join(dir, 'audit1.sqlite');
    const r = await run(['cqi', 'submit', join(dir, 'record.json'), ...connection(), '--outbox', join(dir, 'o1.sqlite'), ...auditing(db)]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toContain('delivered NLO/CASE-20261123-0001 (HTTP 202)');
    const v = await run(['audit', 'verify', '--db', db, '--audit-key-file', join(dir, 'audit.key')]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/intact: 2 entries; head 2:[0-9a-f]{64}/);
  });

  it('submit queues when the service is failing and drain delivers later', async () => {
    failing = true;
    const outbox = join(dir, 'o2.sqlite');
    const q = await run(['cqi', 'submit', join(dir, 'record.json'), ...connection(), '--outbox', outbox, '--retries', '0', '--no-audit']);
    expect(q.code).toBe(EXIT_QUEUED);
    expect(q.out).toMatch(/queued NLO\/CASE-20261123-0001 as #1/);
    expect((await run(['cqi', 'outbox', '--outbox', outbox])).out).toMatch(/1 queued, 0 rejected[\s\S]*#1 NLO\/CASE-20261123-0001 attempts=1 last=HTTP_STATUS/);
    failing = false;
    const d = await run(['cqi', 'drain', ...connection(), '--outbox', outbox, '--no-audit']);
    expect(d).toMatchObject({ code: 0 });
    expect(d.out).toContain('delivered 1, rejected 0, still queued 0');
  });

  it('submit names each malformed field without echoing values, and audits the failed validation', async () => {
    const db = join(dir, 'audit3.sqlite');
    const r = await run(['cqi', 'submit', join(dir, 'bad.json'), ...connection(), ...auditing(db)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/dispositionCode: must be a Pathways disposition code/);
    expect(r.err).toMatch(/nhsNumber: must be 10 digits/);
    const rows = new Database(db, { readonly: true }).prepare('SELECT entry FROM audit_log').all() as { entry: string }[];
    expect(rows.map((x) => JSON.parse(x.entry))).toMatchObject([{ action: 'validate', outcome: 'failure' }]);
  });

  it('submit reports set-up problems in one line', async () => {
    const base = ['cqi', 'submit', join(dir, 'record.json'), '--no-audit', '--outbox', join(dir, 'o4.sqlite')];
    const wrongPass = await run([...base, '--url', `${server.url}/t`, '--cert', pki.client.cert, '--key', pki.clientEncryptedKey, '--ca', pki.ca.cert, '--passphrase-env', 'NO_SUCH_VAR_X']);
    expect(wrongPass).toMatchObject({ code: 1, err: expect.stringMatching(/^error: .*encrypted and no passphrase/) });
    const mismatch = await run([...base, '--url', `${server.url}/t`, '--cert', pki.client.cert, '--key', pki.strayKey, '--ca', pki.ca.cert]);
    expect(mismatch.err).toMatch(/does not match/);
    expect((await run([...base, '--cert', pki.client.cert, '--key', pki.client.key])).err).toMatch(/no endpoint/);
    expect((await run(['cqi', 'submit', join(dir, 'missing.json'), '--no-audit'])).err).toMatch(/cannot be read/);
    expect((await run(['cqi', 'submit', join(dir, 'record.json'), ...connection()])).err).toMatch(/--user and --role are required/);
  });

  it('a server certificate that is not trusted is a set-up error: exit 1, as documented, the record kept queued', async () => {
    const outbox = join(dir, 'o-untrusted.sqlite');
    // The CA given for the server is the client's only; the stand-in's certificate is from another CA.
    const other = await startCqiStandIn({ key: readFileSync(pki.serverOtherCa.key), cert: readFileSync(pki.serverOtherCa.cert), clientCa: readFileSync(pki.ca.cert) });
    try {
      const r = await run(['cqi', 'submit', join(dir, 'record.json'), '--url', `${other.url}/triage`, '--cert', pki.client.cert, '--key', pki.client.key, '--ca', pki.ca.cert, '--outbox', outbox, '--no-audit']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/set-up problem \(SERVER_CERT_UNTRUSTED\)/);
      expect((await run(['cqi', 'outbox', '--outbox', outbox])).out).toMatch(/1 queued, 0 rejected/);
    } finally {
      await other.close();
    }
  });

  it('never uses the file name as the record id of an invalid record (a name can hold patient data)', async () => {
    const db = join(dir, 'audit-names.sqlite');
    const named = join(dir, 'Jane Doe (born 1961).json');
    writeFileSync(named, JSON.stringify(sampleTriageInput({ dispositionCode: 'D11' })));
    const r = await run(['cqi', 'submit', named, ...connection(), ...auditing(db)]);
    expect(r.code).toBe(1);
    const rows = new Database(db, { readonly: true }).prepare('SELECT entry FROM audit_log').all() as { entry: string }[];
    const [entry] = rows.map((x) => JSON.parse(x.entry) as { recordId: string; outcome: string });
    expect(entry).toMatchObject({ outcome: 'failure', recordId: expect.stringMatching(/^invalid-triage-record\/sha256:[0-9a-f]{16}$/) });
    expect(readFileSync(db).includes(Buffer.from('Jane Doe'))).toBe(false);
  });

  it('creates its outbox and audit files readable by the owner only; listing a mistyped outbox creates nothing', async () => {
    const outbox = join(dir, 'o-modes.sqlite');
    const db = join(dir, 'audit-modes.sqlite');
    await run(['cqi', 'submit', join(dir, 'record.json'), ...connection(), '--outbox', outbox, ...auditing(db)]);
    for (const file of [outbox, db]) expect(statSync(file).mode & 0o777).toBe(0o600);
    const typo = join(dir, 'o-typo.sqlite');
    const listed = await run(['cqi', 'outbox', '--outbox', typo]);
    expect(listed.code).toBe(2);
    expect(listed.err).toContain(`no CQI outbox at ${typo}`);
    expect(existsSync(typo)).toBe(false);
  });

  it('each command has help with an example', async () => {
    for (const cmd of [['cqi', 'submit'], ['cqi', 'drain'], ['cqi', 'outbox'], ['audit', 'verify']]) {
      const r = await run([...cmd, '--help']);
      expect(r.out).toContain('Example:');
    }
  });
});

describe('ads-fhir audit verify', () => {
  it('reports a broken chain and a malformed --expect-head', async () => {
    const db = join(dir, 'audit1.sqlite');
    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare(`UPDATE audit_log SET entry = replace(entry, 'jsmith', 'mallory') WHERE seq = 1`).run();
    raw.close();
    const key = ['--audit-key-file', join(dir, 'audit.key')];
    const r = await run(['audit', 'verify', '--db', db, ...key]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/BROKEN at entry 1/);
    expect((await run(['audit', 'verify', '--db', db, ...key, '--expect-head', 'nonsense'])).code).toBe(1);
    expect((await run(['audit', 'verify', '--db', join(dir, 'none.sqlite'), ...key])).err).toMatch(/no audit trail/);
    const noKey = await run(['audit', 'verify', '--db', db, '--audit-key-file', join(dir, 'missing.key')]);
    expect(noKey).toMatchObject({ code: 1, err: expect.stringMatching(/needs the key/) });
  });
});
