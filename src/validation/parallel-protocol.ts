import type { OperationOutcome } from 'fhir/r4';
import type { ValidationServiceOptions } from './service.js';
import { MESSAGE_ID_EXTENSION, RULE_SYSTEM } from '../plugin-types/index.js';

/**
 * Messages between a {@link ValidationPool} and its worker threads. Kept apart from the pool so the
 * worker bundle imports types only, never the pool itself.
 */

/** What a worker is started with (structured-cloned into the thread). */
export interface WorkerSetup {
  service: Pick<ValidationServiceOptions, 'packages' | 'ads' | 'store'>;
  profiles?: string[];
  withResource?: boolean;
}

/** One payload of a batch, as sent to a worker. */
export interface WorkerJob {
  text: string;
  format?: 'json' | 'xml';
}

/** One payload's result, as a worker sends it back. */
export interface WorkerResult {
  outcome: OperationOutcome;
  resource?: unknown;
}

export type ToWorker = { type: 'batch'; id: number; jobs: WorkerJob[] } | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'done'; id: number; results: WorkerResult[]; heapUsed: number };

/** An outcome holding one fatal issue (rule ADSFHIR_VALIDATOR_FAILED): a payload that could not be validated at all. */
export function fatalOutcome(text: string): OperationOutcome {
  const rule = 'ADSFHIR_VALIDATOR_FAILED';
  return { resourceType: 'OperationOutcome', issue: [{ extension: [{ url: MESSAGE_ID_EXTENSION, valueString: rule }], severity: 'fatal', code: 'exception', details: { coding: [{ system: RULE_SYSTEM, code: rule }], text } }] };
}
