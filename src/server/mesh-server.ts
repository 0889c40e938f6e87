/**
 * The MESH stand-in: a local server that speaks the MESH API (versions 1 and 2) for tests and the sandbox,
 * with controls to deliver messages, inject faults and expire messages. Routes: mesh-routes.ts; wire formats:
 * mesh-wire.ts; state: mesh-store.ts.
 */
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { MeshAuthVerifier } from './mesh-auth-verifier.js';
import { registerMeshRoutes } from './mesh-routes.js';
import { MeshStore, type NewReport, type StoredChunk, type StoredMessage } from './mesh-store.js';
import { errorBody, optionalMessageFields } from './mesh-wire.js';

export type { NewReport as MeshReportInput, StoredMessage as MeshStoredMessage, StoredChunk as MeshStoredChunk, StoredMessageStatus as MeshStoredMessageStatus } from './mesh-store.js';

/** A mailbox the stand-in knows, with its password. */
export interface MeshStandInMailbox {
  mailboxId: string;
  password: string;
}

/** Optional workflow permissions; when omitted every workflow is allowed between known mailboxes. */
export interface MeshStandInWorkflow {
  workflowId: string;
  senders: string[];
  receivers: string[];
}

/** TLS for the stand-in; `requestCert` makes it demand a client certificate signed by `ca`. */
export interface MeshStandInTls {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer;
  requestCert?: boolean;
}

/** Settings of the MESH stand-in. */
export interface MeshServerOptions {
  mailboxes: MeshStandInMailbox[];
  sharedKey: string;
  workflows?: MeshStandInWorkflow[];
  /** Token timestamp tolerance; default 2 hours, as MESH. */
  clockWindowMs?: number;
  /** Time a delivered message waits for acknowledgement; default 5 days. */
  expiryMs?: number;
  /** Largest request body; default 100 MiB. */
  bodyLimit?: number;
  now?: () => number;
  host?: string;
  port?: number;
  tls?: MeshStandInTls;
}

/** A canned failure answered before auth, to exercise client retries. */
export interface MeshFault {
  method: string;
  path: RegExp;
  status: number;
  /** How many matching requests fail; default 1. */
  times?: number;
  headers?: Record<string, string>;
}

/** One handled request, for assertions (no headers, no bodies). */
export interface MeshRequestRecord {
  method: string;
  path: string;
  status: number;
}

/** The running stand-in and its programmatic controls. */
export interface MeshStandIn {
  url: string;
  port: number;
  app: FastifyInstance;
  /** Requests in arrival order (the latest 50 000). */
  requests: MeshRequestRecord[];
  close(): Promise<void>;
  /**
   * Delivers a message straight into a mailbox's inbox, as another MESH user would. Headers use
   * MESH names (`mex-From`, `mex-WorkflowID`, `mex-Subject`, `mex-LocalID`, ...), any case.
   * Returns the new message id.
   */
  postMessage(
    toMailbox: string,
    body: Buffer | string,
    headers?: Record<string, string>,
    options?: { chunkSizeBytes?: number; gzip?: boolean },
  ): string;
  /** Injects a REPORT message (as the reference sandbox's admin endpoint). */
  postReport(report: NewReport): string;
  /** Makes the next matching requests fail with the given status. */
  injectFault(fault: MeshFault): void;
  /** Drops every pending fault. */
  clearFaults(): void;
  /** Removes a stored chunk so downloads of it return 404. */
  dropChunk(messageId: string, chunk: number): void;
  /** Expires a delivered message now: 410 for the recipient, a code-14 REPORT for the sender. */
  expireMessage(messageId: string): void;
  /** Ids waiting in a mailbox's inbox. */
  inboxIds(mailboxId: string): string[];
  message(messageId: string): StoredMessage | undefined;
}

const MAX_REQUEST_LOG = 50_000;

