/** The ADS client against the ADS stand-in and against misbehaving servers, over loopback HTTP. */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InjectedAnswer, type RunningSandbox, startSandbox } from '../../src/server/index.js';
import {
  type AccessTokenProvider,
  AdsClient,
  AdsHttpError,
  CORRELATION_HEADER,
  describeError,
  NetworkError,
  REQUEST_ID_HEADER,
  ResponseTooLargeError,
  SubmissionError,
  TimeoutError,
  TokenClient,
} from '../../src/submission/index.js';
import { instantClock, recordingTransport } from './helpers.js';

let sandbox: RunningSandbox;
let injectNext: InjectedAnswer[] = [];
let auth: TokenClient;
const bundle = { resourceType: 'Bundle', id: 'client-test', type: 'message', entry: [] };

beforeAll(async () => {
  sandbox = await startSandbox({ ads: { rateLimitPerMinute: false, inject: () => injectNext.shift() } });
  auth = new TokenClient({
    tokenUrl: sandbox.tokenUrl,
    apiKey: sandbox.client!.apiKey,
    kid: sandbox.client!.kid,
    privateKey: sandbox.client!.privateKey,
  });
});
afterAll(async () => {
  await sandbox.stop();
});

function client(extra: Partial<ConstructorParameters<typeof AdsClient>[0]> = {}) {
  return new AdsClient({
    baseUrl: sandbox.adsBaseUrl,
    auth,
    rateLimit: false,
    clock: instantClock(),
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 10_000 },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<SubmissionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SubmissionError);
  return error as SubmissionError;
}

