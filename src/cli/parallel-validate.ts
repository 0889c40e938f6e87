import { stat } from 'node:fs/promises';
import type { OperationOutcome } from 'fhir/r4';
import type { FileOutcome } from '../reporting/index.js';
import { defaultWorkerCount, toOperationOutcome, ValidationPool } from '../validation/index.js';
import { readPayloads, type UnreadablePayload } from './inputs.js';
import type { Progress } from './progress.js';

/**
 * What a worker pool costs and gives, as the bench measures it (`npx tsx bench/run.ts ndjson`, see
 * docs/benchmarks.md): a worker validates at about this share of the main thread's rate (batches and results
 * are copied between threads) ...
 */
const WORKER_EFFICIENCY = 0.6;
/** ... each worker first loads the packages (in parallel, on a warm package cache), validating nothing ... */
const WORKER_STARTUP_S = 1.5;
/** ... and the main thread validates typical payloads at about this many bytes a second (the fastest kind: small resources). */
const MAIN_THREAD_BYTES_PER_S = 7e6;

/**
 * Worker threads for `ads-fhir validate`: the number asked for (0 = validate in the main thread), or,
 * when not asked, what {@link workersFor} decides from the total size of the input and the cores.
 * Undefined when the number asked for is not a whole number from 0 (a usage error).
 */
export async function chooseWorkerCount(asked: number | undefined, files: readonly string[]): Promise<number | undefined> {
  if (asked !== undefined) return Number.isInteger(asked) && asked >= 0 ? asked : undefined;
  let bytes = 0;
  for (const file of files) bytes += (await stat(file).catch(() => undefined))?.size ?? 0;
  return workersFor(bytes, defaultWorkerCount());
}

/**
 * One worker per core when that is expected to finish sooner than the main thread alone, else 0. The main
 * thread would take `t = bytes / MAIN_THREAD_BYTES_PER_S`; the pool about `startup + t / (cores × efficiency)`.
 * Workers are used only when they save at least half as much again as their start-up: so never on one core,
 * on two cores (1.2 threads' worth of work at best) only for inputs of about 95 MB and more, on four from
 * about 27 MB. The rate assumed is the fastest measured, so the work is never overestimated: when in doubt the
 * run stays in the main thread, which is never slower than a pool that does not pay for itself.
 */
export function workersFor(bytes: number, cores: number): number {
  const gain = 1 - 1 / (cores * WORKER_EFFICIENCY);
  if (cores < 2 || gain <= 0) return 0;
  const mainThreadSeconds = bytes / MAIN_THREAD_BYTES_PER_S;
  return mainThreadSeconds * gain >= 1.5 * WORKER_STARTUP_S ? cores : 0;
}

/** Reads `--workers`; anything but a whole number from 0 is refused by {@link chooseWorkerCount}. */
export function parseWorkers(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}

export interface ParallelRunOptions {
  workers: number;
  packages: string[];
  profiles: string[];
  maxBytes: number;
  keepSource: boolean;
  progress: Progress;
  /** Takes each result as it arrives instead of collecting them (the returned list is then empty). */
  onResult?: (result: FileOutcome) => void;
}

/**
 * Validates every payload of `files` on a pool of worker threads, in the order read. Files are read
 * as the workers need more, so a large NDJSON file never sits in memory whole.
 * Throws a ValidationPoolError when the workers cannot start or all stop.
 */
export async function validateFilesInParallel(files: readonly string[], options: ParallelRunOptions): Promise<FileOutcome[]> {
  const pool = await ValidationPool.create({
    workers: options.workers,
    service: { packages: options.packages },
    profiles: options.profiles,
    withResource: options.keepSource,
  });
  const results: FileOutcome[] = [];
  try {
    for await (const { item, outcome, resource } of pool.validate(payloadItems(files, options))) {
      const result: FileOutcome = { file: item.name, outcome, ...(options.keepSource && resource !== undefined ? { source: JSON.stringify(resource) } : {}) };
      if (options.onResult) options.onResult(result);
      else results.push(result);
    }
  } finally {
    await pool.close();
  }
  return results;
}

type Item = { name: string; text: string; format: 'json' | 'xml' } | { name: string; outcome: OperationOutcome };

async function* payloadItems(files: readonly string[], options: ParallelRunOptions): AsyncGenerator<Item> {
  for (const file of files) {
    try {
      for await (const payload of readPayloads(file, { maxBytes: options.maxBytes })) {
        yield 'problem' in payload ? { name: payload.name, outcome: problemOutcome(payload) } : payload;
      }
    } catch {
      yield { name: file, outcome: fatal('The file could not be read') };
    }
    options.progress.tick(file);
  }
}

/** The outcome of an input that could not be read. */
/** The outcome of an input that was not validated: a fatal issue, or the reader's own finding (with its rule id). */
export function problemOutcome(payload: UnreadablePayload): OperationOutcome {
  if (!payload.finding) return fatal(payload.problem);
  return toOperationOutcome([{ rule: payload.finding.rule, severity: 'warning', code: 'informational', expression: '', message: payload.problem, line: payload.finding.line, column: 1 }]);
}

export function fatal(text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'structure', details: { text } }] };
}
