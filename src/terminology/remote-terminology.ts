import { type TerminologyAdapter, type ValidateCodeRequest, type ValidateCodeResult, validateCodeKey } from './adapter.js';
import { LruCache } from './lru.js';

/** A cached remote answer, or the reason the service could not be asked. */
export type RemoteAnswer = ValidateCodeResult | { failed: string };

export interface RemoteTerminologyOptions {
  /** Most answers kept (LRU). Default 10 000. */
  capacity?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** How long a failed question is reported as failed before it is asked again. Default 30 000 ms. */
  failureRetryMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Bridges the synchronous validation path to an asynchronous terminology adapter.
 *
 * During validation the binding checker only reads answers already cached here; each question it could
 * not answer is recorded as pending. {@link resolvePending} then asks the adapter for all of them at once,
 * and a second validation pass reads the answers. {@link validateWithRemoteTerminology} does both passes.
 */
export class RemoteTerminology {
  private readonly answers: LruCache<string, ValidateCodeResult>;
  private readonly pending = new Map<string, ValidateCodeRequest>();
  /** Recent failures, so the second pass reports them instead of queueing them again. */
  private readonly failures = new LruCache<string, { message: string; at: number }>(1_000);
  private readonly concurrency: number;
  private readonly failureRetryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly adapter: TerminologyAdapter,
    options: RemoteTerminologyOptions = {},
  ) {
    this.answers = new LruCache(options.capacity ?? 10_000);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.failureRetryMs = options.failureRetryMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached answer for a request; records it as pending when there is none. */
  lookup(request: ValidateCodeRequest): RemoteAnswer | undefined {
    const key = validateCodeKey(request);
    const answer = this.answers.get(key);
    if (answer) return answer;
    const failure = this.failures.get(key);
    if (failure && this.now() - failure.at <= this.failureRetryMs) return { failed: failure.message };
    if (!this.pending.has(key)) this.pending.set(key, request);
    return undefined;
  }

  /** Number of questions waiting for {@link resolvePending}. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Asks the adapter every pending question; never rejects (failures are remembered for `failureRetryMs`). */
  async resolvePending(): Promise<void> {
    const queue = [...this.pending.entries()];
    this.pending.clear();
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [key, request] = next;
        try {
          this.answers.set(key, await this.adapter.validateCode(request));
        } catch (e) {
          this.failures.set(key, { message: describeFailure(e), at: this.now() });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
  }
}

/**
 * Runs a synchronous validation, resolves the codes it could not settle offline through the remote
 * terminology, and runs it again when there were any. The second pass is served from the cache.
 */
export async function validateWithRemoteTerminology<T>(remote: RemoteTerminology, run: () => T): Promise<T> {
  const first = run();
  if (remote.pendingCount === 0) return first;
  await remote.resolvePending();
  return run();
}

function describeFailure(e: unknown): string {
  // Only the error's kind and message: a request URL could carry patient-derived codes and tokens.
  if (e instanceof Error) return e.name === 'TimeoutError' ? 'the terminology server did not answer in time' : e.message.slice(0, 200);
  return 'the terminology server could not be reached';
}
