/**
 * The MESH stand-in's wire formats: error bodies, headers, chunk ranges, continuation tokens and tracking
 * answers, in the shapes MESH (and its reference sandbox) uses for each API version. No state lives here.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { meshStatusTimestamp, type NewReport, type StoredChunk, type StoredMessage } from './mesh-store.js';

export type ApiVersion = 1 | 2;
/** The media type that selects API version 2. */
export const V2 = 'application/vnd.mesh.v2+json';
/** The media types a version 1 client may ask for. */
export const V1_TYPES = ['application/json', 'application/vnd.mesh.v1+json'];

/** Error bodies in the shape MESH (and its reference sandbox) uses for each API version. */
export function errorBody(version: ApiVersion, message: string, extra: { event?: string; code?: string; messageId?: string } = {}) {
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
export function missingHeaderBody(names: string[]) {
  return {
    detail: names.map((name) => ({ loc: ['header', name], msg: 'field required', type: 'value_error.missing' })),
  };
}

/** A request header's first value; an empty one counts as absent. */
export function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** `Mex-Chunk-Range: k:n`, with 1 <= k <= n; undefined when malformed. */
export function parseRange(value: string): { chunk: number; total: number } | undefined {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
  if (!m) return undefined;
  const chunk = Number(m[1]);
  const total = Number(m[2]);
  return chunk >= 1 && total >= 1 && chunk <= total ? { chunk, total } : undefined;
}

/** v2 continuation tokens are opaque base64 (at least 24 characters, as the contract requires). */
export function encodeContinuation(seq: number): string {
  return Buffer.from(JSON.stringify({ standin: 'mesh', seq })).toString('base64');
}

/** Accepts a v2 token or, as v1 clients send, a message id. */
export function decodeContinuation(value: string, seqOfId: (id: string) => number | undefined): number | undefined {
  const bySeq = seqOfId(value);
  if (bySeq !== undefined) return bySeq;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { standin?: unknown; seq?: unknown };
    return parsed.standin === 'mesh' && typeof parsed.seq === 'number' ? parsed.seq : undefined;
  } catch {
    return undefined;
  }
}

/** The uploaded body as a stored chunk, kept gzip-encoded when it was sent so. */
export function storedChunk(request: FastifyRequest): StoredChunk {
  const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const gzip = /\bgzip\b/i.test(String(request.headers['content-encoding'] ?? ''));
  return { data, gzip };
}

export function definedOnly<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}

/** The optional message fields a sender sets through `mex-*` headers; `pick` reads one header (lower-case name). */
export function optionalMessageFields(pick: (name: string) => string | undefined) {
  return definedOnly({
    subject: pick('mex-subject'),
    localId: pick('mex-localid'),
    fileName: pick('mex-filename'),
    contentType: pick('mex-content-type') ?? pick('content-type'),
    checksum: pick('mex-content-checksum'),
    partnerId: pick('mex-partnerid'),
  });
}

/** The headers of a download of chunk `chunk` of `message`. */
export function downloadHeaders(message: StoredMessage, chunk: number): Record<string, string> {
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

/** The REPORT an admin request describes (`s` reads one string field of its JSON body). */
export function reportInput(mailboxId: string, s: (k: string) => string | undefined): NewReport {
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

/** The tracking answer of API version 2. */
export function trackingV2(message: StoredMessage) {
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

/** The tracking answer of API version 1. */
export function trackingV1(message: StoredMessage) {
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
