/**
 * The one error hierarchy of the transports (ADS API, token endpoint, MESH, CQI) and their local stores.
 *
 * Every error here is a {@link RedactedError}: its message passes through the redactor, and an underlying
 * error is kept only as redacted text (`causeMessage`), never as an object. A raw cause can hold a request
 * with its headers or a socket with its peer; a caller that logs the error whole must not be able to leak it.
 */
import { redact } from './redact.js';

/** Base of every error the transports throw: redacted message, cause kept only as redacted text. */
export class RedactedError extends Error {
  override name: string = 'RedactedError';
  /** Redacted one-line description of the underlying error, if there was one. */
  readonly causeMessage: string | undefined;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(redact(message));
    this.causeMessage = options.cause === undefined ? undefined : redact(describeCause(options.cause));
  }
}

/** Why an exchange failed before a usable answer arrived. */
export type NetErrorKind =
  /** No complete answer within the time limit. */
  | 'timeout'
  /** The connection failed, was refused or was reset. */
  | 'network'
  /** TLS set-up failed: a certificate, a host name or the protocol version (see `tlsCode`). */
  | 'tls'
  /** The server answered a redirect: refused, never followed (the body could carry patient data). */
  | 'redirect'
  /** The answer was larger than the cap; reading stopped there. */
  | 'too-large'
  /** The caller's signal aborted the exchange (a deadline). */
  | 'aborted'
  /** The endpoint itself is refused (not a URL, or plain http off loopback). */
  | 'endpoint';

/** TLS failures a retry cannot fix, by cause. */
export type TlsFailureCode =
  | 'SERVER_CERT_UNTRUSTED'
  | 'SERVER_CERT_EXPIRED'
  | 'HOSTNAME_MISMATCH'
  | 'TLS_PROTOCOL_TOO_OLD'
  | 'CLIENT_CERT_REFUSED';

/** A transport failure: `{ kind, retryable, status }`, with a message that names no payload and no secret. */
export class NetError extends RedactedError {
  override readonly name = 'NetError';
  readonly kind: NetErrorKind;
  /** True when the same request may succeed later (timeouts, connection failures). */
  readonly retryable: boolean;
  /** HTTP status, when an answer had started (a redirect, an oversized answer). */
  readonly status: number | undefined;
  /** The TLS cause, for kind `tls`. */
  readonly tlsCode: TlsFailureCode | undefined;
  /** For kind `redirect`: the origin (scheme, host, port) the server pointed at; never its path. */
  readonly redirectOrigin: string | undefined;

  constructor(
    kind: NetErrorKind,
    message: string,
    options: { retryable?: boolean; status?: number; tlsCode?: TlsFailureCode; redirectOrigin?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
    this.tlsCode = options.tlsCode;
    this.redirectOrigin = options.redirectOrigin;
  }
}

/**
 * How a folder turns each kind of transport failure into an error of its own hierarchy: an entry for each
 * kind it treats apart, `otherwise` for the rest. One table per folder, read by {@link translateNetError}.
 */
export type NetErrorTranslation<E> = { readonly [K in NetErrorKind]?: (error: NetError) => E } & {
  readonly otherwise: (error: NetError) => E;
};

/** The transport's typed failure as the error a folder's callers expect (see {@link NetErrorTranslation}). */
export function translateNetError<E>(error: NetError, table: NetErrorTranslation<E>): E {
  return (table[error.kind] ?? table.otherwise)(error);
}

/** One line for any cause: name, message and one level of nested cause; redacted by the caller. */
export function describeCause(cause: unknown): string {
  if (cause instanceof RedactedError) return `${cause.name}: ${cause.message}${cause.causeMessage ? ` (${cause.causeMessage})` : ''}`;
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const innerText = inner instanceof Error ? `: ${inner.message}` : '';
    return `${cause.name}: ${cause.message}${innerText}`;
  }
  return String(cause);
}
