/**
 * Stand-in for the NHS API Platform token endpoint (`POST /oauth2/token`), signed-JWT client credentials.
 * It checks what the platform checks (alg RS512, typ JWT, kid known, iss = sub, aud exact, exp not past
 * and at most 5 min + 10 s ahead, jti never reused) and answers with the platform's exact error bodies.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import { TokenRegistry } from './token-registry.js';

/** An application registered with the stand-in: its API key and its public keys. */
export interface RegisteredApp {
  apiKey: string;
  jwks: JSONWebKeySet;
}

/** Settings of the token stand-in. */
export interface TokenServerOptions {
  apps: RegisteredApp[];
  /** Shared with the ADS stand-in so it can check the tokens issued here. */
  registry?: TokenRegistry;
  /** `expires_in` of issued tokens, in seconds (default 599, sent as a string like the platform). */
  expiresInSeconds?: number;
  /** The exact `aud` expected; default `http://127.0.0.1:{port}/oauth2/token` once listening. */
  audience?: string;
  /** Server clock in ms (tests skew it). */
  now?: () => number;
  /** Port (default 0: ephemeral). */
  port?: number;
  host?: string;
}

/** A running token stand-in. */
export interface RunningTokenServer {
  /** The token URL: the `aud` clients must use. */
  tokenUrl: string;
  registry: TokenRegistry;
  app: FastifyInstance;
  stop(): Promise<void>;
}

type TokenFailure = { status: number; error: string; description: string };

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_FUTURE_SECONDS = 310; // 5 minutes plus the platform's 10-second allowance
const JTI_TTL_MS = 30 * 24 * 3600 * 1000; // the platform remembers a jti for 30 days

const fail = (status: number, error: string, description: string): TokenFailure => ({ status, error, description });
const invalid = (status: number, description: string) => fail(status, 'invalid_request', description);

/** Starts the token stand-in on loopback. */
export async function startTokenServer(options: TokenServerOptions): Promise<RunningTokenServer> {
  const now = options.now ?? Date.now;
  const registry = options.registry ?? new TokenRegistry(now);
  const seenJti = new Map<string, number>();
  const app = Fastify({ logger: false });
  let audience = options.audience ?? '';

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  // Anything else is read as text so the handler can answer 415 like the platform.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, _body, done) => done(null, undefined));

  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/oauth2/token',
    handler: async (_req, reply) => reply.code(405).header('allow', 'POST').type('text/plain').send(''),
  });

  app.post('/oauth2/token', async (req, reply) => {
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded') {
      return sendFailure(reply, invalid(415, 'Content-Type header must be application/x-www-form-urlencoded'));
    }
    const form = (req.body ?? {}) as Record<string, string>;
    const failure = await checkRequest(form);
    if (failure) return sendFailure(reply, failure);
    const claims = decodeJwt(form.client_assertion!);
    const lifetime = options.expiresInSeconds ?? 599;
    const token = registry.issue(claims.iss!, lifetime);
    return reply.code(200).send({
      access_token: token,
      expires_in: String(lifetime),
      token_type: 'Bearer',
      issued_at: String(now()),
    });
  });

  async function checkRequest(form: Record<string, string>): Promise<TokenFailure | undefined> {
    if (form.grant_type === undefined) return invalid(400, 'grant_type is missing');
    if (form.grant_type !== 'client_credentials') return fail(400, 'unsupported_grant_type', 'grant_type is invalid');
    if (form.client_assertion_type !== ASSERTION_TYPE) {
      return invalid(400, "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'");
    }
    const jwt = form.client_assertion;
    if (!jwt) return invalid(400, 'Missing client_assertion');
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(jwt);
      claims = decodeJwt(jwt);
    } catch {
      return invalid(400, 'Malformed JWT in client_assertion');
    }
    const claimFailure = checkHeaderAndClaims(header, claims);
    if (claimFailure) return claimFailure;

    const registered = options.apps.find((a) => a.apiKey === claims.iss);
    if (!registered) return invalid(401, "Invalid 'iss'/'sub' claims in client_assertion JWT");
    if (!registered.jwks.keys.some((k) => k.kid === header.kid)) {
      return invalid(401, "Invalid 'kid' header in client_assertion JWT - no matching public key");
    }
    if (claims.aud !== audience) return invalid(401, "Missing or invalid 'aud' claim in client_assertion JWT");
    try {
      await jwtVerify(jwt, createLocalJWKSet(registered.jwks), {
        algorithms: ['RS512'],
        audience,
        clockTolerance: 10,
        currentDate: new Date(now()),
      });
    } catch {
      return fail(401, 'public_key error', 'JWT signature verification failed');
    }
    // The jti is remembered only once the assertion proved genuine, per sub like the platform.
    const jtiKey = `${claims.sub}\u0000${claims.jti}`;
    const seenAt = seenJti.get(jtiKey);
    if (seenAt !== undefined && now() - seenAt < JTI_TTL_MS) return invalid(400, "Non-unique 'jti' claim in client_assertion JWT");
    seenJti.set(jtiKey, now());
    return undefined;
  }

  function checkHeaderAndClaims(header: ReturnType<typeof decodeProtectedHeader>, claims: JWTPayload): TokenFailure | undefined {
    if (header.alg !== 'RS512') {
      return invalid(400, "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'");
    }
    if (header.kid === undefined || header.kid === '') return invalid(400, "Missing 'kid' header in client_assertion JWT");
    if (typeof header.typ !== 'string' || header.typ.toLowerCase() !== 'jwt') {
      return invalid(400, "Invalid 'typ' header in client_assertion JWT - must be 'JWT'");
    }
    if (!claims.iss || !claims.sub || claims.iss !== claims.sub) {
      return invalid(400, "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT");
    }
    if (claims.jti === undefined) return invalid(400, "Missing 'jti' claim in client_assertion JWT");
    if (typeof claims.jti !== 'string' || claims.jti.length === 0) {
      return invalid(400, "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID");
    }
    if (claims.exp === undefined) return invalid(400, "Missing 'exp' claim in client_assertion JWT");
    if (typeof claims.exp !== 'number' || !Number.isInteger(claims.exp)) {
      return invalid(400, "Invalid 'exp' claim in client_assertion JWT - must be an integer");
    }
    if (now() > claims.exp * 1000) return invalid(400, "Invalid 'exp' claim in client_assertion JWT - JWT has expired");
    if (claims.exp - now() / 1000 > MAX_FUTURE_SECONDS) {
      return invalid(400, "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future");
    }
    return undefined;
  }

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const base = address.replace('://localhost', '://127.0.0.1');
  if (!audience) audience = `${base}/oauth2/token`;
  return {
    tokenUrl: audience,
    registry,
    app,
    stop: () => app.close(),
  };
}

function sendFailure(reply: FastifyReply, failure: TokenFailure): FastifyReply {
  return reply.code(failure.status).send({
    error: failure.error,
    error_description: failure.description,
    message_id: randomUUID(),
  });
}
