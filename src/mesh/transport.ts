import http from 'node:http';
import https from 'node:https';
import { MeshConfigError, MeshNetworkError, MeshResponseTooLargeError } from './errors.js';

/** One HTTP exchange as the MESH client sees it. Header names are lower case. */
export interface MeshRequest {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** A fully buffered MESH response. Header names are lower case. */
export interface MeshResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends one request; the client adds auth, retries and parsing on top. Inject one in tests. */
export type MeshTransport = (request: MeshRequest) => Promise<MeshResponse>;

/**
 * Mutual TLS material for real MESH deployments: the client certificate issued for
 * `local_id.ods_code.api.mesh-client.nhs.uk`, its private key (and passphrase), and the
 * environment's root/sub CA. Server certificate verification is always on and cannot be disabled.
 */
export interface MeshTlsOptions {
  cert?: string | Buffer;
  key?: string | Buffer;
  ca?: string | Buffer | Array<string | Buffer>;
  passphrase?: string;
  /** Expected server name when it differs from the URL host (SNI and certificate check). */
  servername?: string;
}

/** Limits applied by the built-in transports. */
export interface MeshTransportLimits {
  /** Abort a response body larger than this; default 110 MiB (MESH allows 100 MB per request). */
  maxResponseBytes?: number;
  /** Abort a request that has not completed within this many ms; default 120 000. */
  timeoutMs?: number;
}

const DEFAULT_MAX_RESPONSE = 110 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * The default transport over `node:http`/`node:https` with a keep-alive agent. TLS options turn on
 * mutual TLS; `rejectUnauthorized` is always true.
 */
export function nodeHttpTransport(options: { tls?: MeshTlsOptions } & MeshTransportLimits = {}): MeshTransport {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tls = options.tls ?? {};
  const httpsAgent = new https.Agent({
    keepAlive: true,
    rejectUnauthorized: true,
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
    ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
  });
  const httpAgent = new http.Agent({ keepAlive: true });

  return (request) =>
    new Promise<MeshResponse>((resolve, reject) => {
      const url = new URL(request.url);
      const isHttps = url.protocol === 'https:';
      const lib = isHttps ? https : http;
      const headers: Record<string, string> = { ...request.headers };
      if (request.body) headers['content-length'] = String(request.body.length);
      const req = lib.request(
        url,
        { method: request.method, headers, agent: isHttps ? httpsAgent : httpAgent },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              req.destroy(new MeshResponseTooLargeError(maxBytes));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            if (!res.complete) {
              reject(new MeshNetworkError('MESH connection closed before the response was complete'));
              return;
            }
            resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks) });
          });
          res.on('error', (err) => reject(toNetworkError(err)));
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new MeshNetworkError(`MESH request timed out after ${timeoutMs} ms`)));
      req.on('error', (err) => reject(toNetworkError(err)));
      req.end(request.body);
    });
}

/**
 * Adapts a WHATWG `fetch` (the global one, or a test double) to {@link MeshTransport}. Extra
 * `init` fields such as an undici `dispatcher` (for mutual TLS or a mock agent) are passed through.
 * Standard fetch already decodes `Content-Encoding: gzip`, so that header is dropped from the result
 * to stop the client decoding twice; pass `decodesContentEncoding: false` for a fetch that does not.
 */
export function fetchTransport(
  fetchImpl: typeof fetch = globalThis.fetch,
  options: { init?: Record<string, unknown>; decodesContentEncoding?: boolean } & MeshTransportLimits = {},
): MeshTransport {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const decodes = options.decodesContentEncoding ?? true;
  return async (request) => {
    let res: Response;
    try {
      res = await fetchImpl(request.url, {
        ...options.init,
        method: request.method,
        headers: request.headers,
        ...(request.body ? { body: request.body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      } as RequestInit);
    } catch (err) {
      throw toNetworkError(err);
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    if (decodes) delete headers['content-encoding'];
    const declared = Number(headers['content-length'] ?? '0');
    if (declared > maxBytes) throw new MeshResponseTooLargeError(maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    if (res.body) {
      try {
        for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += part.length;
          if (size > maxBytes) throw new MeshResponseTooLargeError(maxBytes);
          chunks.push(Buffer.from(part));
        }
      } catch (err) {
        if (err instanceof MeshResponseTooLargeError) throw err;
        throw toNetworkError(err);
      }
    }
    return { status: res.status, headers, body: Buffer.concat(chunks) };
  };
}

/**
 * Refuses plain `http://` except on loopback: MESH traffic carries patient data and must be
 * encrypted. Loopback is allowed for local stand-ins and tests.
 */
export function assertSafeBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new MeshConfigError('MESH base URL is not a valid URL');
  }
  if (url.protocol === 'https:') return url;
  const loopback = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
  if (url.protocol === 'http:' && loopback) return url;
  throw new MeshConfigError(`MESH base URL must use https (plain http is only allowed on loopback): ${url.protocol}//${url.host}`);
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** TLS set-up failures: certificate, key or protocol problems that a retry cannot fix. */
const TLS_FAILURE = /^(ERR_TLS|ERR_SSL|ERR_OSSL|UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT|ERR_CRYPTO)/;

function toNetworkError(err: unknown): Error {
  if (err instanceof MeshResponseTooLargeError || err instanceof MeshNetworkError) return err;
  const code = (err as { code?: unknown })?.code;
  const name = (err as { name?: unknown })?.name;
  const reason = typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown error';
  return new MeshNetworkError(`MESH connection failed (${reason})`, { cause: err, retryable: !TLS_FAILURE.test(reason) });
}
