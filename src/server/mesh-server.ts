import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { MeshAuthVerifier } from './mesh-auth-verifier.js';
import {
  compileWorkflowFilter,
  meshStatusTimestamp,
  MeshStore,
  type NewReport,
  type StoredChunk,
  type StoredMessage,
} from './mesh-store.js';

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

type ApiVersion = 1 | 2;
const MAX_REQUEST_LOG = 50_000;
const V2 = 'application/vnd.mesh.v2+json';
const V1_TYPES = ['application/json', 'application/vnd.mesh.v1+json'];

interface Authed {
  mailboxId: string;
  version: ApiVersion;
}

/** Error bodies in the shape MESH (and its reference sandbox) uses for each API version. */
function errorBody(version: ApiVersion, message: string, extra: { event?: string; code?: string; messageId?: string } = {}) {
  if (version === 2) {
    return {
      ...(extra.messageId !== undefined ? { message_id: extra.messageId } : {}),
      internal_id: randomUUID(),
      detail: [{ event: extra.event ?? '', code: extra.code ?? '', msg: message }],
    };
  }
  if (extra.event !== undefined || extra.code !== undefined || extra.messageId !== undefined) {
    return {
      ...(extra.messageId !== undefined ? { messageID: extra.messageId } : {}),
      errorEvent: extra.event ?? '',
      errorCode: extra.code ?? '',
      errorDescription: message,
    };
  }
  return { errorDescription: message };
}

