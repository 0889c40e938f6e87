/**
 * Typed MESH errors. Messages carry status codes, MESH error codes and message ids only: never a
 * shared key, mailbox password, Authorization header or message body. Like every transport error they
 * are {@link RedactedError}s: an underlying error is kept only as redacted text.
 */
import { type NetError, type NetErrorTranslation, RedactedError, translateNetError } from '../net/index.js';

export class MeshError extends RedactedError {
  override readonly name: string = 'MeshError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

/** Bad or missing client configuration (credentials, URLs, TLS files). */
export class MeshConfigError extends MeshError {
  override readonly name = 'MeshConfigError';
}

/** Details MESH publishes in its error bodies (v1 camelCase or v2 `detail[]`). */
export interface MeshErrorDetail {
  event?: string;
  code?: string;
  description?: string;
  messageId?: string;
}

/** A non-success HTTP answer from MESH. */
export class MeshHttpError extends MeshError {
  override readonly name: string = 'MeshHttpError';
  /** True for the statuses MESH documents as transient (425, 429, 502, 503, 504). */
  readonly retryable: boolean;
  /** The wait MESH asked for (`Retry-After`), when it did. */
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly status: number,
    readonly operation: string,
    readonly detail: MeshErrorDetail = {},
    options: { retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(
      `MESH ${operation} failed with HTTP ${status}` +
        (detail.code ? ` (code ${detail.code}${detail.event ? `, ${detail.event}` : ''})` : '') +
        (detail.description ? `: ${detail.description}` : ''),
    );
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** MESH (or something in its place) answered a redirect: refused, never followed, credentials not re-sent. */
export class MeshRedirectError extends MeshError {
  override readonly name = 'MeshRedirectError';
  readonly retryable = false;
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** 403: the mailbox, password, shared key, timestamp or nonce was rejected. */
export class MeshAuthError extends MeshHttpError {
  override readonly name = 'MeshAuthError';
}

/** 404 on a message: unknown id or not in this mailbox. */
export class MeshNotFoundError extends MeshHttpError {
  override readonly name = 'MeshNotFoundError';
}

/** 410 Gone: the message expired (not acknowledged within five days) or otherwise failed. */
export class MeshGoneError extends MeshHttpError {
  override readonly name = 'MeshGoneError';
}

/** Retries ran out on a transient status (425/429/502/503/504) or a network failure. */
export class MeshRetryExhaustedError extends MeshError {
  override readonly name = 'MeshRetryExhaustedError';
  constructor(
    readonly operation: string,
    readonly attempts: number,
    readonly lastStatus: number | undefined,
    options: { cause?: unknown } = {},
  ) {
    const cause = options.cause;
    super(
      `MESH ${operation} gave up after ${attempts} attempt(s)` +
        (lastStatus !== undefined
          ? `; last HTTP ${lastStatus}`
          : `; ${cause instanceof MeshNetworkError ? cause.message : 'network error'}`),
      options,
    );
  }
}

/** The connection failed, timed out or was reset before a full response arrived. */
export class MeshNetworkError extends MeshError {
  override readonly name = 'MeshNetworkError';
  /** False for failures that a retry cannot fix, such as a certificate that does not verify. */
  readonly retryable: boolean;
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options);
    this.retryable = options.retryable ?? true;
  }
}

/** The response body was larger than the configured cap. */
export class MeshResponseTooLargeError extends MeshError {
  override readonly name = 'MeshResponseTooLargeError';
  readonly retryable = false;
  constructor(
    readonly limitBytes: number | undefined,
    message = `MESH response exceeded the ${limitBytes}-byte limit`,
  ) {
    super(message);
  }
}

const FROM_NET: NetErrorTranslation<MeshError> = {
  'too-large': (e) => new MeshResponseTooLargeError(undefined, e.message),
  redirect: (e) => new MeshRedirectError(e.status, e.message),
  endpoint: (e) => new MeshConfigError(e.message),
  otherwise: (e) => new MeshNetworkError(e.message, { retryable: e.retryable }),
};

/** The transport's typed failure as the MESH error callers of this folder expect. */
export function meshErrorFromNet(error: NetError): MeshError {
  return translateNetError(error, FROM_NET);
}

/** A chunk of a chunked message could not be downloaded; the message was not acknowledged. */
export class MeshMissingChunkError extends MeshError {
  override readonly name = 'MeshMissingChunkError';
  constructor(
    readonly messageId: string,
    readonly chunk: number,
    readonly totalChunks: number,
    options?: { cause?: unknown },
  ) {
    super(`MESH message ${messageId}: chunk ${chunk} of ${totalChunks} is missing`, options);
  }
}

/** A downloaded message failed reassembly checks (ranges, decompression or checksum). */
export class MeshIntegrityError extends MeshError {
  override readonly name = 'MeshIntegrityError';
  constructor(
    readonly messageId: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`MESH message ${messageId} failed verification: ${reason}`, options);
  }
}

/** A response from MESH did not have the documented shape. */
export class MeshProtocolError extends MeshError {
  override readonly name = 'MeshProtocolError';
}

/**
 * Reads MESH error details from a JSON error body (v1 `{errorEvent,errorCode,errorDescription}`,
 * v2 `{detail:[{event,code,msg}]}`, or the auth `{errorDescription}`). Unknown shapes give `{}`.
 */
export function readMeshErrorDetail(body: Buffer | undefined): MeshErrorDetail {
  if (!body || body.length === 0 || body.length > 64 * 1024) return {};
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
  if (!json || typeof json !== 'object') return {};
  const o = json as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v.slice(0, 300) : undefined);
  const detail: MeshErrorDetail = {};
  const first = Array.isArray(o.detail) ? (o.detail[0] as Record<string, unknown> | undefined) : undefined;
  const event = str(o.errorEvent) ?? str(first?.event);
  const code = str(o.errorCode) ?? str(first?.code);
  const description = str(o.errorDescription) ?? str(first?.msg);
  const messageId = str(o.messageID) ?? str(o.message_id);
  if (event) detail.event = event;
  if (code) detail.code = code;
  if (description) detail.description = description;
  if (messageId) detail.messageId = messageId;
  return detail;
}

/** A request the client refuses to send (missing or over-long header, control characters). */
export class MeshInvalidRequestError extends MeshError {
  override readonly name = 'MeshInvalidRequestError';
}
