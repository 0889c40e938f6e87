import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { backoffDelay, parseRetryAfter } from '../net/index.js';
import { TokenBucket } from './rate-limit.js';

/** A clock that only moves when someone sleeps. */
function virtualClock(): Clock {
  let t = 0;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

describe('TokenBucket', () => {
  it('lets a one-second burst through, then holds to the configured rate', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ perMinute: 300 }, clock);
    const times: number[] = [];
    for (let i = 0; i < 305; i++) {
      await bucket.acquire();
      times.push(clock.now());
    }
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // 300 further requests at 5 per second take 60 s.
    expect(times.at(-1)).toBeGreaterThanOrEqual(60_000);
    expect(times.at(-1)).toBeLessThanOrEqual(60_200);
  });

  it('serves concurrent waiters in order', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ perMinute: 60, burst: 1 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2].map((i) => bucket.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2]);
    expect(clock.now()).toBe(2_000);
  });
});

describe('Retry-After and backoff', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:30 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('grows exponentially with jitter and obeys the ceiling and the server', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(policy, 1, undefined, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, undefined, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, undefined, () => 1)).toBe(400);
    expect(backoffDelay(policy, 10, undefined, () => 1)).toBe(1_000);
    expect(backoffDelay(policy, 1, 5_000)).toBe(1_000);
    expect(backoffDelay(policy, 1, 300)).toBe(300);
  });
});
