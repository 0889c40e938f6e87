/**
 * The Ambulance Data Submission API client: one bundle per `submit`, answered by a receipt id.
 *
 * The API acknowledges receipt only; validation errors arrive later over MESH. So a 200 here means
 * "received", and the receipt id is what a later error notification refers to.
 */
import { randomUUID } from 'node:crypto';
import { readOperationOutcomeIssues } from '../mesh/notifications.js';
import {
  type Clock,
  createTransport,
  defaultRetryPolicy,
  type Exchange,
  isRetryable,
  NetError,
  type NetResponse,
  parseRetryAfter,
  type RetryPolicy,
  systemClock,
  type TlsOptions,
  withRetry,
} from '../net/index.js';
import type { AccessTokenProvider } from './auth.js';
import { AdsHttpError, codeForStatus, fromNetError, isRetryableStatus, SubmissionError, TokenError } from './errors.js';
import type { SubmissionPath } from './environments.js';
import { describeIssues } from './outbox-notifications.js';
import { type RateLimitOptions, TokenBucket } from './rate-limit.js';

/**
 * Header carrying the correlation id. The ADS contract names none; `X-Correlation-ID` is the NHS API
 * Platform convention and is kept the same on every retry of one bundle so a duplicate can be recognised.
 */
export const CORRELATION_HEADER = 'X-Correlation-ID';
/** Header carrying an id unique to each HTTP attempt. */
export const REQUEST_ID_HEADER = 'X-Request-ID';

/** A structured event for logs: never a payload, a token or a key. */
export interface SubmissionLogEvent {
  event: 'attempt' | 'retry' | 'accepted' | 'failed' | 'token-refresh';
  correlationId: string;
  attempt?: number;
  status?: number;
  delayMs?: number;
  receiptId?: string;
  error?: string;
}

/** Settings of the ADS client. */
export interface AdsClientOptions {
  /** API base URL without the path, e.g. from `resolveEndpoints('integration').baseUrl`. */
  baseUrl: string;
  /** `$process-message` (default) or the legacy `submission`. */
  path?: SubmissionPath;
  /** Bearer tokens; omit for the open-access sandbox. */
  auth?: AccessTokenProvider;
  /** Client-side limit (default 300 per minute, one second's burst); `false` to disable. */
  rateLimit?: RateLimitOptions | false;
  /** Bounded retries on 429, 5xx, timeouts and network errors (default 5 attempts). */
  retry?: RetryPolicy;
  /** Time limit per attempt (default 30 s). */
  timeoutMs?: number;
  /** Largest answer read (default 1 MiB); larger ones are aborted unread. */
  maxResponseBytes?: number;
  /** A private CA, or a client certificate where the platform asks for mutual TLS. Server checks stay on. */
  tls?: TlsOptions;
  /** Replaces the HTTP layer (tests); default: the shared transport of `src/net` (redirects refused). */
  transport?: Exchange;
  clock?: Clock;
  random?: () => number;
  log?: (event: SubmissionLogEvent) => void;
}

/** Per-call settings. */
export interface SubmitOptions {
  /** Correlation id sent with every attempt of this bundle (default: a new uuid). */
  correlationId?: string;
}

/** A received bundle. */
export interface SubmissionReceipt {
  /** The submission id from the answer's `message` (or `id`, as older deployments sent). */
  receiptId: string;
  correlationId: string;
  /** HTTP attempts made, including retries. */
  attempts: number;
}

/** Anything that can deliver one bundle and answer with a receipt; the outbox depends only on this. */
export interface BundleSubmitter {
  submit(bundle: string | object, options?: SubmitOptions): Promise<SubmissionReceipt>;
}

/** The HTTP client for `POST {base}/$process-message`. */
export class AdsClient implements BundleSubmitter {
  private readonly url: string;
  private readonly clock: Clock;
  private readonly exchange: Exchange;
  private readonly closeTransport: () => void;
  private readonly bucket: TokenBucket | undefined;

