/**
 * Reconciliation: the processing service's notifications, fetched from MESH, are matched to outbox entries
 * and stored with their detail; each entry moves to `rejected` or `confirmed`; only then is the MESH
 * message acknowledged. A crash between storing and acknowledging leaves the message in the inbox, and the
 * next run stores it once (the log is keyed by MESH message id).
 */
import { recordAudit, type AuditOption } from '../audit/option.js';
import { auditRecordIdOf, patientIdsOf } from '../audit/patient-ids.js';
import {
  DefaultNotificationParser,
  MeshError,
  type MeshClient,
  type MeshPolledItem,
  type NotificationParser,
  pollNotifications,
} from '../mesh/index.js';
import type { Outbox } from './outbox.js';
import type { NotificationInput, NotificationOutcome } from './outbox-notifications.js';

/** Settings of {@link reconcile}. */
export interface ReconcileOptions {
  /**
   * Audit trail: each notification read records a `read` entry for the bundle it names (outcome = the
   * event's result), with the NHS numbers of the matched outbox bundle hashed.
   */
  audit?: AuditOption;
  /** Reads the processing service's messages; default: the project's default format. */
  parser?: NotificationParser;
  /** Only MESH messages of this workflow (e.g. `ADS_FHIR_NOTIFICATION`); default every workflow. */
  workflowFilter?: string;
  /** Called for each MESH message handled; the event carries ids and counts only. */
  onEvent?: (event: ReconcileEvent) => void;
}

/** What happened to one MESH message, with ids and counts only (safe to print). */
export interface ReconcileEvent {
  messageId: string;
  result:
    | NotificationOutcome
    /** Already stored by an earlier run (the acknowledgement was lost): acknowledged now. */
    | 'duplicate'
    /** The parser did not understand it: left in the inbox. */
    | 'unrecognised'
    /** The download failed (missing chunk, gone, corrupt): left in the inbox. */
    | 'failed';
  entryId?: number;
  bundleId?: string;
  receiptId?: string;
  issueCount?: number;
  /** Whether the MESH message was acknowledged. */
  acknowledged: boolean;
  /** The typed MESH error of a failed download or acknowledgement (no secrets). */
  error?: string;
}

/** Counts of one {@link reconcile} run. */
export type ReconcileSummary = Record<ReconcileEvent['result'], number> & {
  acknowledged: number;
  /** Stored, but the acknowledgement failed: the message is seen again next time and stored once. */
  ackFailed: number;
  events: ReconcileEvent[];
};

/**
 * Polls the MESH inbox once through, and for each message: stores it in the outbox's notification log
 * and applies it to the entry it names (one durable transaction), then acknowledges it. Unrecognised
 * messages and failed downloads stay in the inbox. A failed acknowledgement is counted and the run goes
 * on. Errors that stop all progress (auth, connection) are thrown; what was stored stays stored.
 */
export async function reconcile(outbox: Outbox, mesh: MeshClient, options: ReconcileOptions = {}): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = {
    rejected: 0, confirmed: 0, unmatched: 0, ignored: 0, report: 0, duplicate: 0, unrecognised: 0, failed: 0,
    acknowledged: 0, ackFailed: 0, events: [],
  };
  const parser = options.parser ?? new DefaultNotificationParser();
  const poll = options.workflowFilter !== undefined ? { workflowFilter: options.workflowFilter } : {};
  for await (const item of pollNotifications(mesh, parser, poll)) {
    const event = await handle(outbox, item);
    summary[event.result] += 1;
    if (event.acknowledged) summary.acknowledged += 1;
    else if (event.error !== undefined && item.kind !== 'failed') summary.ackFailed += 1;
    summary.events.push(event);
    if (options.audit) await auditRead(options.audit, outbox, event);
    options.onEvent?.(event);
  }
  return summary;
}

async function auditRead(audit: AuditOption, outbox: Outbox, event: ReconcileEvent): Promise<void> {
  const payload = event.entryId !== undefined ? outbox.payload(event.entryId) : undefined;
  let bundle: unknown;
  try {
    bundle = payload !== undefined ? JSON.parse(payload) : undefined;
  } catch {
    bundle = undefined;
  }
  // The matched bundle names the record; a notification that matched nothing is named by its message id.
  const recordId = bundle !== undefined ? auditRecordIdOf(bundle) : event.bundleId !== undefined ? `Bundle?identifier=${event.bundleId}` : `notification/${event.messageId}`;
  await recordAudit(audit, { action: 'read', recordId, outcome: event.result, patientIds: patientIdsOf(bundle) });
}

async function handle(outbox: Outbox, item: MeshPolledItem): Promise<ReconcileEvent> {
  if (item.kind === 'failed') {
    return { messageId: item.messageId, result: 'failed', acknowledged: false, error: `${item.error.name}: ${item.error.message}` };
  }
  if (item.kind === 'unrecognised') return { messageId: item.messageId, result: 'unrecognised', acknowledged: false };
  const input: NotificationInput =
    item.kind === 'report'
      ? {
          kind: 'report',
          meshMessageId: item.messageId,
          ...(item.metadata.statusCode !== undefined ? { reportCode: item.metadata.statusCode } : {}),
          ...(item.metadata.linkedMessageId !== undefined ? { linkedMessageId: item.metadata.linkedMessageId } : {}),
        }
      : {
          kind: 'notification',
          meshMessageId: item.messageId,
          status: item.notification.status,
          ref: item.notification.submissionRef,
          issues: item.notification.issues,
        };
  const { record, duplicate } = outbox.recordNotification(input);
  const event: ReconcileEvent = {
    messageId: item.messageId,
    result: duplicate ? 'duplicate' : record.outcome,
    acknowledged: false,
    ...(record.entryId !== undefined ? { entryId: record.entryId } : {}),
    ...(record.ref.bundleId !== undefined ? { bundleId: record.ref.bundleId } : {}),
    ...(record.ref.receiptId !== undefined ? { receiptId: record.ref.receiptId } : {}),
    ...(record.kind === 'notification' ? { issueCount: record.issues.length } : {}),
  };
  try {
    await item.ack();
    event.acknowledged = true;
  } catch (error) {
    if (!(error instanceof MeshError)) throw error;
    event.error = `${error.name}: ${error.message}`;
  }
  return event;
}
