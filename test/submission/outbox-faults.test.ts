/** The outbox over real HTTP while the stand-ins misbehave: every entry ends accepted or failed with a reason. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InjectedAnswer, type RunningSandbox, startSandbox } from '../../src/server/index.js';
import { createTransport } from '../../src/net/index.js';
import { AdsClient, Outbox, OutboxWorker, TokenClient } from '../../src/submission/index.js';
import { instantClock } from './helpers.js';

let sandbox: RunningSandbox;
const faults = new Map<number, InjectedAnswer>();

beforeAll(async () => {
  sandbox = await startSandbox({ ads: { rateLimitPerMinute: false, inject: (n) => faults.get(n) } });
});
afterAll(async () => {
  await sandbox.stop();
});

describe('outbox with failing requests', () => {
  it('loses nothing: transient failures are retried, a 400 fails with its reason', async () => {
    const unavailable = { status: 503, body: { error: 'unavailable' } };
    // Request numbers as the server counts them (one sender, so in order): a 503 retried by the client,
    // a 429 with Retry-After, a 400, and two 503s in a row that exhaust the client and go back to the outbox.
    faults.set(1, unavailable);
    faults.set(3, { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': '1' } });
    faults.set(6, { status: 400, body: { error: 'Bad Request' } });
    faults.set(9, unavailable);
    faults.set(10, unavailable);
    const clock = instantClock();
    const client = new AdsClient({
      baseUrl: sandbox.adsBaseUrl,
      auth: new TokenClient({
        tokenUrl: sandbox.tokenUrl,
        apiKey: sandbox.client!.apiKey,
        kid: sandbox.client!.kid,
        privateKey: sandbox.client!.privateKey,
      }),
      rateLimit: false,
      clock,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5_000 },
    });
    const outbox = Outbox.open(':memory:');
    outbox.enqueueMany(Array.from({ length: 30 }, (_, i) => ({ resourceType: 'Bundle', id: `f${i}`, type: 'message' })));
    const status = await new OutboxWorker(outbox, client, {
      concurrency: 1,
      clock,
      retry: { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 0 },
    }).drain();
    expect(status).toMatchObject({ total: 30, accepted: 29, failed: 1, queued: 0, sending: 0 });
    const [failed] = outbox.list({ states: ['failed'] });
    expect(failed!.lastError).toBe('ADS answered 400 (bad-request)');
    expect(clock.sleeps).toContain(1_000); // the 429's Retry-After
    expect(sandbox.adsServer.store.stats()).toMatchObject({ distinct: 29, duplicates: 0 });
    expect(outbox.list().filter((e) => e.attempts === 2)).toHaveLength(1); // the entry that hit 9 and 10
    outbox.close();
  });

  it('halts with everything queued while the token endpoint hangs or fails, then delivers all', async () => {
    const broken = createServer((req, res) => {
      req.resume();
      if (req.headers['x-mode'] !== 'hang') res.writeHead(500).end('{"error":"unknown_error"}');
    });
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/oauth2/token`;
    const real = createTransport({ service: 'test' });
    const clientVia = (tokenUrl: string, hang: boolean) =>
      new AdsClient({
        baseUrl: sandbox.adsBaseUrl,
        auth: new TokenClient({
          tokenUrl,
          apiKey: sandbox.client!.apiKey,
          kid: sandbox.client!.kid,
          privateKey: sandbox.client!.privateKey,
          timeoutMs: 150,
          retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
          transport: (request) => real.exchange({ ...request, headers: { ...request.headers, 'x-mode': hang ? 'hang' : '' } }),
        }),
        rateLimit: false,
      });
    const outbox = Outbox.open(':memory:');
    outbox.enqueueMany(Array.from({ length: 12 }, (_, i) => ({ resourceType: 'Bundle', id: `t${i}`, type: 'message' })));
    try {
      for (const hang of [true, false]) {
        const worker = new OutboxWorker(outbox, clientVia(brokenUrl, hang), { concurrency: 3 });
        await expect(worker.drain()).rejects.toMatchObject({ code: 'token-unavailable' });
        expect(outbox.status()).toMatchObject({ queued: 12, failed: 0, sending: 0 });
      }
      const status = await new OutboxWorker(outbox, clientVia(sandbox.tokenUrl, false), { concurrency: 3 }).drain();
      expect(status).toMatchObject({ accepted: 12, failed: 0, queued: 0 });
    } finally {
      broken.closeAllConnections();
      await new Promise((r) => broken.close(r));
      outbox.close();
    }
  });
});
