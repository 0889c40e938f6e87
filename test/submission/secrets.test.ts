/**
 * No key material, token, client assertion or patient identifier may appear in any error message, log
 * event, console output or stored failure reason, whatever goes wrong.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/server/index.js';
import {
  AdsClient,
  describeError,
  loadPrivateKey,
  Outbox,
  OutboxWorker,
  type SubmissionLogEvent,
  TokenClient,
} from '../../src/submission/index.js';
import { instantClock, recordingTransport } from './helpers.js';

const NHS_NUMBER = '9434765919';
const bundle = {
  resourceType: 'Bundle',
  id: 'secret-test',
  type: 'message',
  entry: [{ resource: { resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS_NUMBER }] } }],
};

let sandbox: RunningSandbox;
let echo: Server;
let echoUrl: string;
const outputs: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ ads: { rateLimitPerMinute: false } });
  // A hostile server that echoes the request (headers and body) back in its error text.
  echo = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const status = req.url?.includes('token') ? 400 : 400;
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `bad ${req.headers.authorization ?? ''} ${body}`, error_description: `echo ${body}` }));
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void outputs.push(args.map(String).join(' ')));
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await sandbox.stop();
  echo.closeAllConnections();
  await new Promise((r) => echo.close(r));
});

describe('secrets and patient data stay out of errors and logs', () => {
  it('holds across token, API and outbox failures', async () => {
    const texts: string[] = [];
    const logs: SubmissionLogEvent[] = [];
    const rec = recordingTransport();
    const collect = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (error) {
        texts.push((error as Error).message, describeError(error), JSON.stringify(error), String(error));
      }
    };
    const auth = (tokenUrl: string, kid = sandbox.client!.kid) =>
      new TokenClient({
        tokenUrl,
        apiKey: sandbox.client!.apiKey,
        kid,
        privateKey: sandbox.client!.privateKey,
        transport: rec.transport,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
    const client = (baseUrl: string, tokenUrl: string, kid?: string) =>
      new AdsClient({
        baseUrl,
        auth: auth(tokenUrl, kid),
        rateLimit: false,
        transport: rec.transport,
        clock: instantClock(),
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
        log: (e) => logs.push(e),
      });

    // A good token, then an API that echoes the bearer token and the bundle in its error.
    await collect(client(`${echoUrl}/api`, sandbox.tokenUrl).submit(bundle));
    // A token endpoint that echoes the client assertion.
    await collect(client(sandbox.adsBaseUrl, `${echoUrl}/token`).submit(bundle));
    // Wrong kid, and a token refused by the API.
    await collect(client(sandbox.adsBaseUrl, sandbox.tokenUrl, 'wrong-kid').submit(bundle));
    // Through the outbox: failure reasons are stored.
    const outbox = Outbox.open(':memory:');
    outbox.enqueue(bundle);
    await new OutboxWorker(outbox, client(`${echoUrl}/api`, sandbox.tokenUrl), { clock: instantClock() }).drain();
    texts.push(...outbox.list().map((e) => e.lastError ?? ''));
    // Key loading failures.
    await collect(Promise.resolve().then(() => loadPrivateKey({ pem: sandbox.client!.privateKeyPem.slice(0, 400) })));
    await collect(Promise.resolve().then(() => loadPrivateKey({ env: 'ADS_TEST_NO_SUCH_KEY', environment: {} })));

    // What must never show up.
    const tokens = rec.answers.flatMap((a) => {
      const token = (JSON.parse(a) as { access_token?: string }).access_token;
      return token ? [token] : [];
    });
    const assertions = rec.requests.flatMap((r) => new URLSearchParams(r.body).getAll('client_assertion'));
    const pemLines = sandbox.client!.privateKeyPem.split('\n').filter((l) => l.length > 20);
    expect(tokens.length).toBeGreaterThan(0);
    expect(assertions.length).toBeGreaterThan(0);
    expect(texts.length).toBeGreaterThan(8);

    const everything = [...texts, ...logs.map((l) => JSON.stringify(l)), ...outputs].join('\n');
    expect(everything).toContain('ADS answered 400'); // the server's text is still reported
    for (const secret of [...tokens, ...assertions, ...pemLines, NHS_NUMBER, sandbox.client!.privateKeyPem]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain('PRIVATE KEY');
    outbox.close();
  });
});