describe('submitting to the stand-in', () => {
  it('posts FHIR JSON with a correlation id and returns the receipt', async () => {
    const rec = recordingTransport();
    const receipt = await client({ transport: rec.transport }).submit(bundle, { correlationId: 'corr-1' });
    const request = rec.requests.at(-1)!;
    expect(request.url).toBe(`${sandbox.adsBaseUrl}/$process-message`);
    expect(request.headers.get('content-type')).toBe('application/fhir+json');
    expect(request.headers.get(CORRELATION_HEADER)).toBe('corr-1');
    expect(request.headers.get(REQUEST_ID_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
    expect(request.headers.get('authorization')).toMatch(/^Bearer /);
    expect(receipt.correlationId).toBe('corr-1');
    expect(sandbox.adsServer.store.body(receipt.receiptId)).toBe(JSON.stringify(bundle));
  });

  it('uses the legacy /submission path when configured', async () => {
    const rec = recordingTransport();
    const receipt = await client({ transport: rec.transport, path: 'submission' }).submit(bundle);
    expect(rec.requests.at(-1)!.url).toBe(`${sandbox.adsBaseUrl}/submission`);
    expect(sandbox.adsServer.store.list().find((r) => r.receiptId === receipt.receiptId)?.path).toBe('/submission');
  });

  it('accepts the older `id` receipt field', async () => {
    injectNext = [{ status: 200, body: { id: 'older-receipt-id' } }];
    expect((await client().submit(bundle)).receiptId).toBe('older-receipt-id');
  });

  it('re-mints once on 401 (expired token) and succeeds', async () => {
    let first = true;
    const expiring: AccessTokenProvider = {
      getToken: async () => {
        if (!first) return auth.getToken();
        first = false;
        return sandbox.registry.issue(sandbox.client!.apiKey, 0); // already expired: the API answers 401
      },
      invalidate: () => undefined,
    };
    const rec = recordingTransport();
    const receipt = await client({ auth: expiring, transport: rec.transport }).submit(bundle);
    expect(receipt.receiptId).toBeTruthy();
    expect(rec.answers[0]).toBe('{"error":"invalid/missing access token"}');
  });

  it('gives up after one re-mint when the API keeps refusing the token', async () => {
    const bogus: AccessTokenProvider = { getToken: async () => 'never-issued-token', invalidate: () => undefined };
    const error = await failure(client({ auth: bogus }).submit(bundle));
    expect(error).toBeInstanceOf(AdsHttpError);
    expect(error.code).toBe('forbidden');
    expect(error.serverText).toBe('invalid access token');
  });

  it('answers 401 without a token, 404 off the API and 405 for GET, with the published bodies', async () => {
    const noAuth = await failure(client({ auth: undefined }).submit(bundle));
    expect(noAuth.status).toBe(401);
    expect(noAuth.serverText).toBe('invalid/missing access token');
    const notFound = await failure(client({ baseUrl: `${sandbox.adsBaseUrl}/nothing-here` }).submit(bundle));
    expect(notFound.code).toBe('not-found');
    expect(notFound.serverText).toBe('Server Not Found');
    const get = await fetch(`${sandbox.adsBaseUrl}/$process-message`);
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual({ error: 'Request method must be POST, not GET' });
  });

  it.each([
    [400, 'bad-request'],
    [405, 'method-not-allowed'],
    [413, 'payload-too-large'],
    [418, 'unexpected-status'],
  ] as const)('maps %i to a non-retryable %s error, the server text kept off the message', async (status, code) => {
    injectNext = [{ status, body: { error: `server text ${status}` } }];
    const error = await failure(client().submit(bundle));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.serverText).toBe(`server text ${status}`);
    expect(error.message).toBe(`ADS answered ${status} (${code})`);
    // Not an own enumerable property: logging the error object whole does not print it.
    expect(Object.keys(error)).not.toContain('serverText');
    expect(describeError(error)).not.toContain('server text');
  });

  it("shows an OperationOutcome's issue codes and FHIRPaths, never its free text (which can quote the bundle)", async () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'invalid', expression: ['Bundle.entry[2].resource.name[0]'], diagnostics: 'name "Jane Doe" born 1961-04-02 at 1 High Street' },
        { severity: 'error', code: 'required', details: { coding: [{ code: 'ADS-0042' }], text: 'postcode LS1 4AP missing' }, expression: ['Bundle.entry[2].resource.address[0]'] },
      ],
    };
    injectNext = [{ status: 400, body: outcome }];
    const error = await failure(client().submit(bundle));
    expect(error.message).toBe(
      'ADS answered 400 (bad-request): 2 issues: error invalid @ Bundle.entry[2].resource.name[0]; error required [ADS-0042] @ Bundle.entry[2].resource.address[0]',
    );
    for (const text of ['Jane Doe', '1961-04-02', 'High Street', 'LS1 4AP']) expect(describeError(error)).not.toContain(text);
  });

  it('retries 429 honouring Retry-After in seconds and as an HTTP date', async () => {
    const clock = instantClock();
    const inFive = new Date(Date.now() + 5_000).toUTCString();
    injectNext = [
      { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': '7' } },
      { status: 429, body: { error: 'rate limit exceeded' }, headers: { 'retry-after': inFive } },
    ];
    const receipt = await client({ clock }).submit(bundle);
    expect(receipt.attempts).toBe(3);
    expect(clock.sleeps[0]).toBe(7_000);
    expect(clock.sleeps[1]).toBeGreaterThan(2_000);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(5_000);
  });

  it('retries 5xx with growing jittered backoff, and ends with a typed error', async () => {
    const clock = instantClock();
    injectNext = [{ status: 503 }, { status: 502 }, { status: 500 }];
    const error = await failure(client({ clock, random: () => 0.5 }).submit(bundle));
    expect(error.code).toBe('server-error');
    expect(error.retryable).toBe(true);
    expect(clock.sleeps).toEqual([75, 150]);
  });

  it('enforces the 429 limit on the stand-in per application', async () => {
    const limited = await startSandbox({ ads: { rateLimitPerMinute: 2 } });
    try {
      const c = new AdsClient({
        baseUrl: limited.adsBaseUrl,
        auth: new TokenClient({
          tokenUrl: limited.tokenUrl,
          apiKey: limited.client!.apiKey,
          kid: limited.client!.kid,
          privateKey: limited.client!.privateKey,
        }),
        rateLimit: false,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      await c.submit(bundle);
      await c.submit(bundle);
      const error = await failure(c.submit(bundle));
      expect(error.status).toBe(429);
      expect(error.retryAfterMs).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});

describe('misbehaving servers', () => {
  let server: Server;
  let base: string;
  let behaviour: (res: ServerResponse, call: number) => void = () => undefined;
  let calls = 0;
  let bytesWritten = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls++;
      req.resume();
      req.on('end', () => behaviour(res, calls));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const plain = (extra: Partial<ConstructorParameters<typeof AdsClient>[0]> = {}) =>
    new AdsClient({ baseUrl: base, rateLimit: false, clock: instantClock(), retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, ...extra });

  it('retries after a connection reset mid-body and then succeeds', async () => {
    calls = 0;
    behaviour = (res, call) => {
      if (call === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('{"message":"part');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"after-reset"}');
    };
    const receipt = await plain().submit(bundle);
    expect(receipt).toMatchObject({ receiptId: 'after-reset', attempts: 2 });
  });

  it('ends a persistent reset with a typed network error', async () => {
    behaviour = (res) => res.socket?.destroy();
    const error = await failure(plain().submit(bundle));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.retryable).toBe(true);
  });

  it('times out a server that never answers', async () => {
    behaviour = () => undefined;
    const error = await failure(plain({ timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).submit(bundle));
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('refuses a declared 2 GB answer without reading it', async () => {
    bytesWritten = 0;
    behaviour = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 ** 3) });
      const chunk = Buffer.alloc(64 * 1024, 32);
      const pump = () => {
        while (!res.destroyed && bytesWritten < 2 * 1024 **3) {
          bytesWritten += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
      };
      pump();
    };
    const error = await failure(plain().submit(bundle));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.retryable).toBe(false);
  });

  it('stops reading an undeclared endless answer at the cap', async () => {
    bytesWritten = 0;
    behaviour = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked, no length
      const chunk = Buffer.alloc(64 * 1024, 32);
      const pump = () => {
        while (!res.destroyed && bytesWritten < 2 * 1024 ** 3) {
          bytesWritten += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
      };
      res.on('close', () => undefined);
      pump();
    };
    const error = await failure(plain({ maxResponseBytes: 256 * 1024 }).submit(bundle));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toContain('262144-byte limit');
    await new Promise((r) => setTimeout(r, 50));
    expect(bytesWritten).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a redirect to another origin: the bundle is not re-posted there and no receipt is taken from it', async () => {
    const stolen: string[] = [];
    const elsewhere = createServer((req, res) => {
      req.on('data', (d: Buffer) => stolen.push(d.toString()));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"receipt-from-elsewhere"}'));
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    try {
      calls = 0;
      behaviour = (res) => res.writeHead(307, { location: `${target}/ambulance-data-submission/$process-message` }).end();
      const error = await failure(plain().submit(bundle));
      expect(error).toBeInstanceOf(AdsHttpError);
      expect(error).toMatchObject({ code: 'redirect', status: 307, retryable: false });
      expect(error.message).toContain(target);
      expect(error.message).not.toContain('$process-message');
      expect(calls).toBe(1);
      expect(stolen).toEqual([]);
    } finally {
      elsewhere.closeAllConnections();
      await new Promise((r) => elsewhere.close(r));
    }
  });

  it('reports a 200 without a receipt as a bad response', async () => {
    behaviour = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    const error = await failure(plain().submit(bundle));
    expect(error.code).toBe('bad-response');
  });
});
