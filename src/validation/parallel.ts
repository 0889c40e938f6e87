import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OperationOutcome } from 'fhir/r4';
import { fatalOutcome, type FromWorker, type ToWorker, type WorkerJob, type WorkerResult, type WorkerSetup } from './parallel-protocol.js';
import type { ValidationServiceOptions } from './service.js';

/** How to set up a {@link ValidationPool}. */
export interface ValidationPoolOptions {
  /** Worker threads. Default: the machine's available parallelism (at least 1). */
  workers?: number;
  /** Payloads sent to a worker in one message. Default 64. */
  batchSize?: number;
  /** Batches a worker may hold at once (one running, the rest queued so it never waits). Default 2. */
  batchesPerWorker?: number;
  /**
   * Batches read and not yet taken by the consumer, at most: the memory bound. Results that finish
   * out of order wait in this window, so a worker slowed down for a moment does not stall the others.
   * Default 8 per worker.
   */
  batchesAhead?: number;
  /** Packages and store options for each worker's ValidationService (must be structured-cloneable). */
  service?: Pick<ValidationServiceOptions, 'packages' | 'ads' | 'store'>;
  /** Profiles every payload is validated against too. */
  profiles?: string[];
  /** Also return each payload as FHIR JSON (for reports that show it). */
  withResource?: boolean;
  /**
   * Largest old-generation heap of each worker, in MB (V8's default when absent). A worker that
   * needs more stops with an out-of-memory error, reported on the payloads it held.
   */
  maxHeapMb?: number;
  /** Workers replaced after a crash before the pool gives up. Default 3. */
  maxRestarts?: number;
  /** A different worker module speaking the same protocol (tests). Default: `parallel-worker` beside this module. */
  workerUrl?: URL;
}

/** A payload to validate. An item that already has its `outcome` (an unreadable input) keeps its place in the order but is not sent to a worker. */
export type ParallelItem = WorkerJob | { outcome: OperationOutcome };

/** One payload's result, yielded in input order. */
export interface ParallelResult<T extends ParallelItem> {
  item: T;
  /** Position of the item in the input, from 0. */
  index: number;
  outcome: OperationOutcome;
  resource?: unknown;
}

/** Figures about a pool's work so far. */
export interface ValidationPoolStats {
  workers: number;
  batches: number;
  restarts: number;
  /** Largest V8 heap a worker reported after a batch, in bytes (its thread only; RSS is the process's). */
  peakWorkerHeapBytes: number;
  /**
   * Share of time the live workers spent validating since they were ready (mean event-loop utilisation,
   * 0..1). Near 1 means the pool kept every worker busy; CPU time beyond that is the machine's to give.
   */
  workerBusy: number;
}

/** The pool cannot go on: every worker stopped and none could be restarted, or none could start. */
export class ValidationPoolError extends Error {
  override readonly name = 'ValidationPoolError';
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Event-loop utilisation when the worker became ready, to measure its busy share from then. */
  readyElu?: EventLoopUtilization;
  /** Batch ids sent to this worker and not answered yet. */
  assigned: Set<number>;
  lastError?: string;
}

interface Batch<T extends ParallelItem> {
  items: T[];
  /** The payloads sent to a worker, kept to send again if the worker stops before starting on them. */
  jobs: WorkerJob[];
  /** Results by item position; filled for pre-decided items at once, for the rest when the worker answers. */
  results: (WorkerResult | undefined)[];
  done: boolean;
}

const DEFAULT_BATCH = 64;

/**
 * Validates many payloads on all cores: each worker thread loads its own ValidationService once (the
 * package cache on disk makes that quick) and validates batches streamed to it. Results come back in
 * input order, and only a bounded number of batches is read ahead, so memory stays flat however
 * long the input is. A worker that crashes costs only its batches: their payloads get a fatal issue
 * saying so, and a new worker takes its place.
 */
export class ValidationPool {
  private readonly slots: Slot[] = [];
  private readonly setup: WorkerSetup;
  private readonly url: URL;
  private readonly batchSize: number;
  private readonly perWorker: number;
  private readonly window: number;
  private readonly maxRestarts: number;
  private readonly maxHeapMb: number | undefined;
  private readonly batches = new Map<number, Batch<ParallelItem>>();
  private nextBatchId = 0;
  private restarts = 0;
  private peakHeap = 0;
  private batchCount = 0;
  private running = false;
  private closing = false;
  private wake: () => void = () => {};

