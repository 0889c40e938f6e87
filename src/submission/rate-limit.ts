/**
 * Client-side token bucket, so a trust's own software stays under the platform's per-application
 * limit (300 per minute for the ADS product) instead of learning it from 429s.
 */
import { type Clock, systemClock } from './clock.js';

/** Rate limit settings. */
export interface RateLimitOptions {
  /** Sustained requests per minute (default 300). */
  perMinute: number;
  /**
   * Bucket size: how many requests may go back to back after a quiet spell (default: one second's
   * worth, at least 1). A small burst keeps the limiter close to the platform's spike arrest.
   */
  burst?: number;
}

/** A token bucket shared by every request of one client. Waiters are served first come, first served. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    options: RateLimitOptions,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(options.perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.perMs = options.perMinute / 60_000;
    this.capacity = Math.max(1, options.burst ?? Math.floor(options.perMinute / 60));
    this.tokens = this.capacity;
    this.last = clock.now();
  }

  /** Resolves when one request may go. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.takeOne());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeOne(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil((1 - this.tokens) / this.perMs));
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }
}
