import type { AuditEvent, AuditSink } from './types.js';

/**
 * Runs `work` and records one audit entry for it: outcome `success`, or
 * `failure` with the error's `code` as detail (never its message, which may
 * carry data). The error is re-thrown unchanged. For wiring the trail into
 * read, build, validate and submit calls without repeating the bookkeeping.
 */
export async function audited<T>(sink: AuditSink | undefined, event: Omit<AuditEvent, 'outcome'>, work: () => T | Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (e) {
    const code = (e as { code?: unknown })?.code;
    await sink?.record({ ...event, outcome: 'failure', detail: typeof code === 'string' ? code : 'error' });
    throw e;
  }
  await sink?.record({ ...event, outcome: 'success' });
  return result;
}