/** The 400 body a missing required header gets (FastAPI validation shape). */
function missingHeaderBody(names: string[]) {
  return {
    detail: names.map((name) => ({ loc: ['header', name], msg: 'field required', type: 'value_error.missing' })),
  };
}

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

  /** Accept negotiation and auth for every mailbox route. */
  function authenticate(request: FastifyRequest, reply: FastifyReply): Authed | undefined {
    const accept = String(request.headers.accept ?? '').toLowerCase();
    let version: ApiVersion = 1;
    if (accept.includes(V2)) version = 2;
    else if (accept.includes('vnd.mesh') && !V1_TYPES.some((t) => accept.includes(t))) {
      reply.code(400).send(errorBody(1, 'Accept header api format incorrect'));
      return undefined;
    }
    const mailbox = (request.params as { mailbox: string }).mailbox;
    const result = verifier.verify(request.headers.authorization, mailbox);
    if (!result.ok) {
      reply.code(403).send(errorBody(version, result.message));
      return undefined;
    }
    return { mailboxId: result.mailboxId, version };
  }

  function findInbound(auth: Authed, id: string, reply: FastifyReply): StoredMessage | undefined {
    const message = store.get(id);
    if (!message || message.to !== auth.mailboxId || message.status === 'uploading') {
      reply.code(404).send(errorBody(auth.version, 'Message does not exist'));
      return undefined;
    }
    if (store.expireIfDue(message) || message.status === 'acknowledged') {
      reply.code(410).send(errorBody(auth.version, 'Message has expired or has already been acknowledged'));
      return undefined;
    }
    return message;
  }

  function downloadHeaders(message: StoredMessage, chunk: number): Record<string, string> {
    const h: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'mex-from': message.from,
      'mex-to': message.intendedRecipient ?? message.to,
      'mex-workflowid': message.workflowId,
      'mex-chunk-range': `${chunk}:${message.totalChunks}`,
      'mex-total-chunks': String(message.totalChunks),
      'mex-addresstype': 'ALL',
      'mex-filename': message.fileName ?? `${message.id}.dat`,
      'mex-version': '1.0',
      'mex-messagetype': message.messageType,
      'mex-messageid': message.id,
      'mex-statuscode': message.statusCode,
      'mex-statusevent': message.statusEvent,
      'mex-statusdescription': message.statusDescription,
      'mex-statussuccess': message.statusSuccess,
      'mex-statustimestamp': meshStatusTimestamp(message.statusAt),
      'last-modified': new Date(message.statusAt).toUTCString(),
    };
    const optional: Array<[string, string | undefined]> = [
      ['mex-localid', message.localId],
      ['mex-subject', message.subject],
      ['mex-partnerid', message.partnerId],
      ['mex-linkedmsgid', message.linkedMessageId],
      ['mex-content-checksum', message.checksum],
      ['mex-content-type', message.contentType],
    ];
    for (const [name, value] of optional) if (value !== undefined && value !== '') h[name] = value;
    if (message.chunks.some((c) => c?.gzip)) h['mex-content-compressed'] = 'Y';
    return h;
  }

  /** Sends chunk `k`, gzip-encoded when stored so and the client accepts gzip. */
  function sendChunk(request: FastifyRequest, reply: FastifyReply, auth: Authed, message: StoredMessage, k: number) {
    const chunk = message.chunks[k - 1];
    if (k < 1 || k > message.totalChunks || !chunk) {
      reply.code(404).send(errorBody(auth.version, 'Chunk does not exist'));
      return;
    }
    const headers = downloadHeaders(message, k);
    const acceptsGzip = /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
    let body = chunk.data;
    if (chunk.gzip && acceptsGzip) headers['content-encoding'] = 'gzip';
    else if (chunk.gzip) body = gunzipSync(chunk.data);
    reply
      .code(k < message.totalChunks ? 206 : 200)
      .headers(headers)
      .send(request.method === 'HEAD' ? undefined : body);
  }

  function sendAccepted(reply: FastifyReply, auth: Authed, messageId: string) {
    reply.code(202).header('content-type', auth.version === 2 ? V2 : 'application/json');
    reply.send(auth.version === 2 ? { message_id: messageId } : { messageID: messageId });
  }

  function header(request: FastifyRequest, name: string): string | undefined {
    const v = request.headers[name];
    const s = Array.isArray(v) ? v[0] : v;
    return s === undefined || s === '' ? undefined : s;
  }

  const handshake = async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const missing = ['mex-clientversion', 'mex-osname', 'mex-osversion'].filter((h) => header(request, h) === undefined);
    if (missing.length > 0) return reply.code(400).send(missingHeaderBody(missing));
    if (auth.version === 2) return reply.code(200).send();
    return reply.code(200).send({ mailboxId: auth.mailboxId });
  };
  app.post('/messageexchange/:mailbox', handshake);
  app.get('/messageexchange/:mailbox', handshake);

  app.get('/messageexchange/:mailbox/inbox', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const q = request.query as { max_results?: string; continue_from?: string; workflow_filter?: string };
    const max = q.max_results === undefined ? 500 : Number(q.max_results);
    if (!Number.isInteger(max) || max < 10 || max > 5000) {
      return reply.code(400).send({ detail: [{ loc: ['query', 'max_results'], msg: 'ensure this value is between 10 and 5000', type: 'value_error' }] });
    }
    let afterSeq = 0;
    if (q.continue_from !== undefined) {
      const seq = decodeContinuation(q.continue_from, (id) => store.get(id)?.seq);
      if (seq === undefined) return reply.code(400).send({ detail: [{ loc: ['query', 'continue_from'], msg: 'invalid continue_from', type: 'value_error' }] });
      afterSeq = seq;
    }
    const filter = q.workflow_filter !== undefined ? compileWorkflowFilter(q.workflow_filter) : undefined;
    const waiting = store.inbox(auth.mailboxId, afterSeq, filter);
    const page = waiting.slice(0, max);
    const ids = page.map((m) => m.id);
    if (auth.version === 1) return reply.header('content-type', 'application/json').send({ messages: ids });
    const base = `/messageexchange/${auth.mailboxId}/inbox`;
    const params = new URLSearchParams({ max_results: String(max) });
    if (q.workflow_filter !== undefined) params.set('workflow_filter', q.workflow_filter);
    const links: Record<string, string> = { self: `${base}?${params.toString()}` };
    const last = page[page.length - 1];
    if (waiting.length > max && last) {
      params.set('continue_from', encodeContinuation(last.seq));
      links.next = `${base}?${params.toString()}`;
    }
    return reply.header('content-type', V2).send({ messages: ids, links, approx_inbox_count: store.inbox(auth.mailboxId, 0, filter).length });
  });

  app.get('/messageexchange/:mailbox/count', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const count = store.inbox(auth.mailboxId).length;
    return reply.send(auth.version === 2 ? { count } : { count, internalID: randomUUID(), allResultsIncluded: true });
  });

  const download = async (request: FastifyRequest, reply: FastifyReply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const message = findInbound(auth, (request.params as { id: string }).id, reply);
    if (!message) return reply;
    sendChunk(request, reply, auth, message, 1);
    return reply;
  };
  app.get('/messageexchange/:mailbox/inbox/:id', download);
  app.head('/messageexchange/:mailbox/inbox/:id', download);

  app.get('/messageexchange/:mailbox/inbox/:id/:chunk', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const params = request.params as { id: string; chunk: string };
    const message = findInbound(auth, params.id, reply);
    if (!message) return reply;
    const k = /^\d+$/.test(params.chunk) ? Number(params.chunk) : 0;
    sendChunk(request, reply, auth, message, k);
    return reply;
  });

  app.put('/messageexchange/:mailbox/inbox/:id/status/acknowledged', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const id = (request.params as { id: string }).id;
    const message = store.get(id);
    if (!message || message.to !== auth.mailboxId || message.status === 'uploading') {
      return reply.code(404).send(errorBody(auth.version, 'Message does not exist'));
    }
    // Acknowledging twice is harmless; an expired message can no longer be acknowledged.
    if (store.expireIfDue(message)) return reply.code(410).send(errorBody(auth.version, 'Message has expired'));
    if (message.status === 'accepted') store.acknowledge(message);
    if (auth.version === 2) return reply.code(200).send();
    return reply.code(200).send({ messageId: id });
  });

  app.post('/messageexchange/:mailbox/outbox', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const to = header(request, 'mex-to');
    const workflowId = header(request, 'mex-workflowid');
    const missing = [...(to === undefined ? ['mex-to'] : []), ...(workflowId === undefined ? ['mex-workflowid'] : [])];
    if (missing.length > 0 || to === undefined || workflowId === undefined) return reply.code(400).send(missingHeaderBody(missing));
    const malformed = ['mex-to', 'mex-workflowid', 'mex-content-checksum'].filter((h) => /https?:\/\//i.test(header(request, h) ?? ''));
    const rangeHeader = header(request, 'mex-chunk-range');
    const range = rangeHeader === undefined ? { chunk: 1, total: 1 } : parseRange(rangeHeader);
    if (!range || range.chunk !== 1) malformed.push('mex-chunk-range');
    if (malformed.length > 0 || !range) {
      return reply.code(400).send({ errorEvent: 'TRANSFER', errorCode: '06', errorDescription: 'MalformedControlFile', fields: malformed });
    }
    const from = header(request, 'mex-from');
    if (from !== undefined && from.toUpperCase() !== auth.mailboxId) {
      return reply.code(417).send(errorBody(auth.version, 'Invalid From Address', { event: 'SEND', code: '07' }));
    }
    const recipient = to.toUpperCase();
    if (!passwords.has(recipient)) {
      return reply.code(417).send(errorBody(auth.version, 'Unregistered to address', { event: 'SEND', code: '12' }));
    }
    const denied = workflowDenied(options.workflows, workflowId, auth.mailboxId, recipient);
    if (denied) return reply.code(417).send(errorBody(auth.version, denied.message, { event: 'SEND', code: denied.code }));
    const message = store.create(
      {
        from: auth.mailboxId,
        to: recipient,
        workflowId,
        totalChunks: range.total,
        ...optionalHeaders(request),
      },
      storedChunk(request),
    );
    sendAccepted(reply, auth, message.id);
    return reply;
  });

  app.post('/messageexchange/:mailbox/outbox/:id/:chunk', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const params = request.params as { id: string; chunk: string };
    const message = store.get(params.id);
    if (!message || message.from !== auth.mailboxId || message.messageType !== 'DATA') {
      return reply.code(404).send(errorBody(auth.version, 'Message does not exist'));
    }
    if (message.status !== 'uploading') {
      return reply.code(423).send(errorBody(auth.version, 'Message has been finalised; no more chunks can be uploaded'));
    }
    const k = /^\d+$/.test(params.chunk) ? Number(params.chunk) : 0;
    const rangeHeader = header(request, 'mex-chunk-range');
    const range = rangeHeader === undefined ? { chunk: k, total: message.totalChunks } : parseRange(rangeHeader);
    if (k < 2 || k > message.totalChunks || !range || range.chunk !== k || range.total !== message.totalChunks) {
      return reply.code(417).send(errorBody(auth.version, 'Invalid chunk number or range', { event: 'SEND', code: '06', messageId: message.id }));
    }
    store.addChunk(message, k, storedChunk(request));
    sendAccepted(reply, auth, message.id);
    return reply;
  });

  app.get('/messageexchange/:mailbox/outbox/tracking', async (request, reply) => {
    const auth = authenticate(request, reply);
    if (!auth) return reply;
    const id = (request.query as { messageID?: string }).messageID;
    if (id === undefined) return reply.code(400).send({ detail: [{ loc: ['query', 'messageID'], msg: 'field required', type: 'value_error.missing' }] });
    const message = store.get(id);
    if (!message || message.from !== auth.mailboxId || message.messageType !== 'DATA') {
      return reply.code(404).send(errorBody(auth.version, 'Message does not exist'));
    }
    store.expireIfDue(message);
    return reply.send(auth.version === 2 ? trackingV2(message) : trackingV1(message));
  });

  app.post('/messageexchange/admin/report', async (request, reply) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(String(request.body ?? '')) as Record<string, unknown>;
    } catch {
      return reply.code(400).send({ detail: [{ loc: ['body'], msg: 'invalid JSON', type: 'value_error' }] });
    }
    const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const mailboxId = s('mailbox_id')?.toUpperCase();
    if (!mailboxId || !passwords.has(mailboxId) || !s('code') || !s('description') || !s('workflow_id')) {
      return reply.code(400).send({ detail: [{ loc: ['body'], msg: 'mailbox_id, code, description and workflow_id are required', type: 'value_error' }] });
    }
    const report = store.report(reportInput(mailboxId, s));
    return reply.send({ message_id: report.id });
  });

  for (const path of ['/messageexchange/_ping', '/_ping', '/health', '/_status']) {
    app.get(path, async (_request, reply) => reply.send({ status: 'ok' }));
  }

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
          ...definedOnly({
            subject: pick('mex-subject'),
            localId: pick('mex-localid'),
            fileName: pick('mex-filename'),
            contentType: pick('mex-content-type') ?? pick('content-type'),
            checksum: pick('mex-content-checksum'),
            partnerId: pick('mex-partnerid'),
          }),
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

