import type { AuditActor, AuditEvent, AuditSink } from './types.js';

/**
 * The one audit option every entry point that touches patient data takes: where to record and who is acting.
 * Pure types and helpers: core capabilities import this module (never the SQLite store).
 */
export interface AuditOption {
  sink: AuditSink;
  /** The locally authenticated user, as the calling application knows them. */
  actor: AuditActor;
}

/** An event as an entry point reports it; the actor comes from the {@link AuditOption}. */
export type AuditReport = Omit<AuditEvent, 'actor'>;

/** A sink whose `record` returned a promise was handed to a synchronous entry point. */
export class AuditSinkError extends Error {
  readonly code = 'AUDIT_SINK_ASYNC';
  constructor() {
    super('this call records synchronously: its audit sink must record synchronously (SqliteAuditStore does)');
    this.name = 'AuditSinkError';
  }
}

/**
 * Records one entry from a synchronous entry point (validate, build, enqueue). Throws
 * {@link AuditSinkError} when the sink answers with a promise, because its failure could not be reported.
 */
export function recordAuditSync(audit: AuditOption | undefined, report: AuditReport): void {
  if (!audit) return;
  const result = audit.sink.record({ ...report, actor: audit.actor });
  if (result && typeof (result as Promise<void>).then === 'function') {
    (result as Promise<void>).catch(() => undefined);
    throw new AuditSinkError();
  }
}

/** Records one entry from an asynchronous entry point, awaiting the sink. */
export async function recordAudit(audit: AuditOption | undefined, report: AuditReport): Promise<void> {
  if (audit) await audit.sink.record({ ...report, actor: audit.actor });
}
