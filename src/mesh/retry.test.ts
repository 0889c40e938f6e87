import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../net/index.js';
import { MESH_RETRY_STATUSES, resolveMeshRetryPolicy } from './retry.js';

describe('MESH retry policy', () => {
  it('retries exactly the documented transient statuses', () => {
    expect([...MESH_RETRY_STATUSES].sort()).toEqual([425, 429, 502, 503, 504]);
    expect(MESH_RETRY_STATUSES.has(500)).toBe(false);
  });

  it('defaults to three attempts and clamps bad values', () => {
    expect(resolveMeshRetryPolicy().maxAttempts).toBe(3);
    expect(resolveMeshRetryPolicy({ maxAttempts: 0 }).maxAttempts).toBe(1);
  });

  it('waits by the shared backoff: exponential with jitter inside the bound, Retry-After up to the cap', () => {
    const policy = resolveMeshRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect(backoffDelay(policy, 1, undefined, () => 0)).toBe(50);
    expect(backoffDelay(policy, 3, undefined, () => 0.999)).toBeLessThanOrEqual(400);
    expect(backoffDelay(policy, 3, undefined, () => 0.999)).toBeGreaterThan(390);
    expect(backoffDelay(policy, 10, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(resolveMeshRetryPolicy({ maxDelayMs: 5000 }), 1, 2000)).toBe(2000);
    expect(backoffDelay(resolveMeshRetryPolicy({ maxDelayMs: 5000 }), 1, 3_600_000)).toBe(5000);
  });
});
