/**
 * The one retry policy of the transports: bounded attempts, exponential backoff with jitter, the server's
 * `Retry-After` honoured up to a ceiling. The ADS client, the token client, MESH, CQI and the ADS outbox
 * all wait by {@link backoffDelay}; the short in-call retries all run through {@link withRetry}.
 */

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  maxAttempts: number;
  /** Backoff before the second attempt; doubles each time. */
  baseDelayMs: number;
  /** Ceiling on any one wait, including a server's `Retry-After`. */
  maxDelayMs: number;
}

/** Defaults: 5 attempts, 500 ms doubling, at most 60 s per wait. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Fills defaults and clamps nonsense (zero or negative attempts, negative delays) to something safe. */
export function resolveRetryPolicy(options: Partial<RetryPolicy> = {}, defaults: RetryPolicy = defaultRetryPolicy): RetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? defaults.maxAttempts)),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? defaults.baseDelayMs),
    maxDelayMs: Math.max(0, options.maxDelayMs ?? defaults.maxDelayMs),
  };
}

/**
 * The wait before attempt `attempt + 1`: the server's `Retry-After` when it gave one, else the exponential
 * step with jitter over its upper half; never more than `maxDelayMs`.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxDelayMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // Jitter with a floor of half the step: spreads a crowd of clients without collapsing to zero.
  return Math.round(step / 2 + (random() * step) / 2);
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

/** What the retry loop reads from an error: whether to try again and how long the server asked us to wait. */
export interface RetryHint {
  retryable?: boolean;
  retryAfterMs?: number;
}

/** Settings of {@link withRetry}. */
export interface RetryLoopOptions {
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  /** Which failures to retry; default: errors whose `retryable` is true. */
  shouldRetry?: (error: unknown) => boolean;
  /** Sees each failure that will be retried, with the wait chosen. */
  onRetry?: (error: unknown, delayMs: number, attempt: number) => void;
}

/** True for an error that says a retry may succeed. */
export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as RetryHint).retryable === true;
}

/**
 * Runs `attempt` until it succeeds, throws an error that is not to be retried, or the attempts run out
 * (the last error is rethrown).
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, policy: RetryPolicy, options: RetryLoopOptions): Promise<T> {
  const shouldRetry = options.shouldRetry ?? isRetryable;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.maxAttempts || !shouldRetry(error)) throw error;
      const hint = typeof error === 'object' && error !== null ? (error as RetryHint).retryAfterMs : undefined;
      const delay = backoffDelay(policy, n, hint, options.random);
      options.onRetry?.(error, delay, n);
      await options.sleep(delay);
    }
  }
}
