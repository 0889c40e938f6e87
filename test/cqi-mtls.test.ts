import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAuditStore, verifyAuditChain } from '../src/audit/index.js';
import {
  CqiClient,
  CqiOutbox,
  createTriageRecord,
  HttpsTriageTransport,
  loadClientCredentials,
  TlsConfigError,
  TransportError,
  type ClientTlsOptions,
  type CqiLogEvent,
  type HttpsTransportOptions,
} from '../src/cqi/index.js';
import { sampleTriageInput } from '../src/cqi/test-records.js';
import { startCqiStandIn, type CqiStandIn, type CqiStandInOptions } from '../src/server/cqi-server.js';
import { createTestPki, type CertFiles, type TestPki } from './helpers/openssl-pki.js';

const NHS = '9434765919';
let dir: string;
let pki: TestPki;
const servers: CqiStandIn[] = [];
const closers: { close(): void }[] = [];
const logs: CqiLogEvent[] = [];
const messages: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cqi-mtls-'));
  pki = createTestPki(dir);
});
afterEach(async () => {
  for (const c of closers.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  // Nothing this suite logged or threw may carry key material, the passphrase or the NHS number.
  const secrets = [NHS, pki.passphrase, 'PRIVATE KEY', 'BEGIN', ...[pki.client.key, pki.strayKey].map((k) => readFileSync(k, 'utf8').split('\n')[1]!)];
  const text = [...logs.map((l) => l.message), ...messages].join('\n');
  expect(logs.length).toBeGreaterThan(0);
  expect(messages.length).toBeGreaterThan(5);
  for (const s of secrets) expect(text).not.toContain(s);
  rmSync(dir, { recursive: true, force: true });
});

const pem = (path: string) => readFileSync(path);

async function standIn(server: CertFiles = pki.server, extra: Partial<CqiStandInOptions> = {}): Promise<CqiStandIn> {
  const s = await startCqiStandIn({ key: pem(server.key), cert: pem(server.cert), clientCa: pem(pki.ca.cert), ...extra });
  servers.push(s);
  return s;
}

function tlsFor(client: CertFiles = pki.client, extra: Partial<ClientTlsOptions> = {}): ClientTlsOptions {
  return { cert: { file: client.cert }, key: { file: client.key }, ca: { file: pki.ca.cert }, ...extra };
}

function transport(url: string, tls: ClientTlsOptions = tlsFor(), extra: Partial<HttpsTransportOptions> = {}): HttpsTriageTransport {
  const t = new HttpsTriageTransport({ url: `${url}/triage`, tls, retries: 0, timeoutMs: 5_000, backoffMs: 10, logger: (e) => logs.push(e), ...extra });
  closers.push(t);
  return t;
}

function outbox(): CqiOutbox {
  const o = new CqiOutbox(join(mkdtempSync(join(dir, 'outbox-')), 'outbox.sqlite'));
  closers.push(o);
  return o;
}

const payload = { body: '{"resourceType":"Bundle"}', headers: { 'X-Request-ID': 'r1' }, contentType: 'application/fhir+json' };

async function refusal(p: Promise<unknown>): Promise<TransportError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TransportError);
    messages.push((e as Error).message);
    return e as TransportError;
  }
  throw new Error('expected the connection to be refused');
}

function configError(f: () => unknown): TlsConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TlsConfigError);
    messages.push((e as Error).message);
    return e as TlsConfigError;
  }
  throw new Error('expected a configuration error');
}