  constructor(private readonly options: AdsClientOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/${options.path ?? '$process-message'}`;
    this.clock = options.clock ?? systemClock;
    if (options.transport) {
      this.exchange = options.transport;
      this.closeTransport = () => undefined;
    } else {
      const transport = createTransport({
        service: 'ADS submission',
        timeoutMs: options.timeoutMs ?? 30_000,
        maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
        ...(options.tls ? { tls: options.tls } : {}),
      });
      this.exchange = transport.exchange;
      this.closeTransport = transport.close;
    }
    this.bucket =
      options.rateLimit === false ? undefined : new TokenBucket(options.rateLimit ?? { perMinute: 300 }, this.clock);
  }

  /** The URL bundles are posted to. */
  get endpoint(): string {
    return this.url;
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.closeTransport();
  }

  /**
   * Posts one bundle (an object, or its JSON text as stored) and returns the receipt. Retries 429, 5xx,
   * timeouts and network errors with backoff; re-mints the token once on 401/403. Throws a
   * {@link SubmissionError} subclass otherwise.
   */
  async submit(bundle: string | object, options: SubmitOptions = {}): Promise<SubmissionReceipt> {
    const body = typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
    const correlationId = options.correlationId ?? randomUUID();
    let attempts = 0;
    const log = this.options.log;
    try {
      const receiptId = await withRetry(
        async () => {
          attempts++;
          return this.attemptWithAuth(body, correlationId, attempts);
        },
        this.options.retry ?? defaultRetryPolicy,
        {
          sleep: (ms) => this.clock.sleep(ms),
          ...(this.options.random ? { random: this.options.random } : {}),
          // The token client has already retried its own failures.
          shouldRetry: (error) => isRetryable(error) && !(error instanceof TokenError),
          onRetry: (error, delayMs, attempt) =>
            log?.({ event: 'retry', correlationId, attempt, status: (error as SubmissionError).status, delayMs, error: (error as Error).message }),
        },
      );
      log?.({ event: 'accepted', correlationId, attempt: attempts, receiptId });
      return { receiptId, correlationId, attempts };
    } catch (error) {
      log?.({
        event: 'failed',
        correlationId,
        attempt: attempts,
        status: error instanceof SubmissionError ? error.status : undefined,
        error: error instanceof Error ? error.message : 'unknown error',
      });
      throw error;
    }
  }

  private async attemptWithAuth(body: string, correlationId: string, attempt: number): Promise<string> {
    const auth = this.options.auth;
    const token = auth ? await auth.getToken() : undefined;
    const answer = await this.post(body, correlationId, token, attempt);
    if (auth && token && (answer.status === 401 || answer.status === 403)) {
      // One re-mint: the token may have been revoked or expired early. A second refusal is final.
      auth.invalidate(token);
      this.options.log?.({ event: 'token-refresh', correlationId, attempt, status: answer.status });
      return this.interpret(await this.post(body, correlationId, await auth.getToken(), attempt));
    }
    return this.interpret(answer);
  }

  private async post(body: string, correlationId: string, token: string | undefined, attempt: number) {
    await this.bucket?.acquire();
    this.options.log?.({ event: 'attempt', correlationId, attempt });
    const headers: Record<string, string> = {
      'content-type': 'application/fhir+json',
      accept: 'application/json',
      [CORRELATION_HEADER]: correlationId,
      [REQUEST_ID_HEADER]: randomUUID(),
    };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return await this.exchange({
        method: 'POST',
        url: this.url,
        headers,
        body,
        timeoutMs: this.options.timeoutMs ?? 30_000,
        maxResponseBytes: this.options.maxResponseBytes ?? 1024 * 1024,
      });
    } catch (error) {
      throw error instanceof NetError ? fromNetError(error) : error;
    }
  }

  private interpret(answer: NetResponse): string {
    const text = answer.body.toString('utf8');
    const json = parseJson(text) as Record<string, unknown> | undefined;
    if (answer.status >= 200 && answer.status < 300) {
      const receipt = json?.message ?? json?.id;
      if (typeof receipt === 'string' && receipt.length > 0) return receipt;
      throw new AdsHttpError('bad-response', `ADS answered ${answer.status} without a receipt id`, { status: answer.status, serverText: text });
    }
    const code = codeForStatus(answer.status);
    // Only the issues' codes and locations go in the message: their free text may quote the bundle.
    const issues = json?.resourceType === 'OperationOutcome' ? readOperationOutcomeIssues(json) : [];
    throw new AdsHttpError(code, `ADS answered ${answer.status} (${code})${issues.length ? `: ${describeIssues(issues)}` : ''}`, {
      status: answer.status,
      retryable: isRetryableStatus(answer.status),
      serverText: issues.length ? issues.flatMap((i) => [i.detailsText, i.diagnostics].filter((t) => t !== undefined)).join(' / ') : typeof json?.error === 'string' ? json.error : text,
      retryAfterMs: parseRetryAfter(answer.headers['retry-after'], this.clock.now()),
    });
  }
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