/** Builds the MESH stand-in (not listening). Use {@link startMeshServer} to run it. */
export function createMeshServer(options: MeshServerOptions): { app: FastifyInstance; controls: Omit<MeshStandIn, 'url' | 'port' | 'app' | 'close'> } {
  const now = options.now ?? Date.now;
  const passwords = new Map(options.mailboxes.map((m) => [m.mailboxId.toUpperCase(), m.password]));
  const verifier = new MeshAuthVerifier({
    passwords,
    sharedKey: options.sharedKey,
    clockWindowMs: options.clockWindowMs ?? 2 * 60 * 60 * 1000,
    now,
  });
  const store = new MeshStore(now, options.expiryMs ?? 5 * 24 * 60 * 60 * 1000);
  const faults: Array<MeshFault & { remaining: number }> = [];
  const requests: MeshRequestRecord[] = [];

  const app = Fastify({
    logger: false,
    // HEAD on a message is its own route (headers only), so do not derive HEAD from every GET.
    exposeHeadRoutes: false,
    bodyLimit: options.bodyLimit ?? 100 * 1024 * 1024,
    ...(options.tls
      ? {
          https: {
            key: options.tls.key,
            cert: options.tls.cert,
            ...(options.tls.ca !== undefined ? { ca: options.tls.ca } : {}),
            requestCert: options.tls.requestCert ?? false,
            rejectUnauthorized: true,
          },
        }
      : {}),
  }) as unknown as FastifyInstance;

  // MESH bodies are opaque bytes whatever their Content-Type; nothing is parsed or decompressed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    store.sweepExpired();
    const fault = faults.find((f) => f.remaining > 0 && f.method === request.method && f.path.test(request.url.split('?')[0]!));
    if (fault) {
      fault.remaining -= 1;
      reply.code(fault.status).headers(fault.headers ?? {}).send(errorBody(1, 'Injected fault'));
      return reply;
    }
    return undefined;
  });
  app.addHook('onResponse', async (request, reply) => {
    requests.push({ method: request.method, path: request.url.split('?')[0]!, status: reply.statusCode });
    // Bounded so long load runs do not grow memory without limit.
    if (requests.length > MAX_REQUEST_LOG) requests.splice(0, requests.length - MAX_REQUEST_LOG);
  });

  registerMeshRoutes(app, { store, verifier, mailboxes: new Set(passwords.keys()), workflows: options.workflows });

  const controls: Omit<MeshStandIn, 'url' | 'port' | 'app' | 'close'> = {
    requests,
    postMessage(toMailbox, body, headers = {}, opts = {}) {
      const to = toMailbox.toUpperCase();
      if (!passwords.has(to)) throw new Error(`MESH stand-in: unknown mailbox ${to}`);
      const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const size = opts.chunkSizeBytes ?? Math.max(1, data.length);
      const parts: Buffer[] = [];
      for (let o = 0; o < data.length; o += size) parts.push(data.subarray(o, o + size));
      if (parts.length === 0) parts.push(Buffer.alloc(0));
      const chunks = parts.map((p): StoredChunk => (opts.gzip ? { data: gzipSync(p), gzip: true } : { data: p, gzip: false }));
      const pick = (name: string) => (h[name] !== undefined && h[name] !== '' ? h[name] : undefined);
      const message = store.create(
        {
          from: (pick('mex-from') ?? 'STANDIN').toUpperCase(),
          to,
          workflowId: pick('mex-workflowid') ?? 'ADS_FHIR_NOTIFICATION',
          totalChunks: chunks.length,
          ...optionalMessageFields(pick),
        },
        chunks[0],
      );
      chunks.slice(1).forEach((c, i) => store.addChunk(message, i + 2, c));
      return message.id;
    },
    postReport(report) {
      return store.report(report).id;
    },
    injectFault(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    dropChunk(messageId, chunk) {
      const message = store.get(messageId);
      if (message && chunk >= 1 && chunk <= message.totalChunks) message.chunks[chunk - 1] = undefined;
    },
    expireMessage(messageId) {
      const message = store.get(messageId);
      if (message && message.status === 'accepted') store.expire(message);
    },
    inboxIds(mailboxId) {
      return store.inbox(mailboxId.toUpperCase()).map((m) => m.id);
    },
    message(messageId) {
      return store.get(messageId);
    },
  };
  return { app, controls };
}

/** Starts the MESH stand-in on loopback (ephemeral port by default). */
export async function startMeshServer(options: MeshServerOptions): Promise<MeshStandIn> {
  const { app, controls } = createMeshServer(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const scheme = options.tls ? 'https' : 'http';
  return { ...controls, app, port, url: `${scheme}://${host}:${port}`, close: () => app.close() };
}
