/**
 * The MESH stand-in's HTTP routes: handshake, inbox (list, count, download, acknowledge), outbox (send, chunk
 * upload, tracking), the admin REPORT endpoint and health checks. Every mailbox route negotiates the API version
 * from `Accept` and checks the MESH authorization token first.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MeshAuthVerifier } from './mesh-auth-verifier.js';
import { compileWorkflowFilter, type MeshStore, type StoredMessage } from './mesh-store.js';
import {
  type ApiVersion,
  decodeContinuation,
  downloadHeaders,
  encodeContinuation,
  errorBody,
  header,
  missingHeaderBody,
  optionalMessageFields,
  parseRange,
  reportInput,
  storedChunk,
  trackingV1,
  trackingV2,
  V1_TYPES,
  V2,
} from './mesh-wire.js';

/** What the routes read of a workflow permission (`MeshStandInWorkflow` of the stand-in's options). */
interface WorkflowRule {
  readonly workflowId: string;
  readonly senders: readonly string[];
  readonly receivers: readonly string[];
}

/** What the routes share: the store, the token check, the known mailboxes and the workflow permissions. */
export interface MeshRouteContext {
  store: MeshStore;
  verifier: MeshAuthVerifier;
  /** Upper-case mailbox ids. */
  mailboxes: ReadonlySet<string>;
  workflows: readonly WorkflowRule[] | undefined;
}

interface Authed {
  mailboxId: string;
  version: ApiVersion;
}

/** Registers every route of the stand-in on `app`. */
export function registerMeshRoutes(app: FastifyInstance, ctx: MeshRouteContext): void {
  const { store } = ctx;

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
    const result = ctx.verifier.verify(request.headers.authorization, mailbox);
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
    if (!ctx.mailboxes.has(recipient)) {
      return reply.code(417).send(errorBody(auth.version, 'Unregistered to address', { event: 'SEND', code: '12' }));
    }
    const denied = workflowDenied(ctx.workflows, workflowId, auth.mailboxId, recipient);
    if (denied) return reply.code(417).send(errorBody(auth.version, denied.message, { event: 'SEND', code: denied.code }));
    const message = store.create(
      {
        from: auth.mailboxId,
        to: recipient,
        workflowId,
        totalChunks: range.total,
        ...optionalMessageFields((name) => header(request, name)),
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
    if (!mailboxId || !ctx.mailboxes.has(mailboxId) || !s('code') || !s('description') || !s('workflow_id')) {
      return reply.code(400).send({ detail: [{ loc: ['body'], msg: 'mailbox_id, code, description and workflow_id are required', type: 'value_error' }] });
    }
    const report = store.report(reportInput(mailboxId, s));
    return reply.send({ message_id: report.id });
  });

  for (const path of ['/messageexchange/_ping', '/_ping', '/health', '/_status']) {
    app.get(path, async (_request, reply) => reply.send({ status: 'ok' }));
  }
}

/** Why MESH refuses a workflow between two mailboxes (its error code and text), or undefined when allowed. */
function workflowDenied(
  workflows: readonly WorkflowRule[] | undefined,
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