  private constructor(private readonly size: number, options: ValidationPoolOptions) {
    this.setup = {
      service: options.service ?? {},
      ...(options.profiles?.length ? { profiles: options.profiles } : {}),
      ...(options.withResource ? { withResource: true } : {}),
    };
    this.url = options.workerUrl ?? workerModuleUrl();
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    this.perWorker = Math.max(1, options.batchesPerWorker ?? 2);
    this.window = Math.max(this.perWorker * size, options.batchesAhead ?? 8 * size);
    this.maxRestarts = options.maxRestarts ?? 3;
    this.maxHeapMb = options.maxHeapMb;
  }

  /** Starts the workers and waits until each has loaded its validator. Throws a ValidationPoolError when they cannot start. */
  static async create(options: ValidationPoolOptions = {}): Promise<ValidationPool> {
    const size = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
    const pool = new ValidationPool(size, options);
    const starting = Array.from({ length: size }, () => pool.start());
    const outcomes = await Promise.allSettled(starting);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) {
      await pool.close();
      throw failed.reason instanceof ValidationPoolError ? failed.reason : new ValidationPoolError(String(failed.reason));
    }
    return pool;
  }

  get stats(): ValidationPoolStats {
    const busy = this.slots.flatMap((s) => (s.readyElu ? [s.worker.performance.eventLoopUtilization(s.readyElu).utilization] : []));
    const workerBusy = busy.length ? busy.reduce((a, b) => a + b, 0) / busy.length : 0;
    return { workers: this.size, batches: this.batchCount, restarts: this.restarts, peakWorkerHeapBytes: this.peakHeap, workerBusy };
  }

  /**
   * Validates every item and yields the results in input order. The input is read only as fast as
   * results are taken, a few batches ahead. One call at a time per pool.
   */
  async *validate<T extends ParallelItem>(items: AsyncIterable<T> | Iterable<T>): AsyncGenerator<ParallelResult<T>> {
    if (this.running) throw new ValidationPoolError('This pool is already validating another input');
    if (this.closing) throw new ValidationPoolError('This pool is closed');
    this.running = true;
    const source = toAsyncIterator(items);
    const mine: number[] = [];
    let exhausted = false;
    let index = 0;
    try {
      for (;;) {
        while (!exhausted && mine.length < this.window && this.hasRoom()) {
          const batchItems: T[] = [];
          while (batchItems.length < this.batchSize) {
            const next = await source.next();
            if (next.done) {
              exhausted = true;
              break;
            }
            batchItems.push(next.value);
          }
          if (batchItems.length) mine.push(this.dispatch(batchItems));
        }
        const head = mine[0];
        if (head === undefined) return;
        const batch = this.batches.get(head) as Batch<T> | undefined;
        if (batch?.done) {
          mine.shift();
          this.batches.delete(head);
          for (let i = 0; i < batch.items.length; i++) {
            const result = batch.results[i] ?? { outcome: fatalOutcome('No result came back for this payload') };
            yield { item: batch.items[i] as T, index: index++, ...result };
          }
          continue;
        }
        this.assertAlive();
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      // A consumer that stops early leaves its batches behind: their answers are dropped on arrival.
      for (const id of mine) this.batches.delete(id);
      await source.return?.();
      this.running = false;
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private dispatch<T extends ParallelItem>(items: T[]): number {
    const id = this.nextBatchId++;
    const jobs: WorkerJob[] = [];
    const results: (WorkerResult | undefined)[] = items.map((item) => {
      if ('outcome' in item) return { outcome: item.outcome };
      jobs.push({ text: item.text, ...(item.format ? { format: item.format } : {}) });
      return undefined;
    });
    const batch: Batch<T> = { items, jobs, results, done: jobs.length === 0 };
    this.batches.set(id, batch as Batch<ParallelItem>);
    if (!batch.done) this.send(id, jobs);
    return id;
  }

  /** Whether some worker holds fewer batches than it may (or none is left, which send reports). */
  private hasRoom(): boolean {
    return this.slots.length === 0 || this.slots.some((s) => s.assigned.size < this.perWorker);
  }

  private send(id: number, jobs: WorkerJob[]): void {
    this.assertAlive();
    const slot = this.slots.reduce((a, b) => (b.assigned.size < a.assigned.size ? b : a));
    slot.assigned.add(id);
    this.batchCount++;
    slot.worker.postMessage({ type: 'batch', id, jobs } satisfies ToWorker);
  }

  private receive(slot: Slot, id: number, answers: WorkerResult[]): void {
    slot.assigned.delete(id);
    const batch = this.batches.get(id);
    if (!batch) return;
    let next = 0;
    for (let i = 0; i < batch.results.length; i++) if (batch.results[i] === undefined) batch.results[i] = answers[next++];
    batch.done = true;
    this.wake();
  }

  /**
   * A worker stopped without being asked. A worker takes its batches in order, so the oldest one it
   * held is the one it was validating: its payloads are reported as not validated (sending them again
   * could crash the next worker the same way). The batches only queued behind it go to the others.
   */
  private lost(slot: Slot, code: number): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    if (this.closing) return;
    if (slot.ready && this.restarts < this.maxRestarts) {
      this.restarts++;
      // A replacement that fails to start is reported by assertAlive once no worker is left.
      this.start().catch(() => undefined);
    }
    const why = slot.lastError ? `: ${slot.lastError}` : ` (exit code ${code})`;
    const held = [...slot.assigned].sort((a, b) => a - b).filter((id) => this.batches.has(id));
    slot.assigned.clear();
    held.forEach((id, n) => {
      const batch = this.batches.get(id) as Batch<ParallelItem>;
      if (n > 0 && this.slots.length > 0) {
        this.batchCount--;
        this.send(id, batch.jobs);
        return;
      }
      for (let i = 0; i < batch.results.length; i++) {
        batch.results[i] ??= { outcome: fatalOutcome(`Not validated: the validation worker stopped unexpectedly${why}`) };
      }
      batch.done = true;
    });
    this.wake();
  }

  private assertAlive(): void {
    if (this.slots.length === 0) throw new ValidationPoolError('Every validation worker stopped and none could be restarted');
  }

  private start(): Promise<void> {
    const entry = workerEntry(this.url);
    const worker = new Worker(entry.script, {
      workerData: this.setup,
      eval: entry.eval,
      ...(this.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } } : {}),
    });
    const slot: Slot = { worker, ready: false, assigned: new Set() };
    this.slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          slot.ready = true;
          slot.readyElu = worker.performance.eventLoopUtilization();
          resolve();
        } else if (message.type === 'failed') {
          slot.lastError = message.message;
          reject(new ValidationPoolError(`A validation worker could not load its packages: ${message.message}`));
          void worker.terminate();
        } else if (message.type === 'done') {
          this.peakHeap = Math.max(this.peakHeap, message.heapUsed);
          this.receive(slot, message.id, message.results);
        }
      });
      worker.on('error', (e) => {
        slot.lastError = e instanceof Error ? e.message : String(e);
      });
      worker.on('exit', (code) => {
        if (!slot.ready) reject(new ValidationPoolError(`A validation worker stopped while starting${slot.lastError ? `: ${slot.lastError}` : ''}`));
        this.lost(slot, code);
      });
    });
  }
}

