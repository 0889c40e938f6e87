import { request, type Agent } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { TransportError, type TransportErrorCode } from './errors.js';
import type { EncodedTriage } from './encoder.js';
import { createMutualTlsAgent, loadClientCredentials, type ClientTlsOptions } from './tls-credentials.js';

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
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);
const CLIENT_REFUSED = /ALERT_(BAD_CERTIFICATE|CERTIFICATE_EXPIRED|UNKNOWN_CA|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR|HANDSHAKE_FAILURE|CERTIFICATE_REVOKED)$/;
const PROTOCOL = /UNSUPPORTED_PROTOCOL|ALERT_PROTOCOL_VERSION|NO_PROTOCOLS_AVAILABLE|WRONG_VERSION_NUMBER/;
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Turns a socket or TLS error into a {@link TransportError} that names the cause without echoing data. */
export function classifyTransportError(error: unknown, host: string, handshake: 'none' | 'done' | 'answered' = 'answered'): TransportError {
  if (error instanceof TransportError) return error;
  let code = (error as NodeJS.ErrnoException)?.code ?? '';
  // OpenSSL reports some alerts only as EPROTO with the alert in the text: recover the alert name, never echo the text.
  if (code === 'EPROTO') {
    const alert = /alert ([a-z ]+?)(?::|$)/i.exec((error as Error).message ?? '')?.[1];
    if (alert) code = `ERR_SSL_ALERT_${alert.trim().toUpperCase().replace(/ /g, '_')}`;
    else if (/unsupported protocol|wrong version number|no protocols available/i.test((error as Error).message ?? '')) code = 'ERR_SSL_UNSUPPORTED_PROTOCOL';
  }
  const fail = (c: TransportErrorCode, message: string, retryable: boolean) => new TransportError(c, message, retryable);
  if (UNTRUSTED.has(code)) return fail('SERVER_CERT_UNTRUSTED', `server certificate of ${host} is not signed by a trusted CA (${code})`, false);
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return fail('SERVER_CERT_EXPIRED', `server certificate of ${host} is outside its validity period (${code})`, false);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return fail('HOSTNAME_MISMATCH', `server certificate is not issued for ${host}`, false);
  if (PROTOCOL.test(code)) return fail('TLS_PROTOCOL_TOO_OLD', `${host} did not agree TLS 1.2 or later (${code})`, false);
  if (CLIENT_REFUSED.test(code)) return fail('CLIENT_CERT_REFUSED', `${host} refused the client certificate (${code})`, false);
  if (code === 'ECONNRESET' && handshake !== 'answered') {
    return fail('NETWORK', `${host} closed the connection ${handshake === 'done' ? 'just after' : 'during'} the TLS handshake without answering; the most common cause is a client certificate it does not accept (${code})`, true);
  }
  if (code === 'ECONNRESET' || code === 'ECONNREFUSED' || code === 'EPIPE' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return fail('NETWORK', `network error talking to ${host} (${code})`, true);
  }
  return fail('NETWORK', `connection to ${host} failed${code ? ` (${code})` : ''}`, true);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * HTTPS POST over mutual TLS with per-attempt timeouts and retries with
 * exponential back-off. Credentials are checked when it is constructed.
 */
export class HttpsTriageTransport implements TriageTransport {
  private readonly url: URL;
  private readonly agent: Agent;
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
    this.agent = createMutualTlsAgent(loadClientCredentials(options.tls));
    this.log = options.logger ?? (() => {});
  }

  async send(payload: EncodedTriage, options: { signal?: AbortSignal } = {}): Promise<DeliveryReceipt> {
    const retries = this.options.retries ?? 3;
    const base = this.options.backoffMs ?? 250;
    const cap = this.options.maxBackoffMs ?? 5_000;
    for (let attempt = 1; ; attempt++) {
      try {
        const { status, body } = await this.attempt(payload, options.signal);
        if (status >= 200 && status < 300) {
          this.log({ level: 'info', event: 'cqi.delivered', message: `delivered with HTTP ${status} after ${attempt} attempt(s)` });
          return { status, body, attempts: attempt };
        }
        throw new TransportError('HTTP_STATUS', `${this.url.host} answered HTTP ${status}`, RETRYABLE_STATUS.has(status), status);
      } catch (e) {
        const error = options.signal?.aborted ? new TransportError('DEADLINE', 'deadline reached before delivery', true) : classifyTransportError(e, this.url.host);
        const last = !error.retryable || attempt > retries || error.code === 'DEADLINE';
        this.log({ level: last ? 'error' : 'warn', event: 'cqi.attempt-failed', message: `attempt ${attempt}: ${error.code}${last ? '' : ', will retry'}` });
        if (last) throw error;
        const delay = Math.min(cap, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        try {
          await sleep(delay, options.signal);
        } catch {
          throw new TransportError('DEADLINE', 'deadline reached before delivery', true);
        }
      }
    }
  }

  private attempt(payload: EncodedTriage, signal?: AbortSignal): Promise<{ status: number; body: string }> {
    const body = typeof payload.body === 'string' ? Buffer.from(payload.body, 'utf8') : payload.body;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const req = request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: { ...payload.headers, 'Content-Type': payload.contentType, 'Content-Length': String(body.length) },
        ...(signal ? { signal } : {}),
      });
      // One timer for the whole exchange: a server that trickles bytes cannot hold the caller.
      const timer = setTimeout(() => req.destroy(new TransportError('TIMEOUT', `no complete answer from ${this.url.host} within ${timeoutMs} ms`, true)), timeoutMs);
      const done = <T>(f: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        f(v);
      };
      // How far the exchange got tells a refused client certificate from other resets.
      let stage: 'none' | 'done' | 'answered' = 'none';
      req.on('socket', (socket) => {
        if ((socket as TLSSocket).authorized) stage = 'done';
        else socket.once('secureConnect', () => (stage = 'done'));
      });
      req.on('error', done((e: Error) => reject(classifyTransportError(e, this.url.host, stage))));
      req.on('response', (res) => {
        stage = 'answered';
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 4096) chunks.push(c);
          size += c.length;
        });
        res.on('error', done((e: Error) => reject(classifyTransportError(e, this.url.host, stage))));
        res.on('end', done(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 4096) })));
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
