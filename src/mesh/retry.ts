/**
 * MESH's part of the one retry policy (`src/net/retry.ts`): which statuses are transient, and the
 * defaults of the reference client (three attempts).
 */
import { resolveRetryPolicy, type RetryPolicy } from '../net/index.js';

/** Statuses MESH documents as transient; the reference client retries exactly these. */
export const MESH_RETRY_STATUSES: ReadonlySet<number> = new Set([425, 429, 502, 503, 504]);

/** Bounded exponential backoff with jitter; any field left out takes MESH's default. */
export type MeshRetryOptions = Partial<RetryPolicy>;

/** Resolved retry settings. */
export type MeshRetryPolicy = RetryPolicy;

/** MESH defaults: 3 attempts (two retries, as the reference client), 500 ms doubling, at most 30 s per wait. */
export const MESH_RETRY_DEFAULTS: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Fills MESH's defaults and clamps nonsense (zero or negative attempts) to something safe. */
export function resolveMeshRetryPolicy(options: MeshRetryOptions = {}): MeshRetryPolicy {
  return resolveRetryPolicy(options, MESH_RETRY_DEFAULTS);
}
