/** Statuses MESH documents as transient; the reference client retries exactly these. */
export const MESH_RETRY_STATUSES: ReadonlySet<number> = new Set([425, 429, 502, 503, 504]);

/** Bounded exponential backoff with full jitter. */
export interface MeshRetryOptions {
  /** Total attempts including the first; default 3 (two retries, as the reference client). */
  maxAttempts?: number;
  /** First backoff in ms; doubles per retry. Default 500. */
  baseDelayMs?: number;
  /** Upper bound of any single wait, including a server `Retry-After`. Default 30 000. */
  maxDelayMs?: number;
}

/** Resolved retry settings. */
export interface MeshRetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Fills defaults and clamps nonsense (zero or negative attempts) to something safe. */
export function resolveRetryPolicy(options: MeshRetryOptions = {}): MeshRetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 3)),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? 500),
    maxDelayMs: Math.max(0, options.maxDelayMs ?? 30_000),
  };
}

/**
 * Delay before retry number `retry` (1-based): a server `Retry-After` in seconds when present,
 * otherwise `base * 2^(retry-1)` scaled by a random factor in [0.5, 1); always at most `maxDelayMs`.
 */
export function retryDelayMs(
  policy: MeshRetryPolicy,
  retry: number,
  retryAfter: string | undefined,
  random: () => number = Math.random,
): number {
  const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  const raw = seconds !== undefined ? seconds * 1000 : policy.baseDelayMs * 2 ** (retry - 1) * (0.5 + random() / 2);
  return Math.min(policy.maxDelayMs, Math.max(0, Math.round(raw)));
}
