/**
 * One HTTP exchange with a time limit and a size cap, on the global `fetch` (or an injected one).
 *
 * The body is streamed and counted: an answer past the cap is aborted without being buffered,
 * so a 2 GB response costs at most `maxResponseBytes` of memory.
 */
import { NetworkError, ResponseTooLargeError, TimeoutError } from './errors.js';

/** The `fetch` signature the transport needs; inject a fake one in tests. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A completed exchange: status, headers and the whole (capped) body as text. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** Limits on one exchange. */
export interface ExchangeLimits {
  /** Abort when no complete answer arrived in this many milliseconds. */
  timeoutMs: number;
  /** Abort when the body grows past this many bytes. */
  maxResponseBytes: number;
}

/** Sends one request and reads its body within the limits; every failure is a typed, redacted error. */
export async function exchange(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  limits: ExchangeLimits,
  what: string,
): Promise<HttpAnswer> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, signal: controller.signal });
    } catch (error) {
      throw transportError(error, timedOut, what, limits.timeoutMs);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
      controller.abort();
      throw new ResponseTooLargeError(
        'response-too-large',
        `${what}: answer of ${declared} bytes exceeds the ${limits.maxResponseBytes}-byte limit`,
        { status: response.status },
      );
    }
    let text: string;
    try {
      text = await readCapped(response, limits.maxResponseBytes, controller, what);
    } catch (error) {
      if (error instanceof ResponseTooLargeError) throw error;
      throw transportError(error, timedOut, what, limits.timeoutMs);
    }
    return { status: response.status, headers: response.headers, text };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(
  response: Response,
  maxBytes: number,
  controller: AbortController,
  what: string,
): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      controller.abort();
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(
        'response-too-large',
        `${what}: answer exceeded the ${maxBytes}-byte limit; reading stopped`,
        { status: response.status },
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function transportError(error: unknown, timedOut: boolean, what: string, timeoutMs: number): Error {
  if (timedOut) {
    return new TimeoutError('timeout', `${what}: no complete answer within ${timeoutMs} ms`, { retryable: true });
  }
  return new NetworkError('network', `${what}: connection failed`, { retryable: true, cause: error });
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined for a missing or unreadable value; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
