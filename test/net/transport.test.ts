/**
 * The shared transport against misbehaving servers on loopback: size cap, reset, time limit, abort,
 * redirects refused (never followed, the target's origin named, nothing sent there), plain http off
 * loopback refused, server and client certificates checked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, NetError, type Transport } from '../../src/net/index.js';
import { createTestPki, type TestPki } from '../helpers/openssl-pki.js';

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

async function failure(promise: Promise<unknown>): Promise<NetError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetError);
  return error as NetError;
}

describe('the shared transport over plain http on loopback', () => {
  let raw: http.Server;
  let target: http.Server;
  let base: string;
  let targetOrigin: string;
  const targetHits: string[] = [];
  let transport: Transport;

  beforeAll(async () => {
    target = http.createServer((req, res) => {
      targetHits.push(`${req.method} ${req.url}`);
      res.end('{"message":"stolen-receipt"}');
    });
    targetOrigin = `http://127.0.0.1:${await listen(target)}`;
    raw = http.createServer((req, res) => {
      req.resume();
      if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const block = Buffer.alloc(64 * 1024);
        let sent = 0;
        const pump = () => {
          while (sent < 4 * 1024 * 1024) {
            sent += block.length;
            if (!res.write(block)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      } else if (req.url === '/declared-huge') {
        res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
        res.write('x');
      } else if (req.url === '/reset') {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('partial');
        setTimeout(() => req.socket.destroy(), 10);
      } else if (req.url?.startsWith('/redirect/')) {
        const status = Number(req.url.split('/')[2]);
        res.writeHead(status, { location: `${targetOrigin}/secret/path?nhs=9434765919` }).end();
      } else if (req.url === '/ok') {
        res.end('fine');
      }
      // Anything else never answers: the time limit.
    });
    base = `http://127.0.0.1:${await listen(raw)}`;
    transport = createTransport({ service: 'TEST', timeoutMs: 300, maxResponseBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    transport.close();
    await close(raw);
    await close(target);
  });

  it('answers a normal exchange', async () => {
    const res = await transport.exchange({ method: 'GET', url: `${base}/ok`, headers: {} });
    expect(res).toMatchObject({ status: 200 });
    expect(res.body.toString()).toBe('fine');
  });

  it('caps the response size, streamed or declared', async () => {
    expect(await failure(transport.exchange({ method: 'GET', url: `${base}/huge`, headers: {} }))).toMatchObject({ kind: 'too-large', retryable: false, status: 200 });
    expect((await failure(transport.exchange({ method: 'GET', url: `${base}/declared-huge`, headers: {} }))).kind).toBe('too-large');
  });

  it('turns a reset mid-body into a retryable network error', async () => {
    expect(await failure(transport.exchange({ method: 'GET', url: `${base}/reset`, headers: {} }))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('times out a server that never answers, and stops at a caller deadline', async () => {
    expect(await failure(transport.exchange({ method: 'GET', url: `${base}/hang`, headers: {} }))).toMatchObject({ kind: 'timeout', retryable: true });
    const signal = AbortSignal.timeout(50);
    const aborted = await failure(transport.exchange({ method: 'GET', url: `${base}/hang`, headers: {}, signal, timeoutMs: 10_000 }));
    expect(aborted.kind).toBe('aborted');
  });

  it.each([301, 302, 303, 307, 308])('refuses a %i redirect: never followed, the target origin named without its path', async (status) => {
    targetHits.length = 0;
    const error = await failure(
      transport.exchange({ method: 'POST', url: `${base}/redirect/${status}`, headers: { authorization: 'Bearer secret-token-value' }, body: '{"resourceType":"Bundle"}' }),
    );
    expect(error).toMatchObject({ kind: 'redirect', retryable: false, status, redirectOrigin: targetOrigin });
    expect(error.message).toContain(targetOrigin);
    expect(error.message).not.toContain('/secret/path');
    expect(error.message).not.toContain('9434765919');
    expect(targetHits).toEqual([]);
  });

  it('refuses plain http off loopback and unreadable URLs before connecting', async () => {
    expect(await failure(transport.exchange({ method: 'GET', url: 'http://example.invalid/x', headers: {} }))).toMatchObject({ kind: 'endpoint' });
    expect(await failure(transport.exchange({ method: 'GET', url: 'not a url', headers: {} }))).toMatchObject({ kind: 'endpoint' });
  });

  it('reports a refused connection as a retryable network error naming the code only', async () => {
    const closed = http.createServer();
    const port = await listen(closed);
    await close(closed);
    const error = await failure(transport.exchange({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});

describe('the shared transport over TLS', () => {
  let dir: string;
  let pki: TestPki;
  const servers: https.Server[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'net-tls-'));
    pki = createTestPki(dir);
  });
  afterAll(async () => {
    for (const server of servers) await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(cert: { cert: string; key: string }, mutual: boolean): Promise<string> {
    const server = https.createServer(
      {
        cert: readFileSync(cert.cert),
        key: readFileSync(cert.key),
        ...(mutual ? { requestCert: true, rejectUnauthorized: true, ca: readFileSync(pki.ca.cert) } : {}),
      },
      (req, res) => res.end(`hello ${(req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN ?? 'anonymous'}`),
    );
    servers.push(server);
    return `https://127.0.0.1:${await listen(server)}/`;
  }

  it('verifies the server against the configured CA, and refuses an untrusted one for good', async () => {
    const url = await serve(pki.server, false);
    const trusting = createTransport({ service: 'TEST', tls: { ca: readFileSync(pki.ca.cert) } });
    expect((await trusting.exchange({ method: 'GET', url, headers: {} })).body.toString()).toBe('hello anonymous');
    trusting.close();
    const platformRoots = createTransport({ service: 'TEST' });
    expect(await failure(platformRoots.exchange({ method: 'GET', url, headers: {} }))).toMatchObject({ kind: 'tls', tlsCode: 'SERVER_CERT_UNTRUSTED', retryable: false });
    platformRoots.close();
  });

  it('checks the host name', async () => {
    const url = await serve(pki.serverWrongHost, false);
    const t = createTransport({ service: 'TEST', tls: { ca: readFileSync(pki.ca.cert) } });
    expect(await failure(t.exchange({ method: 'GET', url, headers: {} }))).toMatchObject({ kind: 'tls', tlsCode: 'HOSTNAME_MISMATCH' });
    t.close();
  });

  it('presents the client certificate for mutual TLS', async () => {
    const url = await serve(pki.server, true);
    const t = createTransport({ service: 'TEST', tls: { ca: readFileSync(pki.ca.cert), cert: readFileSync(pki.client.cert), key: readFileSync(pki.client.key) } });
    expect((await t.exchange({ method: 'GET', url, headers: {} })).body.toString()).toBe('hello client');
    t.close();
    const anonymous = createTransport({ service: 'TEST', tls: { ca: readFileSync(pki.ca.cert) } });
    const refused = await failure(anonymous.exchange({ method: 'GET', url, headers: {} }));
    expect(['tls', 'network']).toContain(refused.kind);
    anonymous.close();
  });
});