function parseRange(value: string): { chunk: number; total: number } | undefined {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
  if (!m) return undefined;
  const chunk = Number(m[1]);
  const total = Number(m[2]);
  return chunk >= 1 && total >= 1 && chunk <= total ? { chunk, total } : undefined;
}

/** v2 continuation tokens are opaque base64 (at least 24 characters, as the contract requires). */
function encodeContinuation(seq: number): string {
  return Buffer.from(JSON.stringify({ standin: 'mesh', seq })).toString('base64');
}

/** Accepts a v2 token or, as v1 clients send, a message id. */
function decodeContinuation(value: string, seqOfId: (id: string) => number | undefined): number | undefined {
  const bySeq = seqOfId(value);
  if (bySeq !== undefined) return bySeq;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { standin?: unknown; seq?: unknown };
    return parsed.standin === 'mesh' && typeof parsed.seq === 'number' ? parsed.seq : undefined;
  } catch {
    return undefined;
  }
}

function storedChunk(request: FastifyRequest): StoredChunk {
  const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const gzip = /\bgzip\b/i.test(String(request.headers['content-encoding'] ?? ''));
  return { data, gzip };
}

function definedOnly<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}

function optionalHeaders(request: FastifyRequest) {
  const h = (name: string) => {
    const v = request.headers[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  return definedOnly({
    subject: h('mex-subject'),
    localId: h('mex-localid'),
    fileName: h('mex-filename'),
    contentType: h('mex-content-type') ?? h('content-type'),
    checksum: h('mex-content-checksum'),
    partnerId: h('mex-partnerid'),
  });
}

function workflowDenied(
  workflows: MeshStandInWorkflow[] | undefined,
  workflowId: string,
  sender: string,
  recipient: string,
): { code: string; message: string } | undefined {
  if (!workflows) return undefined;
  const wf = workflows.find((w) => w.workflowId === workflowId);
  if (!wf || !wf.receivers.map((r) => r.toUpperCase()).includes(recipient)) {
    return { code: '17', message: 'Workflow ID not registered for mailbox' };
  }
  if (!wf.senders.map((s) => s.toUpperCase()).includes(sender)) {
    return { code: '16', message: 'Sender is not allowed to send messages of this type' };
  }
  return undefined;
}

function reportInput(mailboxId: string, s: (k: string) => string | undefined): NewReport {
  return {
    mailboxId,
    code: s('code')!,
    description: s('description')!,
    workflowId: s('workflow_id')!,
    status: s('status') === 'error' ? 'error' : 'undeliverable',
    ...definedOnly({
      subject: s('subject'),
      localId: s('local_id'),
      fileName: s('file_name'),
      linkedMessageId: s('linked_message_id'),
    }),
  };
}

function trackingStatus(message: StoredMessage): string {
  return message.status === 'expired' ? 'undeliverable' : message.status;
}

function trackingV2(message: StoredMessage) {
  return {
    message_id: message.id,
    local_id: message.localId ?? null,
    workflow_id: message.workflowId,
    filename: message.fileName ?? null,
    expiry_time: meshStatusTimestamp(message.expiresAt),
    upload_timestamp: meshStatusTimestamp(message.createdAt),
    recipient: message.to,
    status_success: message.status !== 'expired',
    status: trackingStatus(message),
    status_event: message.status === 'expired' ? 'TRANSFER' : message.statusEvent,
    status_timestamp: new Date(message.statusAt).toISOString().slice(0, 19),
    status_description: message.status === 'expired' ? 'Message not collected by recipient after 5 days' : 'Success',
    status_code: message.status === 'expired' ? '14' : message.statusCode,
  };
}

function trackingV1(message: StoredMessage) {
  const status = trackingStatus(message);
  return {
    addressType: 'ALL',
    dtsId: message.id,
    messageId: message.id,
    localId: message.localId ?? null,
    workflowId: message.workflowId,
    fileName: message.fileName ?? `${message.id}.dat`,
    fileSize: message.chunks.reduce((n, c) => n + (c?.data.length ?? 0), 0),
    chunkCount: message.totalChunks,
    messageType: message.messageType,
    recipient: message.to,
    sender: message.from,
    status: status.charAt(0).toUpperCase() + status.slice(1),
    statusCode: message.status === 'expired' ? '14' : null,
    statusSuccess: message.status === 'expired' ? 'ERROR' : null,
    expiryTime: meshStatusTimestamp(message.expiresAt),
    uploadTimestamp: meshStatusTimestamp(message.createdAt),
    version: '1.0',
  };
}
