import { describe, expect, it } from 'vitest';
import { MESH_RETRY_STATUSES, resolveRetryPolicy, retryDelayMs } from './retry.js';

describe('MESH retry policy', () => {
  it('retries exactly the documented transient statuses', () => {
    expect([...MESH_RETRY_STATUSES].sort()).toEqual([425, 429, 502, 503, 504]);
    expect(MESH_RETRY_STATUSES.has(500)).toBe(false);
  });

  it('defaults to three attempts and clamps bad values', () => {
    expect(resolveRetryPolicy().maxAttempts).toBe(3);
    expect(resolveRetryPolicy({ maxAttempts: 0 }).maxAttempts).toBe(1);
  });

  it('backs off exponentially with jitter inside the bound', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(50);
    expect(retryDelayMs(policy, 3, undefined, () => 0.999)).toBeLessThanOrEqual(400);
    expect(retryDelayMs(policy, 3, undefined, () => 0.999)).toBeGreaterThan(390);
    expect(retryDelayMs(policy, 10, undefined, () => 0.5)).toBe(1000);
  });

  it('honours Retry-After seconds but never beyond the cap', () => {
    const policy = resolveRetryPolicy({ maxDelayMs: 5000 });
    expect(retryDelayMs(policy, 1, '2')).toBe(2000);
    expect(retryDelayMs(policy, 1, '3600')).toBe(5000);
  });
});