/** A bare TLS handshake plus one request, to see what the server itself refuses. */
function rawRequest(url: string, options: { cert?: Buffer; key?: Buffer }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/triage`, { method: 'POST', ca: pem(pki.ca.cert), ...options, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('mutual TLS against the stand-in', () => {
  it('accepts a client certificate from the test CA and records what it received', async () => {
    const server = await standIn();
    const receipt = await transport(server.url).send(payload);
    expect(receipt.status).toBe(202);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: 'POST', path: '/triage', clientCommonName: 'client' });
    expect(server.received[0]!.headers['content-type']).toBe('application/fhir+json');
    expect(server.received[0]!.body.toString()).toBe(payload.body);
  });

  it('accepts a PKCS#12 bundle with its passphrase', async () => {
    const server = await standIn();
    const tls: ClientTlsOptions = { pfx: { file: pki.clientPfx }, passphrase: pki.passphrase, ca: { file: pki.ca.cert } };
    expect((await transport(server.url, tls).send(payload)).status).toBe(202);
    expect(server.received).toHaveLength(1);
  });

  it('accepts an encrypted PEM key with its passphrase', async () => {
    const server = await standIn();
    const tls = tlsFor(pki.client, { key: { file: pki.clientEncryptedKey }, passphrase: pki.passphrase });
    expect((await transport(server.url, tls).send(payload)).status).toBe(202);
  });

  it('refuses a client without a certificate at the TLS layer', async () => {
    const server = await standIn();
    await expect(rawRequest(server.url, {})).rejects.toThrow();
    expect(server.received).toHaveLength(0);
  });

  it('refuses a client certificate from another CA', async () => {
    const server = await standIn();
    const error = await refusal(transport(server.url, tlsFor(pki.clientOtherCa)).send(payload));
    expect(['CLIENT_CERT_REFUSED', 'NETWORK']).toContain(error.code);
    expect(error.message).toMatch(/client certificate/);
    await expect(rawRequest(server.url, { cert: pem(pki.clientOtherCa.cert), key: pem(pki.clientOtherCa.key) })).rejects.toThrow();
    expect(server.received).toHaveLength(0);
  });

  it('refuses an expired client certificate at the TLS layer, and the client names it before connecting', async () => {
    const server = await standIn();
    await expect(rawRequest(server.url, { cert: pem(pki.clientExpired.cert), key: pem(pki.clientExpired.key) })).rejects.toThrow();
    expect(server.received).toHaveLength(0);
    expect(configError(() => loadClientCredentials(tlsFor(pki.clientExpired))).code).toBe('CLIENT_CERT_EXPIRED');
  });

  it('refuses a server whose certificate is not from a trusted CA', async () => {
    const server = await standIn(pki.serverOtherCa);
    expect((await refusal(transport(server.url).send(payload))).code).toBe('SERVER_CERT_UNTRUSTED');
    expect(server.received).toHaveLength(0);
  });

  it('keeps verifying the server when NODE_TLS_REJECT_UNAUTHORIZED=0 is set', async () => {
    const server = await standIn(pki.serverOtherCa);
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      expect((await refusal(transport(server.url).send(payload))).code).toBe('SERVER_CERT_UNTRUSTED');
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
  });

  it('refuses a server certificate issued for another host name', async () => {
    const server = await standIn(pki.serverWrongHost);
    expect((await refusal(transport(server.url).send(payload))).code).toBe('HOSTNAME_MISMATCH');
  });

  it('refuses a server that offers only TLS below 1.2', async () => {
    const server = await standIn(pki.server, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    expect((await refusal(transport(server.url).send(payload))).code).toBe('TLS_PROTOCOL_TOO_OLD');
    expect(server.received).toHaveLength(0);
  });
});

describe('client credential errors name the cause', () => {
  it('a key that does not match the certificate', () => {
    const e = configError(() => loadClientCredentials(tlsFor(pki.client, { key: { file: pki.strayKey } })));
    expect(e.code).toBe('KEY_CERT_MISMATCH');
    expect(e.message).toContain('does not match');
  });
  it('a wrong or missing passphrase, PEM and PKCS#12', () => {
    expect(configError(() => loadClientCredentials(tlsFor(pki.client, { key: { file: pki.clientEncryptedKey }, passphrase: 'wrong' }))).code).toBe('WRONG_PASSPHRASE');
    expect(configError(() => loadClientCredentials(tlsFor(pki.client, { key: { file: pki.clientEncryptedKey } }))).code).toBe('WRONG_PASSPHRASE');
    expect(configError(() => loadClientCredentials({ pfx: { file: pki.clientPfx }, passphrase: 'wrong' })).code).toBe('WRONG_PASSPHRASE');
  });
  it('missing files, missing credentials and garbage', () => {
    expect(configError(() => loadClientCredentials(tlsFor(pki.client, { cert: { file: join(dir, 'absent.pem') } }))).code).toBe('FILE_UNREADABLE');
    expect(configError(() => loadClientCredentials({ ca: { file: pki.ca.cert } })).code).toBe('MISSING_CREDENTIALS');
    expect(configError(() => loadClientCredentials(tlsFor(pki.client, { cert: { data: 'not a certificate' } }))).code).toBe('INVALID_CERTIFICATE');
    expect(configError(() => loadClientCredentials(tlsFor(pki.client, { key: { data: 'not a key' } }))).code).toBe('INVALID_KEY');
    expect(configError(() => loadClientCredentials({ pfx: { data: 'garbage' }, passphrase: 'x' })).code).toBe('INVALID_PKCS12');
    expect(configError(() => loadClientCredentials(tlsFor(pki.client, { ca: { data: 'nothing' } }))).code).toBe('INVALID_CA_BUNDLE');
  });
  it('a plain http URL', () => {
    expect(() => transport('http://127.0.0.1:1')).toThrow(/https/);
  });
});

describe('real-time submission with the durable outbox', () => {
  const record = (n: number) => createTriageRecord(sampleTriageInput({ caseId: `CASE-${n}` }));
  const requestIds = (s: CqiStandIn) => s.received.map((r) => r.headers['x-request-id']);

  it('delivers in real time and audits the submission without the NHS number', async () => {
    const server = await standIn();
    const auditPath = join(dir, 'audit-realtime.sqlite');
    const audit = new SqliteAuditStore(auditPath, Buffer.from('a'.repeat(32)));
    const box = outbox();
    const client = new CqiClient({ transport: transport(server.url), outbox: box, audit, logger: (e) => logs.push(e) });
    const result = await client.submitNow(record(1), { actor: { userId: 'u1', role: 'R8000' }, deadlineMs: 5_000 });
    audit.close();
    expect(result).toMatchObject({ outcome: 'delivered', receipt: { status: 202 } });
    expect(box.pending()).toHaveLength(0);
    expect(verifyAuditChain(auditPath, { key: Buffer.from('a'.repeat(32)) })).toMatchObject({ ok: true, entries: 1 });
    expect(readFileSync(auditPath).includes(Buffer.from(NHS))).toBe(false);
  });

  it('queues while the service fails, loses nothing and delivers in order once it recovers', async () => {
    let failing = true;
    const server = await standIn(pki.server, { respond: () => (failing ? { status: 503 } : { status: 202, body: '{}' }) });
    const box = outbox();
    const client = new CqiClient({ transport: transport(server.url, tlsFor(), { retries: 1 }), outbox: box, logger: (e) => logs.push(e) });
    for (const n of [1, 2, 3]) {
      const r = await client.submitNow(record(n), { deadlineMs: 5_000 });
      expect(r).toMatchObject({ outcome: 'queued', reason: 'HTTP_STATUS' });
      messages.push(r.outcome === 'queued' ? r.message : '');
    }
    expect(box.pending().map((p) => p.recordId)).toEqual(['NLO/CASE-1', 'NLO/CASE-2', 'NLO/CASE-3']);
    // Only the head is ever tried while it fails: later items never overtake it.
    const tried = new Set(requestIds(server));
    expect(tried.size).toBe(1);
    failing = false;
    server.received.length = 0;
    const fourth = await client.submitNow(record(4), { deadlineMs: 5_000 });
    expect(fourth.outcome).toBe('delivered');
    expect(box.pending()).toHaveLength(0);
    const order = server.received.map((r) => (JSON.parse(r.body.toString()) as { entry: { resource: { identifier?: { value: string }[]; resourceType: string } }[] }).entry.find((e) => e.resource.resourceType === 'Encounter')!.resource.identifier![0]!.value);
    expect(order).toEqual(['CASE-1', 'CASE-2', 'CASE-3', 'CASE-4']);
  });

  it('keeps records queued when the TLS set-up is refused, and across a restart', async () => {
    const server = await standIn(pki.serverOtherCa);
    const path = join(mkdtempSync(join(dir, 'restart-')), 'outbox.sqlite');
    const first = new CqiOutbox(path);
    const result = await new CqiClient({ transport: transport(server.url), outbox: first }).submitNow(record(7), { deadlineMs: 5_000 });
    expect(result).toMatchObject({ outcome: 'queued', reason: 'SERVER_CERT_UNTRUSTED' });
    first.close();
    const reopened = new CqiOutbox(path);
    closers.push(reopened);
    expect(reopened.pending()).toMatchObject([{ recordId: 'NLO/CASE-7', attempts: 1, lastErrorCode: 'SERVER_CERT_UNTRUSTED' }]);
    const good = await standIn();
    const drained = await new CqiClient({ transport: transport(good.url), outbox: reopened }).drain();
    expect(drained).toMatchObject({ delivered: 1, remaining: 0 });
    expect(good.received).toHaveLength(1);
  });

  it('returns by the deadline from a hung service and keeps the record queued', async () => {
    const server = await standIn(pki.server, { respond: () => new Promise(() => {}) });
    const box = outbox();
    const client = new CqiClient({ transport: transport(server.url, tlsFor(), { timeoutMs: 60_000 }), outbox: box });
    const started = Date.now();
    const result = await client.submitNow(record(9), { deadlineMs: 300 });
    // Far below the 60 s per-attempt timeout: the deadline, not the timeout, ended the wait.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result).toMatchObject({ outcome: 'queued', reason: 'DEADLINE' });
    expect(box.pending()).toHaveLength(1);
  });

  it('sets aside a record the service refuses for good and carries on with the next', async () => {
    const server = await standIn(pki.server, {
      respond: (s) => (s.body.toString().includes('CASE-BAD') ? { status: 400, body: '{"error":"invalid"}' } : { status: 202 }),
    });
    const box = outbox();
    const client = new CqiClient({ transport: transport(server.url), outbox: box });
    expect((await client.submitNow(createTriageRecord(sampleTriageInput({ caseId: 'CASE-BAD' })))).outcome).toBe('rejected');
    expect((await client.submitNow(record(10))).outcome).toBe('delivered');
    expect(box.rejected()).toMatchObject([{ recordId: 'NLO/CASE-BAD', lastErrorCode: 'HTTP_STATUS_400' }]);
    expect(box.pending()).toHaveLength(0);
  });
});

describe('the stand-in itself', () => {
  it('refuses a handshake without a client certificate', async () => {
    const server = await standIn();
    const error = await new Promise<Error | undefined>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ca: pem(pki.ca.cert), servername: 'localhost' }, () => {
        socket.write('POST /triage HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n');
      });
      socket.on('data', () => resolve(undefined));
      socket.on('error', (e) => resolve(e));
      socket.on('close', () => resolve(new Error('closed')));
    });
    expect(error).toBeDefined();
    expect(server.received).toHaveLength(0);
  });
});

describe('refusals that point at the set-up', () => {
  it('stop the queue instead of setting records aside', async () => {
    const server = await standIn(pki.server, { respond: () => ({ status: 403 }) });
    const box = outbox();
    const client = new CqiClient({ transport: transport(server.url), outbox: box });
    const first = await client.submitNow(createTriageRecord(sampleTriageInput({ caseId: 'CASE-A' })));
    expect(first).toMatchObject({ outcome: 'queued', reason: 'HTTP_STATUS' });
    await client.submitNow(createTriageRecord(sampleTriageInput({ caseId: 'CASE-B' })));
    expect(box.pending().map((p) => p.recordId)).toEqual(['NLO/CASE-A', 'NLO/CASE-B']);
    expect(box.rejected()).toHaveLength(0);
  });
});
