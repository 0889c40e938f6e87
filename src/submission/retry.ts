/** Bounded retries with exponential backoff, full jitter and respect for the server's `Retry-After`. */
import type { Clock } from './clock.js';
import { SubmissionError } from './errors.js';

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

/** The wait before attempt `attempt + 1`: full jitter over the exponential step, or the server's ask. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter with a floor of half the step: spreads a crowd of clients without collapsing to zero.
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * Runs `attempt` until it succeeds, throws a non-retryable error, or the attempts run out
 * (the last error is rethrown). `onRetry` sees each failure that will be retried.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy,
  clock: Clock,
  options: {
    random?: () => number;
    onRetry?: (error: SubmissionError, delayMs: number, attempt: number) => void;
    /** Narrows which retryable errors this loop retries (another layer may already have retried them). */
    retryIf?: (error: SubmissionError) => boolean;
  } = {},
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof SubmissionError) || !error.retryable || n >= policy.maxAttempts) throw error;
      if (options.retryIf && !options.retryIf(error)) throw error;
      const delay = backoffDelay(policy, n, error.retryAfterMs, options.random);
      options.onRetry?.(error, delay, n);
      await clock.sleep(delay);
    }
  }
}
