import { createHash } from 'node:crypto';

/** What the download headers say about a message. */
export interface MeshMessageMetadata {
  messageId: string;
  /** `DATA` for organisation-to-organisation messages, `REPORT` for MESH's own error reports. */
  messageType: string;
  from?: string;
  to?: string;
  workflowId?: string;
  subject?: string;
  localId?: string;
  fileName?: string;
  /** On a REPORT: the id of the message the report is about. */
  linkedMessageId?: string;
  statusCode?: string;
  statusEvent?: string;
  statusDescription?: string;
  statusSuccess?: string;
  statusTimestamp?: string;
  contentType?: string;
  checksum?: string;
  totalChunks: number;
  /** Every `mex-*` header as received, lower-case names. */
  mexHeaders: Record<string, string>;
}

/** A downloaded, reassembled and verified message. */
export interface MeshMessage {
  metadata: MeshMessageMetadata;
  /** The payload after transport decoding (gzip chunks inflated and joined). Empty for a REPORT. */
  body: Buffer;
}

/** Parses `k:n` into numbers; undefined when malformed. */
export function parseChunkRange(value: string | undefined): { chunk: number; total: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
  if (!m) return undefined;
  const chunk = Number(m[1]);
  const total = Number(m[2]);
  return chunk >= 1 && total >= 1 && chunk <= total ? { chunk, total } : undefined;
}

/** Reads message metadata from (lower-case) response headers. */
export function readMessageMetadata(messageId: string, headers: Record<string, string>): MeshMessageMetadata {
  const mexHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.startsWith('mex-')) mexHeaders[k] = v;
  const h = (name: string) => {
    const v = headers[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const range = parseChunkRange(h('mex-chunk-range'));
  const meta: MeshMessageMetadata = {
    messageId: h('mex-messageid') ?? messageId,
    messageType: (h('mex-messagetype') ?? 'DATA').toUpperCase(),
    totalChunks: range?.total ?? (Number(h('mex-total-chunks')) || 1),
    mexHeaders,
  };
  const optional: Array<[keyof MeshMessageMetadata, string]> = [
    ['from', 'mex-from'],
    ['to', 'mex-to'],
    ['workflowId', 'mex-workflowid'],
    ['subject', 'mex-subject'],
    ['localId', 'mex-localid'],
    ['fileName', 'mex-filename'],
    ['linkedMessageId', 'mex-linkedmsgid'],
    ['statusCode', 'mex-statuscode'],
    ['statusEvent', 'mex-statusevent'],
    ['statusDescription', 'mex-statusdescription'],
    ['statusSuccess', 'mex-statussuccess'],
    ['statusTimestamp', 'mex-statustimestamp'],
    ['contentType', 'mex-content-type'],
    ['checksum', 'mex-content-checksum'],
  ];
  for (const [key, header] of optional) {
    const v = h(header);
    if (v !== undefined) (meta as unknown as Record<string, unknown>)[key] = v;
  }
  if (meta.contentType === undefined) {
    const ct = h('content-type');
    if (ct !== undefined && ct !== 'application/octet-stream') meta.contentType = ct;
  }
  return meta;
}

/**
 * The checksum this project sends in `mex-Content-Checksum`: `md5:<hex>` of the uncompressed
 * payload (MESH leaves the format to the sender; the published example is a bare MD5 hex).
 */
export function contentChecksum(data: Buffer): string {
  return `md5:${createHash('md5').update(data).digest('hex')}`;
}

/**
 * Checks a payload against a `mex-Content-Checksum` when the value has a recognisable form
 * (`md5:<hex>`, bare 32-hex MD5, `sha256:<hex>`). Returns undefined when the form is unknown,
 * since senders may use any convention.
 */
export function checksumMatches(checksum: string, data: Buffer): boolean | undefined {
  const value = checksum.trim().toLowerCase();
  let m = /^(?:md5:)?([0-9a-f]{32})$/.exec(value);
  if (m) return createHash('md5').update(data).digest('hex') === m[1];
  m = /^sha256:([0-9a-f]{64})$/.exec(value);
  if (m) return createHash('sha256').update(data).digest('hex') === m[1];
  return undefined;
}

/** Splits a payload into chunks of at most `size` bytes (at least one, possibly empty, chunk). */
export function splitIntoChunks(data: Buffer, size: number): Buffer[] {
  if (data.length === 0) return [data];
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += size) parts.push(data.subarray(offset, offset + size));
  return parts;
}
