import { type TerminologyAdapter, type ValidateCodeRequest, type ValidateCodeResult, validateCodeKey } from './adapter.js';
import { LruCache } from './lru.js';

/** A cached remote answer, or the reason the service could not be asked. */
export type RemoteAnswer = ValidateCodeResult | { failed: string };

export interface RemoteTerminologyOptions {
  /** Most answers kept (LRU). Default 10 000. */
  capacity?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
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
  /** Failures of the latest round, so a second pass reports them instead of asking again. */
  private failures = new Map<string, string>();
  private readonly concurrency: number;

  constructor(
    private readonly adapter: TerminologyAdapter,
    options: RemoteTerminologyOptions = {},
  ) {
    this.answers = new LruCache(options.capacity ?? 10_000);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /** The cached answer for a request; records it as pending when there is none. */
  lookup(request: ValidateCodeRequest): RemoteAnswer | undefined {
    const key = validateCodeKey(request);
    const answer = this.answers.get(key);
    if (answer) return answer;
    const failure = this.failures.get(key);
    if (failure !== undefined) return { failed: failure };
    if (!this.pending.has(key)) this.pending.set(key, request);
    return undefined;
  }

  /** Number of questions waiting for {@link resolvePending}. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Asks the adapter every pending question; never rejects (failures are remembered for this round). */
  async resolvePending(): Promise<void> {
    const queue = [...this.pending.entries()];
    this.pending.clear();
    this.failures = new Map();
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [key, request] = next;
        try {
          this.answers.set(key, await this.adapter.validateCode(request));
        } catch (e) {
          this.failures.set(key, describeFailure(e));
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
