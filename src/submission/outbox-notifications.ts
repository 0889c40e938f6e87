/**
 * The outbox's log of processing-service notifications received over MESH: what each one said, which
 * entry it matched and what reconciliation did with it. Kept beside the entries so one transaction
 * stores a notification and moves its entry, before the MESH message is acknowledged.
 */

/** One problem the processing service reported (an OperationOutcome issue, reduced). */
export interface StoredIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  /** FHIR issue type, e.g. `invalid`, `required`, `business-rule`. */
  code: string;
  /** FHIRPath locations in the submitted bundle. */
  expression?: string[];
  /** The sender's rule code, when it codes its rules. */
  detailsCode?: string;
  /** Free text. It may quote submitted data: stored, never printed by the CLI. */
  diagnostics?: string;
}

/** Which submission a notification names; any one field may be enough. */
export interface NotificationRef {
  receiptId?: string;
  correlationId?: string;
  /** `Bundle.identifier.value`, else `Bundle.id`. */
  bundleId?: string;
}

/** A MESH message to record: a notification, or a MESH REPORT kept so acknowledging it loses nothing. */
export type NotificationInput =
  | { kind: 'notification'; meshMessageId: string; status: 'rejected' | 'accepted'; ref: NotificationRef; issues: StoredIssue[] }
  | { kind: 'report'; meshMessageId: string; reportCode?: string; linkedMessageId?: string };

/** What reconciliation did with a notification. */
export type NotificationOutcome =
  /** The entry became (or already was) `rejected`. */
  | 'rejected'
  /** The entry became (or already was) `confirmed`. */
  | 'confirmed'
  /** No entry matched (or the bundle id named several): stored for a person to look at. */
  | 'unmatched'
  /** An entry matched but its state does not allow the change (e.g. a confirmation for a failed entry). */
  | 'ignored'
  /** A MESH REPORT, stored only. */
  | 'report';

/** How the entry was found. */
export type MatchedBy = 'receiptId' | 'correlationId' | 'bundleId';

/** A stored notification. */
export interface NotificationRecord {
  meshMessageId: string;
  kind: NotificationInput['kind'];
  status: 'rejected' | 'accepted' | undefined;
  ref: NotificationRef;
  entryId: number | undefined;
  matchedBy: MatchedBy | undefined;
  outcome: NotificationOutcome;
  issues: StoredIssue[];
  reportCode: string | undefined;
  linkedMessageId: string | undefined;
  receivedAt: number;
}

/** The answer of `Outbox.recordNotification`. */
export interface RecordedNotification {
  record: NotificationRecord;
  /** True when this MESH message id was already stored: nothing changed. */
  duplicate: boolean;
}

/** Filter for `Outbox.notifications`. */
export interface NotificationQuery {
  entryId?: number;
  /** Only notifications no entry matched. */
  unmatched?: boolean;
  limit?: number;
}

/** Row of `mesh_notifications`. */
export interface NotificationRow {
  mesh_message_id: string;
  kind: NotificationInput['kind'];
  status: 'rejected' | 'accepted' | null;
  receipt_id: string | null;
  correlation_id: string | null;
  bundle_id: string | null;
  entry_id: number | null;
  matched_by: MatchedBy | null;
  outcome: NotificationOutcome;
  issues: string;
  report_code: string | null;
  linked_message_id: string | null;
  received_at: number;
}

export const NOTIFICATION_COLUMNS = `mesh_message_id, kind, status, receipt_id, correlation_id, bundle_id, entry_id, matched_by,
  outcome, issues, report_code, linked_message_id, received_at`;

export function toNotificationRecord(row: NotificationRow): NotificationRecord {
  const ref: NotificationRef = {};
  if (row.receipt_id !== null) ref.receiptId = row.receipt_id;
  if (row.correlation_id !== null) ref.correlationId = row.correlation_id;
  if (row.bundle_id !== null) ref.bundleId = row.bundle_id;
  return {
    meshMessageId: row.mesh_message_id,
    kind: row.kind,
    status: row.status ?? undefined,
    ref,
    entryId: row.entry_id ?? undefined,
    matchedBy: row.matched_by ?? undefined,
    outcome: row.outcome,
    issues: JSON.parse(row.issues) as StoredIssue[],
    reportCode: row.report_code ?? undefined,
    linkedMessageId: row.linked_message_id ?? undefined,
    receivedAt: row.received_at,
  };
}

/**
 * Issues as one line safe to print: severity, type, rule code and location of each; never the free-text
 * diagnostics, which may quote patient data.
 */
export function describeIssues(issues: readonly StoredIssue[]): string {
  if (issues.length === 0) return 'no issues given';
  return `${issues.length} issue${issues.length === 1 ? '' : 's'}: ${issues.map(describeIssue).join('; ')}`;
}

/** One issue as `severity code [rule] @ location`, without the free text. */
export function describeIssue(i: StoredIssue): string {
  return `${i.severity} ${i.code}${i.detailsCode ? ` [${i.detailsCode}]` : ''}${i.expression?.length ? ` @ ${i.expression.join(', ')}` : ''}`;
}
