/**
 * Every service refuses a redirect the same way (the shared transport): the token endpoint, MESH and CQI
 * (the ADS API is in test/submission/ads-client.test.ts). Nothing is re-sent to the target, not even the
 * credentials.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CqiClient, CqiOutbox, createTriageRecord, HttpsTriageTransport, sampleTriageInput } from '../../src/cqi/index.js';
import { MeshClient, MeshRedirectError } from '../../src/mesh/index.js';
import { TokenClient, TokenError } from '../../src/submission/index.js';
import { createTestPki, type TestPki } from '../helpers/openssl-pki.js';

let target: http.Server;
let targetOrigin: string;
const hits: string[] = [];
let redirecting: http.Server;
let base: string;
let dir: string;
let pki: TestPki;

async function listen(server: http.Server | https.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return String((server.address() as AddressInfo).port);
}

beforeAll(async () => {
  target = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.end('{}');
  });
  targetOrigin = `http://127.0.0.1:${await listen(target)}`;
  redirecting = http.createServer((req, res) => {
    req.resume();
    res.writeHead(307, { location: `${targetOrigin}${req.url}` }).end();
  });
  base = `http://127.0.0.1:${await listen(redirecting)}`;
  dir = mkdtempSync(join(tmpdir(), 'net-redirects-'));
  pki = createTestPki(dir);
});
afterAll(async () => {
  for (const s of [target, redirecting]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('a redirect is refused, never followed', () => {
  it('by the token client', async () => {
    hits.length = 0;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const client = new TokenClient({ tokenUrl: `${base}/oauth2/token`, apiKey: 'k'.repeat(10), kid: 'kid', privateKey, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await client.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: 'token-unavailable', retryable: false, status: 307 });
    expect((error as Error).message).toContain(targetOrigin);
    expect(hits).toEqual([]);
  });

  it('by the MESH client, which never sends its mailbox credentials elsewhere', async () => {
    hits.length = 0;
    const client = new MeshClient({ baseUrl: base, mailboxId: 'X26ABC1', mailboxPassword: 'password', sharedKey: 'shared-key', sleep: async () => undefined });
    const error = await client.listInbox().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeshRedirectError);
    expect((error as MeshRedirectError).message).toContain(targetOrigin);
    expect(hits).toEqual([]);
  });

  it('by the CQI transport, which keeps the record queued and stops the queue', async () => {
    const server = https.createServer({ key: readFileSync(pki.server.key), cert: readFileSync(pki.server.cert), requestCert: true, rejectUnauthorized: true, ca: readFileSync(pki.ca.cert) }, (req, res) => {
      req.resume();
      res.writeHead(302, { location: `${targetOrigin}/triage` }).end();
    });
    const port = await listen(server);
    hits.length = 0;
    const transport = new HttpsTriageTransport({
      url: `https://127.0.0.1:${port}/triage`,
      tls: { cert: { file: pki.client.cert }, key: { file: pki.client.key }, ca: { file: pki.ca.cert } },
      retries: 2,
      backoffMs: 1,
    });
    const outbox = new CqiOutbox(join(dir, 'cqi.sqlite'));
    try {
      const result = await new CqiClient({ transport, outbox }).submitNow(createTriageRecord(sampleTriageInput()), { deadlineMs: 10_000 });
      expect(result).toMatchObject({ outcome: 'queued', reason: 'HTTP_STATUS', retryable: false });
      expect(outbox.pending()).toHaveLength(1);
      expect(hits).toEqual([]);
    } finally {
      transport.close();
      outbox.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
