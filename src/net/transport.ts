/**
 * The one HTTP transport of the ADS API, the token endpoint, MESH and CQI, over `node:http`/`node:https`.
 *
 * - TLS always verifies the server (1.2 or later); mutual TLS when a client certificate is configured.
 * - Plain `http:` only to loopback (stand-ins and tests): everything else carries patient data or secrets.
 * - One time limit for the whole exchange, so a server that trickles bytes cannot hold the caller.
 * - A response-size cap: the body is counted as it arrives and the exchange aborted past the cap.
 * - Redirects are refused, never followed: following one would re-post a bundle (and the bearer token) to
 *   another origin and store that origin's answer as a receipt. The error names the target's origin only.
 * - Every failure is a typed, redacted {@link NetError}.
 */
import http from 'node:http';
import https from 'node:https';
import type { SecureContextOptions, TLSSocket } from 'node:tls';
import { classifyConnectionError, type ExchangeStage } from './classify.js';
import { NetError } from './errors.js';

/** One request. Header names are lower case. */
export interface NetRequest {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Aborts the exchange (a caller's deadline): the error is kind `aborted`. */
  signal?: AbortSignal;
  /** Overrides the transport's time limit for this request. */
  timeoutMs?: number;
  /** Overrides the transport's response cap for this request. */
  maxResponseBytes?: number;
}

/** A complete answer (never a 3xx: those are refused). Header names are lower case. */
export interface NetResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends one request; clients add auth, retries and parsing on top. Inject one in tests. */
export type Exchange = (request: NetRequest) => Promise<NetResponse>;

/**
 * Server trust and, for mutual TLS, the client's credentials (PEM or PKCS#12). There is deliberately no
 * option to skip server verification.
 */
export interface TlsOptions extends Pick<SecureContextOptions, 'cert' | 'key' | 'pfx' | 'passphrase'> {
  /** CAs trusted for the server certificate; the platform's roots when absent. */
  ca?: SecureContextOptions['ca'];
  /** Expected server name when it differs from the URL host (SNI and certificate check). */
  servername?: string;
}

/** Settings of {@link createTransport}. */
export interface TransportOptions {
  /** Names the service in error messages, e.g. `ADS submission`, `MESH`, `CQI`. */
  service: string;
  tls?: TlsOptions;
  /** Whole-exchange time limit (default 30 s). */
  timeoutMs?: number;
  /** Largest answer read (default 1 MiB). */
  maxResponseBytes?: number;
  /** Sockets per host kept alive (default 4). */
  maxSockets?: number;
}

/** A transport and the keep-alive sockets it holds. */
export interface Transport {
  readonly exchange: Exchange;
  /** Closes idle sockets; call when done. */
  close(): void;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Parses an endpoint and refuses what the transport will not talk to: anything but `https:`, except
 * `http:` to loopback. The message names the scheme and host only.
 */
export function checkEndpoint(url: string, service: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NetError('endpoint', `${service}: the endpoint is not a valid URL`);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && (LOOPBACK.has(parsed.hostname) || /^127\./.test(parsed.hostname))) return parsed;
  throw new NetError('endpoint', `${service}: ${parsed.protocol}//${parsed.host} refused: use https (plain http is allowed on loopback only)`);
}

/** Creates a transport with its own keep-alive agents. */
export function createTransport(options: TransportOptions): Transport {
  const tls = options.tls ?? {};
  const httpsAgent = new https.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets ?? 4,
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.pfx !== undefined ? { pfx: tls.pfx } : {}),
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
    ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
    minVersion: 'TLSv1.2',
    // Set explicitly, after everything else: NODE_TLS_REJECT_UNAUTHORIZED=0 cannot weaken it.
    rejectUnauthorized: true,
  });
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 4 });
  const limits = { timeoutMs: options.timeoutMs ?? 30_000, maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024 };
  return {
    exchange: (request) => exchangeOnce(request, options.service, limits, (secure) => (secure ? httpsAgent : httpAgent)),
    close: () => {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
}

function exchangeOnce(
  request: NetRequest,
  service: string,
  defaults: { timeoutMs: number; maxResponseBytes: number },
  agentFor: (secure: boolean) => http.Agent,
): Promise<NetResponse> {
  let url: URL;
  try {
    url = checkEndpoint(request.url, service);
  } catch (error) {
    return Promise.reject(error);
  }
  const timeoutMs = request.timeoutMs ?? defaults.timeoutMs;
  const maxBytes = request.maxResponseBytes ?? defaults.maxResponseBytes;
  const secure = url.protocol === 'https:';
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const headers: Record<string, string> = { ...request.headers };
  if (body) headers['content-length'] = String(body.length);

  return new Promise<NetResponse>((resolve, reject) => {
    let settled = false;
    let stage: ExchangeStage = 'none';
    const req = (secure ? https : http).request(url, { method: request.method, headers, agent: agentFor(secure) });
    const finish = (error: NetError | undefined, response?: NetResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(response!);
    };
    const timer = setTimeout(
      () => finish(new NetError('timeout', `${service}: no complete answer from ${url.host} within ${timeoutMs} ms`, { retryable: true })),
      timeoutMs,
    );
    const onAbort = () => finish(new NetError('aborted', `${service}: the exchange with ${url.host} was cut short by the caller's deadline`, { retryable: true }));
    if (request.signal?.aborted) return onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket) => {
      if (!secure || (socket as TLSSocket).authorized) stage = 'handshake-done';
      else socket.once('secureConnect', () => (stage = 'handshake-done'));
    });
    req.on('error', (error) => finish(classifyConnectionError(error, service, url.host, stage)));
    req.on('response', (res) => {
      stage = 'answered';
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const target = originOf(res.headers.location, url);
        finish(
          new NetError('redirect', `${service}: ${url.host} answered ${status} redirecting to ${target}; redirects are refused and were not followed`, {
            status,
            retryable: false,
            redirectOrigin: target,
          }),
        );
        return;
      }
      const tooLarge = () =>
        new NetError('too-large', `${service}: the answer from ${url.host} exceeded the ${maxBytes}-byte limit; reading stopped`, { status });
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes) return finish(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return finish(tooLarge());
        chunks.push(chunk);
      });
      res.on('error', (error) => finish(classifyConnectionError(error, service, url.host, stage)));
      res.on('end', () => {
        if (!res.complete) return finish(new NetError('network', `${service}: ${url.host} closed the connection before the answer was complete`, { retryable: true }));
        finish(undefined, { status, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks) });
      });
      // A connection that closes without 'end' (reset mid-body, when no 'error' says so) is a network failure.
      res.on('close', () => finish(new NetError('network', `${service}: ${url.host} closed the connection before the answer was complete`, { retryable: true })));
    });
    req.end(body);
  });
}

/** The origin a Location header points at, resolved against the request URL; never its path or query. */
function originOf(location: string | undefined, base: URL): string {
  if (!location) return 'nowhere (no Location header)';
  try {
    const target = new URL(location, base);
    return target.origin === 'null' ? `${target.protocol}//` : target.origin;
  } catch {
    return 'an unreadable location';
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
