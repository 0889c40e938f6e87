/**
 * Delivery of one encoded triage submission over mutual TLS, on the shared transport (`src/net`: server
 * always verified, TLS 1.2 or later, time limit, size cap, redirects refused) and the shared retry policy.
 */
import { classifyConnectionError, createTransport, type Exchange, NetError, type RetryPolicy, withRetry } from '../net/index.js';
import type { EncodedTriage } from './encoder.js';
import { TransportError, type TransportErrorCode } from './errors.js';
import { loadClientCredentials, type ClientTlsOptions } from './tls-credentials.js';

/** What the receiving service answered. */
export interface DeliveryReceipt {
  status: number;
  /** Response body, cut to 4 KiB. */
  body: string;
  /** Attempts made, 1 when the first one succeeded. */
  attempts: number;
}

/** A log event: codes and counts only, never bodies, headers or key material. */
export interface CqiLogEvent {
  level: 'info' | 'warn' | 'error';
  event: string;
  message: string;
}

/** Receives {@link CqiLogEvent}s; the default writes nothing. */
export type CqiLogger = (event: CqiLogEvent) => void;

/** Sends one encoded submission; the outbox client is written against this. */
export interface TriageTransport {
  send(payload: EncodedTriage, options?: { signal?: AbortSignal }): Promise<DeliveryReceipt>;
  close(): void;
}

/** Options of {@link HttpsTriageTransport}. */
export interface HttpsTransportOptions {
  /** Submission endpoint, `https:` only; issued on onboarding. */
  url: string;
  tls: ClientTlsOptions;
  /** Per attempt, from connecting to the end of the response. Default 10 000 ms. */
  timeoutMs?: number;
  /** Further attempts after a retryable failure. Default 3. */
  retries?: number;
  /** First back-off delay, doubled each retry with jitter. Default 250 ms. */
  backoffMs?: number;
  /** Upper bound of one back-off delay. Default 5 000 ms. */
  maxBackoffMs?: number;
  logger?: CqiLogger;
  /** Replaces the HTTP layer (tests); default: the shared transport with the client credentials. */
  exchange?: Exchange;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
/** Largest answer read; the receipt keeps its first 4 KiB. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The transport's failure as the CQI code the outbox records: the TLS cause by name, else its kind. */
function fromNetError(error: NetError): TransportError {
  const code: TransportErrorCode =
    error.tlsCode ?? (error.kind === 'timeout' ? 'TIMEOUT' : error.kind === 'aborted' ? 'DEADLINE' : error.kind === 'redirect' ? 'HTTP_STATUS' : 'NETWORK');
  return new TransportError(code, error.message, error.retryable, error.status);
}

/**
 * Turns a socket or TLS error into a {@link TransportError} that names the cause without echoing data.
 * `handshake` says how far the exchange got: a reset before any answer usually means a refused certificate.
 */
export function classifyTransportError(error: unknown, host: string, handshake: 'none' | 'done' | 'answered' = 'answered'): TransportError {
  if (error instanceof TransportError) return error;
  const stage = handshake === 'done' ? 'handshake-done' : handshake;
  return fromNetError(classifyConnectionError(error, 'CQI', host, stage));
}

/**
 * HTTPS POST over mutual TLS with per-attempt timeouts and retries with exponential back-off.
 * Credentials are checked when it is constructed.
 */
export class HttpsTriageTransport implements TriageTransport {
  private readonly url: URL;
  private readonly exchange: Exchange;
  private readonly closeTransport: () => void;
  private readonly log: CqiLogger;

  /** @throws TlsConfigError when the credentials are unusable; TypeError for a non-https URL. */
  constructor(private readonly options: HttpsTransportOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError('submission URL is not a valid URL');
    }
    if (url.protocol !== 'https:') throw new TypeError('submission URL must use https:');
    this.url = url;
    const credentials = loadClientCredentials(options.tls);
    if (options.exchange) {
      this.exchange = options.exchange;
      this.closeTransport = () => undefined;
    } else {
      const transport = createTransport({ service: 'CQI', tls: credentials.secureContextOptions, maxResponseBytes: MAX_ANSWER_BYTES });
      this.exchange = transport.exchange;
      this.closeTransport = transport.close;
    }
    this.log = options.logger ?? (() => {});
  }

  async send(payload: EncodedTriage, options: { signal?: AbortSignal } = {}): Promise<DeliveryReceipt> {
    const policy: RetryPolicy = { maxAttempts: (this.options.retries ?? 3) + 1, baseDelayMs: this.options.backoffMs ?? 250, maxDelayMs: this.options.maxBackoffMs ?? 5_000 };
    let attempt = 0;
    try {
      return await withRetry(
        async () => {
          attempt++;
          const receipt = await this.attempt(payload, options.signal);
          this.log({ level: 'info', event: 'cqi.delivered', message: `delivered with HTTP ${receipt.status} after ${attempt} attempt(s)` });
          return { ...receipt, attempts: attempt };
        },
        policy,
        {
          sleep: (ms) => sleep(ms, options.signal),
          // A deadline ends the whole delivery, not just one attempt.
          shouldRetry: (error) => error instanceof TransportError && error.retryable && error.code !== 'DEADLINE' && !options.signal?.aborted,
          onRetry: (error) => this.log({ level: 'warn', event: 'cqi.attempt-failed', message: `attempt ${attempt}: ${(error as TransportError).code}, will retry` }),
        },
      );
    } catch (e) {
      const error = options.signal?.aborted ? new TransportError('DEADLINE', 'deadline reached before delivery', true) : classifyTransportError(e, this.url.host);
      this.log({ level: 'error', event: 'cqi.attempt-failed', message: `attempt ${attempt}: ${error.code}` });
      throw error;
    }
  }

  private async attempt(payload: EncodedTriage, signal?: AbortSignal): Promise<{ status: number; body: string }> {
    let answer;
    try {
      answer = await this.exchange({
        method: 'POST',
        url: this.url.toString(),
        headers: { ...lowerCase(payload.headers), 'content-type': payload.contentType },
        body: typeof payload.body === 'string' ? Buffer.from(payload.body, 'utf8') : payload.body,
        timeoutMs: this.options.timeoutMs ?? 10_000,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw error instanceof NetError ? fromNetError(error) : error;
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw new TransportError('HTTP_STATUS', `${this.url.host} answered HTTP ${answer.status}`, RETRYABLE_STATUS.has(answer.status), answer.status);
    }
    return { status: answer.status, body: answer.body.subarray(0, 4096).toString('utf8') };
  }

  close(): void {
    this.closeTransport();
  }
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** A wait the caller's deadline cuts short (rejecting, so the retry loop stops). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new TransportError('DEADLINE', 'deadline reached before delivery', true));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TransportError('DEADLINE', 'deadline reached before delivery', true));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
