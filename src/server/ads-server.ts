/**
 * Stand-in for the Ambulance Data Submission API: `POST {base}/$process-message` and the legacy
 * `POST {base}/submission`. It checks bearer tokens issued by the token stand-in, answers 401/403/404/405
 * with the published bodies and 429 over the per-application rate limit, stores every bundle in SQLite
 * and answers `{"message": "<receipt id>"}`. Like the real API it does not reject invalid bundles; an
 * injected validator's verdict goes to the `onReceived` hook (which posts MESH error notifications).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AdsStore } from './ads-store.js';
import type { TokenRegistry } from './token-registry.js';

/** A validator's verdict on a received bundle. */
export interface BundleVerdict {
  valid: boolean;
  issues: unknown;
}

/** What `onReceived` learns about each accepted submission. */
export interface ReceivedInfo {
  receiptId: string;
  correlationId: string | undefined;
  apiKey: string | undefined;
  verdict: BundleVerdict | undefined;
}

/** A canned answer a test injects in place of the normal handling (to simulate outages). */
export interface InjectedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Settings of the ADS stand-in. */
export interface AdsServerOptions {
  /** Tokens to accept; omit for open access like the public sandbox. */
  registry?: TokenRegistry;
  /** Path prefix (default `/ambulance-data-submission`). */
  basePath?: string;
  /** Requests per minute per application before 429 (default 300); `false` for no limit. */
  rateLimitPerMinute?: number | false;
  /** Largest accepted body in bytes (default 10 MiB, an assumption: the real limit is unpublished). */
  bodyLimit?: number;
  /** Checks each bundle; the verdict is stored and passed to `onReceived`. */
  validate?: (bundle: unknown) => BundleVerdict;
  /** Called after a bundle was stored and before the receipt is answered. */
  onReceived?: (bundle: unknown, receiptId: string, info: ReceivedInfo) => void;
  /** Called for every submission request first; a returned answer replaces the normal handling. */
  inject?: (requestNumber: number) => InjectedAnswer | undefined;
  /** SQLite path for the store (default in memory). */
  storePath?: string;
  now?: () => number;
  port?: number;
  host?: string;
}

/** A running ADS stand-in. */
export interface RunningAdsServer {
  /** `http://127.0.0.1:{port}{basePath}`: the client's base URL. */
  baseUrl: string;
  store: AdsStore;
  app: FastifyInstance;
  stop(): Promise<void>;
}

/** Starts the ADS stand-in on loopback. */
export async function startAdsServer(options: AdsServerOptions = {}): Promise<RunningAdsServer> {
  const basePath = (options.basePath ?? '/ambulance-data-submission').replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const store = new AdsStore(options.storePath);
  const limiter = options.rateLimitPerMinute === false ? undefined : new FixedWindow(options.rateLimitPerMinute ?? 300, now);
  let requestNumber = 0;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024 });

  app.removeAllContentTypeParsers();
  // The body is kept as text: stored as sent, parsed here once.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error: { statusCode?: number }, _req, reply) => {
    if (error.statusCode === 413) return reply.code(413).send({ error: 'Payload Too Large' });
    return reply.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 500).send({ error: 'Internal Server Error' });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'Server Not Found' }));

  for (const path of ['/$process-message', '/submission']) {
    app.post(`${basePath}${path}`, (req, reply) => handleSubmission(req, reply, path));
    app.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH'],
      url: `${basePath}${path}`,
      handler: async (req, reply) => reply.code(405).send({ error: `Request method must be POST, not ${req.method}` }),
    });
  }
  app.get(`${basePath}/_ping`, async () => ({ version: 'stand-in', revision: 'stand-in', releaseId: 'stand-in', commitId: 'stand-in' }));

  async function handleSubmission(req: FastifyRequest, reply: FastifyReply, path: string): Promise<FastifyReply> {
    requestNumber++;
    const injected = options.inject?.(requestNumber);
    if (injected) return reply.code(injected.status).headers(injected.headers ?? {}).send(injected.body ?? '');

    let apiKey: string | undefined;
    if (options.registry) {
      const match = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
      if (!match) return reply.code(401).send({ error: 'invalid/missing access token' });
      const checked = options.registry.check(match[1]!);
      if (checked.state !== 'valid') {
        // An expired token is the platform's InvalidAccessToken (401); an unknown one its 403.
        return checked.state === 'expired'
          ? reply.code(401).send({ error: 'invalid/missing access token' })
          : reply.code(403).send({ error: 'invalid access token' });
      }
      apiKey = checked.apiKey;
    }
    if (limiter) {
      const waitMs = limiter.take(apiKey ?? 'open-access');
      if (waitMs > 0) {
        return reply
          .code(429)
          .header('retry-after', String(Math.ceil(waitMs / 1000)))
          .send({ error: 'rate limit exceeded' });
      }
    }
    const text = typeof req.body === 'string' ? req.body : '';
    let bundle: unknown;
    try {
      bundle = JSON.parse(text);
    } catch {
      return reply.code(400).send({ error: 'request body is not valid JSON' });
    }
    const receiptId = randomUUID();
    const correlationId = headerValue(req.headers['x-correlation-id']);
    const bundleId = typeof (bundle as { id?: unknown } | null)?.id === 'string' ? (bundle as { id: string }).id : undefined;
    const verdict = options.validate?.(bundle);
    store.add({
      receiptId,
      correlationId,
      bundleId,
      apiKey,
      path,
      body: text,
      valid: verdict?.valid,
      issues: verdict?.issues,
      receivedAt: now(),
    });
    options.onReceived?.(bundle, receiptId, { receiptId, correlationId, apiKey, verdict });
    return reply.code(200).send({ message: receiptId });
  }

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return {
    baseUrl: `${address.replace('://localhost', '://127.0.0.1')}${basePath}`,
    store,
    app,
    stop: async () => {
      await app.close();
      store.close();
    },
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The platform's per-application quota: a count per calendar minute window. */
class FixedWindow {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** 0 when the request may pass, else ms until the window resets. */
  take(key: string): number {
    const t = this.now();
    let window = this.windows.get(key);
    if (!window || t - window.start >= 60_000) {
      window = { start: t, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.perMinute) return window.start + 60_000 - t;
    window.count++;
    return 0;
  }
}
