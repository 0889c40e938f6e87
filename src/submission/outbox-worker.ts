/**
 * Delivers outbox entries with a {@link BundleSubmitter}, a few at a time, recording each outcome.
 * Retryable failures go back to the queue with backoff until `maxAttempts`; anything else is `failed`.
 */
import { recordAudit, type AuditOption } from '../audit/option.js';
import { auditRecordIdOf, patientIdsOf } from '../audit/patient-ids.js';
import { backoffDelay, type Clock, type RetryPolicy, systemClock } from '../net/index.js';
import type { BundleSubmitter } from './client.js';
import { describeError, SubmissionError, type SubmissionErrorCode } from './errors.js';
import type { ClaimedEntry, Outbox, WriterLeaseOptions } from './outbox.js';

/** Settings of a worker. */
export interface OutboxWorkerOptions {
  /** Sends in flight at once (default 4). A crash can duplicate at most this many bundles. */
  concurrency?: number;
  /**
   * Outbox-level attempts per entry before it is `failed` (default 8); the backoff between them.
   * Each attempt is one `submit`, which has its own short retries inside.
   */
  retry?: RetryPolicy;
  clock?: Clock;
  random?: () => number;
  /** Called after each outcome; for progress output. Never receives a payload. */
  onOutcome?: (outcome: DeliveryOutcome) => void;
  /** Audit trail: each delivery attempt records a `submit` entry with outcome `accepted`, `retry` or `failed`. */
  audit?: AuditOption;
  /**
   * How to take the outbox's writer lease when the outbox does not hold it already: by default a second
   * worker on the same file is refused at once; `{ wait: true }` waits for the first to finish.
   */
  lease?: WriterLeaseOptions;
  /** Called when taking the lease re-queued sends a crashed worker left in `sending` (possible duplicates). */
  onRecovered?: (count: number) => void;
}

/** What happened to one claimed entry. */
export interface DeliveryOutcome {
  id: number;
  correlationId: string;
  result: 'accepted' | 'retry' | 'failed';
  receiptId?: string;
  error?: string;
}

/**
 * Failures that would be the same for every entry (credentials refused, the token endpoint down after
 * its own retries, an endpoint that redirects or whose certificate does not verify): halt with the entries
 * queued instead of failing the whole queue one by one.
 */
const HALTING_CODES = new Set<SubmissionErrorCode>([
  'token-rejected',
  'token-unavailable',
  'key',
  'config',
  'unauthorized',
  'forbidden',
  'redirect',
  'tls',
]);

const defaultOutboxRetry: RetryPolicy = { maxAttempts: 8, baseDelayMs: 2_000, maxDelayMs: 5 * 60_000 };

/** Runs deliveries for one outbox. */
export class OutboxWorker {
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly retry: RetryPolicy;
  private stopping = false;
  private halted: SubmissionError | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly submitter: BundleSubmitter,
    private readonly options: OutboxWorkerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.retry = options.retry ?? defaultOutboxRetry;
  }

  /** Asks a running {@link OutboxWorker.drain} to finish the sends in flight and return. */
  stop(): void {
    this.stopping = true;
  }

  /**
   * Delivers until nothing is queued (waiting for entries whose retry is due later), or until
   * {@link OutboxWorker.stop}. Resolves with the outbox status at the end.
   *
   * Rejects with the error when credentials fail (the token endpoint refuses the assertion or stays
   * unavailable, the key cannot be read, the API refuses a freshly minted token): that would fail every
   * entry alike, so the entries stay queued and delivery halts until the cause is fixed.
   *
   * Takes the outbox's writer lease first (unless the outbox holds it) and gives it back at the end;
   * rejects with an `outbox-busy` error when another worker holds it and `lease.wait` is not set.
   * Whatever it rejects with, the sends it had in flight have finished and been recorded by then.
   */
  async drain(): Promise<ReturnType<Outbox['status']>> {
    this.stopping = false;
    this.halted = undefined;
    const ownLease = !this.outbox.holdsWriterLease;
    if (ownLease) {
      const { recovered } = await this.outbox.takeWriterLease(this.options.lease);
      if (recovered > 0) this.options.onRecovered?.(recovered);
    }
    try {
      return await this.deliverAll();
    } finally {
      if (ownLease) this.outbox.releaseWriterLease();
    }
  }

  private async deliverAll(): Promise<ReturnType<Outbox['status']>> {
    const inFlight = new Set<Promise<void>>();
    try {
      for (;;) {
        if (!this.stopping) {
          for (const entry of this.outbox.claim(this.concurrency - inFlight.size)) {
            const p: Promise<void> = this.deliver(entry).finally(() => inFlight.delete(p));
            inFlight.add(p);
          }
        }
        if (inFlight.size > 0) {
          await Promise.race(inFlight);
          continue;
        }
        const due = this.outbox.nextDueAt();
        if (this.stopping || due === undefined) break;
        await this.clock.sleep(Math.max(10, due - this.clock.now()));
      }
    } catch (error) {
      // A state or audit write failed. The other sends in flight are still this lease's: let them finish and
      // be recorded before drain gives the lease back, or the next holder would re-queue and send them again.
      this.stopping = true;
      await Promise.allSettled(inFlight);
      throw error;
    }
    if (this.halted) throw this.halted;
    return this.outbox.status();
  }

  private async deliver(entry: ClaimedEntry): Promise<void> {
    const result = await this.deliverUnaudited(entry);
    if (!this.options.audit) return;
    let bundle: unknown;
    try {
      bundle = JSON.parse(entry.payload);
    } catch {
      bundle = undefined;
    }
    await recordAudit(this.options.audit, { action: 'submit', recordId: auditRecordIdOf(bundle), outcome: result, patientIds: patientIdsOf(bundle) });
  }

  private async deliverUnaudited(entry: ClaimedEntry): Promise<DeliveryOutcome['result']> {
    try {
      const receipt = await this.submitter.submit(entry.payload, { correlationId: entry.correlationId });
      this.outbox.markAccepted(entry.id, receipt.receiptId);
      this.options.onOutcome?.({ id: entry.id, correlationId: entry.correlationId, result: 'accepted', receiptId: receipt.receiptId });
      return 'accepted';
    } catch (error) {
      const reason = describeError(error);
      if (error instanceof SubmissionError && HALTING_CODES.has(error.code)) {
        this.outbox.markRetry(entry.id, reason, this.clock.now());
        this.halted ??= error;
        this.stopping = true;
        this.options.onOutcome?.({ id: entry.id, correlationId: entry.correlationId, result: 'retry', error: reason });
        return 'retry';
      }
      const retryable = error instanceof SubmissionError ? error.retryable : true;
      if (retryable && entry.attempts < this.retry.maxAttempts) {
        const retryAfter = error instanceof SubmissionError ? error.retryAfterMs : undefined;
        const delay = backoffDelay(this.retry, entry.attempts, retryAfter, this.options.random);
        this.outbox.markRetry(entry.id, reason, this.clock.now() + delay);
        this.options.onOutcome?.({ id: entry.id, correlationId: entry.correlationId, result: 'retry', error: reason });
        return 'retry';
      } else {
        const why = retryable ? `gave up after ${entry.attempts} attempts: ${reason}` : reason;
        this.outbox.markFailed(entry.id, why, error instanceof SubmissionError ? error.serverText : undefined);
        this.options.onOutcome?.({ id: entry.id, correlationId: entry.correlationId, result: 'failed', error: why });
        return 'failed';
      }
    }
  }
}
