/** The signed-JWT token flow end to end against the token stand-in over loopback HTTP. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox, startTokenServer } from '../../src/server/index.js';
import {
  AdsClient,
  generateSigningKey,
  skewedClock,
  TokenClient,
  type TokenClientOptions,
  TokenError,
} from '../../src/submission/index.js';
import { createTransport, type Exchange } from '../../src/net/index.js';
import { instantClock, recordingTransport } from './helpers.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ ads: { rateLimitPerMinute: false } });
});
afterAll(async () => {
  await sandbox.stop();
});

function tokenClient(overrides: Partial<TokenClientOptions> = {}): TokenClient {
  return new TokenClient({
    tokenUrl: sandbox.tokenUrl,
    apiKey: sandbox.client!.apiKey,
    kid: sandbox.client!.kid,
    privateKey: sandbox.client!.privateKey,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

async function tokenError(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

describe('client assertion and token request', () => {
  it('sends a form-encoded RS512 assertion with the required header and claims', async () => {
    const rec = recordingTransport();
    const client = tokenClient({ transport: rec.transport });
    const token = await client.getToken();
    expect(token.length).toBeGreaterThan(10);
    expect(rec.requests).toHaveLength(1);
    const request = rec.requests[0]!;
    expect(request.url).toBe(sandbox.tokenUrl);
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const jwt = form.get('client_assertion')!;
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS512', typ: 'JWT', kid: sandbox.client!.kid });
    const claims = decodeJwt(jwt);
    expect(claims.iss).toBe(sandbox.client!.apiKey);
    expect(claims.sub).toBe(sandbox.client!.apiKey);
    expect(claims.aud).toBe(sandbox.tokenUrl);
    expect(typeof claims.jti).toBe('string');
    expect(Number.isInteger(claims.exp)).toBe(true);
    expect(claims.exp! - Date.now() / 1000).toBeLessThanOrEqual(300);
    // The platform's answer: expires_in is a string.
    expect(JSON.parse(rec.answers[0]!)).toMatchObject({ token_type: 'Bearer', expires_in: '599' });
  });

  it('uses a fresh jti for every assertion', async () => {
    const client = tokenClient();
    const jtis = new Set<string>();
    for (let i = 0; i < 5; i++) jtis.add(decodeJwt(await client.createAssertion()).jti!);
    expect(jtis.size).toBe(5);
  });

  it('caches the token until shortly before expires_in and shares one request between callers', async () => {
    const rec = recordingTransport();
    let offset = 0;
    const clock = { now: () => Date.now() + offset, sleep: async () => undefined };
    const client = tokenClient({ transport: rec.transport, clock });
    const [a, b] = await Promise.all([client.getToken(), client.getToken()]);
    expect(a).toBe(b);
    expect(await client.getToken()).toBe(a);
    expect(rec.requests).toHaveLength(1);
    offset = 560_000; // 599 s lifetime, 30 s margin: still cached at 560 s
    expect(await client.getToken()).toBe(a);
    expect(rec.requests).toHaveLength(1);
  });

  it('re-mints when the cached token reaches its refresh point', async () => {
    const shortLived = await startTokenServer({
      apps: [{ apiKey: sandbox.client!.apiKey, jwks: sandbox.client!.jwks }],
      expiresInSeconds: 2,
    });
    try {
      const rec = recordingTransport();
      const client = tokenClient({ tokenUrl: shortLived.tokenUrl, transport: rec.transport, refreshMarginSeconds: 1 });
      const first = await client.getToken();
      expect(await client.getToken()).toBe(first);
      await new Promise((r) => setTimeout(r, 1_100));
      const second = await client.getToken();
      expect(second).not.toBe(first);
      expect(rec.requests).toHaveLength(2);
    } finally {
      await shortLived.stop();
    }
  });

  it('re-mints once when the API answers 403 for a revoked token, and once on 401', async () => {
    const auth = tokenClient();
    const client = new AdsClient({ baseUrl: sandbox.adsBaseUrl, auth, rateLimit: false });
    const first = await auth.getToken();
    sandbox.registry.revoke(first);
    const receipt = await client.submit({ resourceType: 'Bundle', id: 'remint-403' });
    expect(receipt.receiptId).toMatch(/[0-9a-f-]{36}/);
    expect(await auth.getToken()).not.toBe(first);
  });
});

describe('token endpoint refusals are typed errors with the platform text', () => {
  it('rejects a reused jti with 400 Non-unique', async () => {
    const client = tokenClient();
    const jwt = await client.createAssertion();
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
    }).toString();
    const post = () =>
      fetch(sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect((await post()).status).toBe(200);
    const again = await post();
    expect(again.status).toBe(400);
    const json = (await again.json()) as Record<string, string>;
    expect(json.error).toBe('invalid_request');
    expect(json.error_description).toBe("Non-unique 'jti' claim in client_assertion JWT");
    expect(typeof json.message_id).toBe('string');
  });

  it('reports an unknown kid as a non-retryable token-rejected error', async () => {
    const error = await tokenError(tokenClient({ kid: 'not-registered' }).getToken());
    expect(error.code).toBe('token-rejected');
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("Invalid 'kid' header in client_assertion JWT - no matching public key");
    // The platform asks users to quote its message_id: it is kept, on the error and in its message.
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(`(message_id ${(error as TokenError).messageId})`);
  });

  it('reports a key the JWKS does not hold as a signature failure', async () => {
    const other = await generateSigningKey(sandbox.client!.kid);
    const error = await tokenError(tokenClient({ privateKey: other.privateKey }).getToken());
    expect(error.status).toBe(401);
    expect(error.serverText).toContain('JWT signature verification failed');
  });

  it('reports a wrong audience', async () => {
    // The assertion names another URL than the one it is posted to.
    const elsewhere = 'https://int.api.service.nhs.uk/oauth2/token';
    const real = createTransport({ service: 'test' });
    const toSandbox: Exchange = (request) => real.exchange({ ...request, url: sandbox.tokenUrl });
    const error = await tokenError(tokenClient({ tokenUrl: elsewhere, transport: toSandbox }).getToken());
    expect(error.status).toBe(401);
    expect(error.message).toContain("Missing or invalid 'aud' claim in client_assertion JWT");
  });

  it('reports an expired assertion (clock far behind) without skew correction', async () => {
    const client = tokenClient({ clock: skewedClock(-10 * 60_000), correctClockSkew: false });
    const error = await tokenError(client.getToken());
    expect(error.status).toBe(400);
    expect(error.message).toContain('JWT has expired');
  });

  it('reports an exp more than 5 minutes ahead (clock 3 minutes fast) without skew correction', async () => {
    const client = tokenClient({ clock: skewedClock(3 * 60_000), correctClockSkew: false });
    const error = await tokenError(client.getToken());
    expect(error.message).toContain('more than 5 minutes in future');
  });

  it('recovers from a clock 3 minutes fast by learning the offset from the server Date header', async () => {
    const rec = recordingTransport();
    const client = tokenClient({ clock: skewedClock(3 * 60_000), transport: rec.transport });
    expect(await client.getToken()).toBeTruthy();
    expect(rec.requests).toHaveLength(2);
    expect(Math.abs(client.clockSkewMs + 180_000)).toBeLessThan(3_000);
  });

  it('works with a clock 3 minutes slow: exp stays inside the window', async () => {
    const rec = recordingTransport();
    const client = tokenClient({ clock: skewedClock(-3 * 60_000), transport: rec.transport });
    expect(await client.getToken()).toBeTruthy();
    expect(rec.requests).toHaveLength(1);
  });
});

describe('an unreliable token endpoint', () => {
  let server: Server;
  let url: string;
  let mode: 'hang' | 'error500' | 'flaky' = 'hang';
  let calls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls++;
      req.resume();
      if (mode === 'hang') return; // never answers
      if (mode === 'error500' || calls % 2 === 1) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"unknown_error"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"abcdefghijkl","expires_in":"599"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('times out a hanging server and gives up after the bounded attempts', async () => {
    mode = 'hang';
    calls = 0;
    const clock = instantClock();
    const error = await tokenError(tokenClient({ tokenUrl: url, timeoutMs: 200, clock }).getToken());
    expect(error.code).toBe('token-unavailable');
    expect(error.message).toMatch(/no complete answer from 127\.0\.0\.1:\d+ within 200 ms/);
    expect(calls).toBe(2);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('retries a 500 and ends with a typed error when it persists', async () => {
    mode = 'error500';
    calls = 0;
    const error = await tokenError(tokenClient({ tokenUrl: url, clock: instantClock() }).getToken());
    expect(error.status).toBe(500);
    expect(error.retryable).toBe(true);
    expect(calls).toBe(2);
  });

  it('gets a token after one 500', async () => {
    mode = 'flaky';
    calls = 0;
    expect(await tokenClient({ tokenUrl: url, clock: instantClock() }).getToken()).toBe('abcdefghijkl');
  });
});
