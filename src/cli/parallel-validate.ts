import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { OperationOutcome } from 'fhir/r4';
import type { FileOutcome } from '../reporting/index.js';
import { defaultWorkerCount, ValidationPool } from '../validation/index.js';
import { readPayloads } from './inputs.js';
import type { Progress } from './progress.js';

/** Below this much NDJSON (and this many files) starting worker threads costs more than it saves. */
const AUTO_NDJSON_BYTES = 1024 * 1024;
const AUTO_FILE_COUNT = 200;

/**
 * Worker threads for `ads-fhir validate`: the number asked for (0 = validate in the main thread), or,
 * when not asked, every core once the input is large (NDJSON over 1 MB or 200 files or more).
 * Undefined when the number asked for is not a whole number from 0 (a usage error).
 */
export async function chooseWorkerCount(asked: number | undefined, files: readonly string[]): Promise<number | undefined> {
  if (asked !== undefined) return Number.isInteger(asked) && asked >= 0 ? asked : undefined;
  const cores = defaultWorkerCount();
  if (cores < 2) return 0;
  if (files.length >= AUTO_FILE_COUNT) return cores;
  let ndjsonBytes = 0;
  for (const file of files) {
    if (extname(file).toLowerCase() !== '.ndjson') continue;
    ndjsonBytes += (await stat(file).catch(() => undefined))?.size ?? 0;
    if (ndjsonBytes >= AUTO_NDJSON_BYTES) return cores;
  }
  return 0;
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
        yield 'problem' in payload ? { name: payload.name, outcome: fatal(payload.problem) } : payload;
      }
    } catch {
      yield { name: file, outcome: fatal('The file could not be read') };
    }
    options.progress.tick(file);
  }
}

/** The outcome of an input that could not be read. */
export function fatal(text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'structure', details: { text } }] };
}
