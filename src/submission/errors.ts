/**
 * Typed errors of the submission transport. Each carries whether a retry may succeed and the HTTP status
 * when there is one. Messages hold status codes, error codes and, for the ADS API, the issue codes and
 * FHIRPaths of an OperationOutcome: never a payload, a secret or the server's free text, which can quote
 * submitted patient data. That text stays on the error as `serverText`, not enumerable, for a program
 * that asks for it.
 */
import { excerpt, type NetError, type NetErrorTranslation, RedactedError, translateNetError } from '../net/index.js';

/** What went wrong, for programs: stable strings suitable for a `switch`. */
export type SubmissionErrorCode =
  | 'bad-request' // 400
  | 'unauthorized' // 401 after one re-mint
  | 'forbidden' // 403 after one re-mint
  | 'not-found' // 404
  | 'method-not-allowed' // 405
  | 'payload-too-large' // 413
  | 'rate-limited' // 429 after the retries
  | 'server-error' // 5xx after the retries
  | 'unexpected-status'
  | 'redirect' // the server answered 3xx: refused, never followed
  | 'bad-response' // 2xx without a receipt, unreadable body
  | 'response-too-large'
  | 'timeout'
  | 'network'
  | 'tls' // certificate, host name or protocol: a retry cannot fix it
  | 'token-rejected' // the token endpoint refused the client assertion
  | 'token-unavailable' // the token endpoint failed (5xx, timeout, network) after the retries
  | 'key' // the private key could not be read
  | 'invalid-bundle' // not a JSON FHIR Bundle
  | 'duplicate' // the bundle is already in the outbox
  | 'outbox-busy' // another process holds the outbox's writer lease
  | 'config';

/** Base class of every error thrown by `src/submission`. */
export class SubmissionError extends RedactedError {
  override readonly name: string = 'SubmissionError';
  /** Seconds (from `Retry-After`) the server asked us to wait, when it did. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status, when the error came from an HTTP answer. */
  readonly status: number | undefined;
  /** True when the same request may succeed later (429, 5xx, timeouts, network errors). */
  readonly retryable: boolean;
  readonly #serverText: string | undefined;

  constructor(
    readonly code: SubmissionErrorCode,
    message: string,
    options: { status?: number; retryable?: boolean; serverText?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.#serverText = options.serverText === undefined ? undefined : excerpt(options.serverText);
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * The server's own text (redacted, shortened), when it sent any. Free text can quote what was submitted,
   * so it is never in the message, never logged, and stored only where the operator asked for it.
   */
  get serverText(): string | undefined {
    return this.#serverText;
  }
}

/** The ADS API answered with an error status, or with a redirect (refused). */
export class AdsHttpError extends SubmissionError {
  override readonly name = 'AdsHttpError';
}

/** The token endpoint refused the request or could not be reached. */
export class TokenError extends SubmissionError {
  override readonly name = 'TokenError';
  /** The platform's `message_id` for this answer: quote it when reporting a problem to the NHS. */
  readonly messageId: string | undefined;

  constructor(code: SubmissionErrorCode, message: string, options: ConstructorParameters<typeof SubmissionError>[2] & { messageId?: string } = {}) {
    super(code, message, options);
    this.messageId = options.messageId;
  }
}

/** A time limit passed before an answer arrived. */
export class TimeoutError extends SubmissionError {
  override readonly name = 'TimeoutError';
}

/** The connection failed, was reset or could not be secured, before or during the answer. */
export class NetworkError extends SubmissionError {
  override readonly name = 'NetworkError';
}

/** The answer was larger than the configured cap; reading stopped at the cap. */
export class ResponseTooLargeError extends SubmissionError {
  override readonly name = 'ResponseTooLargeError';
}

/** The private key could not be loaded. The message names the source, never its content. */
export class KeyError extends SubmissionError {
  override readonly name = 'KeyError';
}

const withStatus = (e: NetError) => (e.status !== undefined ? { status: e.status } : {});

const FROM_NET: NetErrorTranslation<SubmissionError> = {
  timeout: (e) => new TimeoutError('timeout', e.message, { retryable: true }),
  'too-large': (e) => new ResponseTooLargeError('response-too-large', e.message, withStatus(e)),
  redirect: (e) => new AdsHttpError('redirect', e.message, withStatus(e)),
  tls: (e) => new NetworkError('tls', e.message),
  endpoint: (e) => new SubmissionError('config', e.message),
  otherwise: (e) => new NetworkError('network', e.message, { retryable: e.retryable }),
};

/** The transport's typed failure as the submission error a caller of this folder expects. */
export function fromNetError(error: NetError): SubmissionError {
  return translateNetError(error, FROM_NET);
}

/** Maps an ADS HTTP status to the error code the client reports. */
export function codeForStatus(status: number): SubmissionErrorCode {
  switch (status) {
    case 400:
      return 'bad-request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
      return 'method-not-allowed';
    case 413:
      return 'payload-too-large';
    case 429:
      return 'rate-limited';
    default:
      return status >= 500 ? 'server-error' : 'unexpected-status';
  }
}

/** Statuses worth another attempt: the platform's throttle and the server's own failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * A one-line description of any error for logs and CLI output: never a stack trace or free server text.
 * An error from outside this hierarchy is named by its type and code only: its message may quote input
 * (a JSON parser's message quotes the text it failed on).
 */
export function describeError(error: unknown): string {
  if (error instanceof RedactedError) return error.causeMessage ? `${error.message}; cause: ${error.causeMessage}` : error.message;
  const code = (error as { code?: unknown } | undefined)?.code;
  const name = error instanceof Error ? error.name : 'error';
  return `unexpected ${name}${typeof code === 'string' ? ` (${code})` : ''}`;
}
