/**
 * Typed errors of the submission transport. Each carries whether a retry may succeed, the HTTP status
 * when there is one, and the server's own text (redacted, shortened) but never a payload or a secret.
 */
import { excerpt, redact } from './redact.js';

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
  | 'bad-response' // 2xx without a receipt, unreadable body
  | 'response-too-large'
  | 'timeout'
  | 'network'
  | 'token-rejected' // the token endpoint refused the client assertion
  | 'token-unavailable' // the token endpoint failed (5xx, timeout, network) after the retries
  | 'key' // the private key could not be read
  | 'invalid-bundle' // not a JSON FHIR Bundle
  | 'config';

/** Base class of every error thrown by `src/submission`. */
export class SubmissionError extends Error {
  override readonly name: string = 'SubmissionError';
  /** Redacted, shortened text from the server, when it sent any. */
  readonly serverText: string | undefined;
  /** Seconds (from `Retry-After`) the server asked us to wait, when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: SubmissionErrorCode,
    message: string,
    options: {
      status?: number;
      retryable?: boolean;
      serverText?: string;
      retryAfterMs?: number;
      cause?: unknown;
    } = {},
  ) {
    super(redact(message));
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.serverText = options.serverText === undefined ? undefined : excerpt(options.serverText);
    this.retryAfterMs = options.retryAfterMs;
    // The cause is kept only as a redacted message: a raw cause can hold a request with headers.
    if (options.cause !== undefined) this.causeMessage = redact(describeCause(options.cause));
  }

  /** HTTP status, when the error came from an HTTP answer. */
  readonly status: number | undefined;
  /** True when the same request may succeed later (429, 5xx, timeouts, network errors). */
  readonly retryable: boolean;
  /** Redacted text of the underlying error, if any. */
  readonly causeMessage: string | undefined;
}

/** The ADS API answered with an error status. */
export class AdsHttpError extends SubmissionError {
  override readonly name = 'AdsHttpError';
}

/** The token endpoint refused the request or could not be reached. */
export class TokenError extends SubmissionError {
  override readonly name = 'TokenError';
}

/** A time limit passed before an answer arrived. */
export class TimeoutError extends SubmissionError {
  override readonly name = 'TimeoutError';
}

/** The connection failed or was reset, before or during the answer. */
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

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const innerText = inner instanceof Error ? `: ${inner.message}` : '';
    return `${cause.name}: ${cause.message}${innerText}`;
  }
  return String(cause);
}

/** A one-line description of any error for logs and CLI output: never a stack trace, always redacted. */
export function describeError(error: unknown): string {
  if (error instanceof SubmissionError) {
    const parts = [error.message];
    if (error.serverText && !error.message.includes(error.serverText)) parts.push(`server said: ${error.serverText}`);
    if (error.causeMessage) parts.push(`cause: ${error.causeMessage}`);
    return parts.join('; ');
  }
  return redact(describeCause(error));
}
