import { randomUUID } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, type GeneratedSigningKey } from '../submission/keys.js';
import { type RunningTokenServer, startTokenServer } from './token-server.js';

const API_KEY = 'test-api-key';
let key: GeneratedSigningKey;
let server: RunningTokenServer;

beforeAll(async () => {
  key = await generateSigningKey('kid-1');
  server = await startTokenServer({ apps: [{ apiKey: API_KEY, jwks: key.jwks }] });
});
afterAll(async () => {
  await server.stop();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function assertion(
  header: Record<string, unknown> = {},
  claims: JWTPayload = {},
  signWith: GeneratedSigningKey['privateKey'] = key.privateKey,
): Promise<string> {
  return new SignJWT({ iss: API_KEY, sub: API_KEY, aud: server.tokenUrl, jti: randomUUID(), exp: nowSeconds() + 120, ...claims })
    .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'kid-1', ...header } as { alg: string })
    .sign(signWith);
}

async function post(form: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const response = await fetch(server.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, string>) : {} };
}

const grant = async (jwt: string | Promise<string>) =>
  post({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await jwt,
  });

describe('token stand-in', () => {
  it('issues an opaque token with expires_in as the string "599"', async () => {
    const { status, body } = await grant(assertion());
    expect(status).toBe(200);
    expect(body).toMatchObject({ expires_in: '599', token_type: 'Bearer' });
    expect(body.access_token!.split('.')).toHaveLength(1);
    expect(server.registry.check(body.access_token!)).toEqual({ state: 'valid', apiKey: API_KEY });
  });

  it.each([
    ['typ lower case is accepted', { typ: 'jwt' }, {}, 200, undefined],
    ['wrong typ', { typ: 'JWS' }, {}, 400, "Invalid 'typ' header in client_assertion JWT - must be 'JWT'"],
    ['missing kid', { kid: undefined }, {}, 400, "Missing 'kid' header in client_assertion JWT"],
    ['unknown kid', { kid: 'other' }, {}, 401, "Invalid 'kid' header in client_assertion JWT - no matching public key"],
    ['iss differs from sub', {}, { sub: 'someone-else' }, 400, "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT"],
    ['unknown application', {}, { iss: 'nobody', sub: 'nobody' }, 401, "Invalid 'iss'/'sub' claims in client_assertion JWT"],
    ['missing jti', {}, { jti: undefined }, 400, "Missing 'jti' claim in client_assertion JWT"],
    ['numeric jti', {}, { jti: 42 as unknown as string }, 400, "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID"],
    ['wrong aud', {}, { aud: 'https://example.org/oauth2/token' }, 401, "Missing or invalid 'aud' claim in client_assertion JWT"],
    ['missing exp', {}, { exp: undefined }, 400, "Missing 'exp' claim in client_assertion JWT"],
    ['fractional exp', {}, 'exp+60.5', 400, "Invalid 'exp' claim in client_assertion JWT - must be an integer"],
    ['expired', {}, 'exp-1', 400, "Invalid 'exp' claim in client_assertion JWT - JWT has expired"],
    ['exp 311 s ahead', {}, 'exp+312', 400, "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future"],
    ['exp 305 s ahead is inside the 10 s allowance', {}, 'exp+305', 200, undefined],
  ] as const)('%s', async (_name, header, claims, status, description) => {
    // Times are computed when the case runs, not when the table is built.
    const resolved = typeof claims === 'string' ? { exp: nowSeconds() + Number(claims.slice(3)) } : claims;
    const { status: got, body } = await grant(assertion(header, resolved as JWTPayload));
    expect(got).toBe(status);
    if (description) {
      expect(body.error_description).toBe(description);
      expect(body.error).toBe('invalid_request');
      expect(body.message_id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('rejects a non-RS512 algorithm', async () => {
    const jwt = await new SignJWT({ iss: API_KEY, sub: API_KEY, aud: server.tokenUrl, jti: randomUUID(), exp: nowSeconds() + 60 })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'kid-1' })
      .sign(key.privateKey);
    const { status, body } = await grant(jwt);
    expect(status).toBe(400);
    expect(body.error_description).toBe("Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'");
  });

  it('rejects a signature from another key as a public_key error', async () => {
    const other = await generateSigningKey('kid-1');
    const { status, body } = await grant(assertion({}, {}, other.privateKey));
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'public_key error', error_description: 'JWT signature verification failed' });
  });

  it('rejects a reused jti', async () => {
    const jwt = await assertion();
    expect((await grant(jwt)).status).toBe(200);
    const again = await grant(jwt);
    expect(again.status).toBe(400);
    expect(again.body.error_description).toBe("Non-unique 'jti' claim in client_assertion JWT");
  });

  it('checks the form: grant type, assertion type, assertion, content type, method', async () => {
    const jwt = await assertion();
    expect((await post({ client_assertion: jwt })).body.error_description).toBe('grant_type is missing');
    expect((await post({ grant_type: 'password' })).body).toMatchObject({
      error: 'unsupported_grant_type',
      error_description: 'grant_type is invalid',
    });
    expect((await post({ grant_type: 'client_credentials', client_assertion: jwt })).body.error_description).toContain(
      'Missing or invalid client_assertion_type',
    );
    const missing = await post({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    expect(missing.body.error_description).toBe('Missing client_assertion');
    expect((await grant('not.a.jwt')).body.error_description).toBe('Malformed JWT in client_assertion');
    const json = await post({ grant_type: 'client_credentials' }, 'application/json');
    expect(json.status).toBe(415);
    expect(json.body.error_description).toBe('Content-Type header must be application/x-www-form-urlencoded');
    const get = await fetch(server.tokenUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