/**
 * Validates items on a pool made for this input and closed afterwards. See {@link ValidationPool}.
 */
export async function* validateInParallel<T extends ParallelItem>(
  items: AsyncIterable<T> | Iterable<T>,
  options: ValidationPoolOptions = {},
): AsyncGenerator<ParallelResult<T>> {
  const pool = await ValidationPool.create(options);
  try {
    yield* pool.validate(items);
  } finally {
    await pool.close();
  }
}

/** The machine's available parallelism, at least 1. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** The worker module beside this one: `.ts` when running from source (tsx, vitest), `.js` in the built bundles. */
function workerModuleUrl(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './parallel-worker.ts' : './parallel-worker.js', import.meta.url);
}

/**
 * How to start the worker thread for `url`. A `.ts` module (running from source) is started through a
 * small bootstrap that registers tsx in the thread first: Node 20 does not apply `--import` loaders
 * given in a Worker's `execArgv`.
 */
function workerEntry(url: URL): { script: URL | string; eval: boolean } {
  if (!url.pathname.endsWith('.ts')) return { script: url, eval: false };
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const script = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return { script, eval: true };
}

function toAsyncIterator<T>(items: AsyncIterable<T> | Iterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in items) return items[Symbol.asyncIterator]();
  const it = items[Symbol.iterator]();
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}
