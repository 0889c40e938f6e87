/**
 * The outbox's log of processing-service notifications received over MESH: what each one said, which
 * entry it matched and what reconciliation did with it. Kept beside the entries so one transaction
 * stores a notification and moves its entry, before the MESH message is acknowledged.
 */
import type Database from 'better-sqlite3';
import { excerpt } from '../net/index.js';
import { ENTRY_COLUMNS, type OutboxEntry, type OutboxKey, type Row, toEntry } from './outbox-rows.js';
import type { OutboxState } from './outbox-schema.js';

/** One problem the processing service reported (an OperationOutcome issue, reduced). */
export interface StoredIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  /** FHIR issue type, e.g. `invalid`, `required`, `business-rule`. */
  code: string;
  /** FHIRPath locations in the submitted bundle. */
  expression?: string[];
  /** The sender's rule code, when it codes its rules. */
  detailsCode?: string;
  /** Free text (`diagnostics`). It may quote submitted data: stored only when the outbox keeps free text. */
  diagnostics?: string;
  /** Free text (`details.text`), the issue's message; stored only when the outbox keeps free text. */
  detailsText?: string;
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
  // Errors first: a rejection with many informational notes must still show why it was rejected.
  const ordered = [...issues].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return `${issues.length} issue${issues.length === 1 ? '' : 's'}: ${ordered.map(describeIssue).join('; ')}`;
}

const SEVERITY_RANK: Readonly<Record<StoredIssue['severity'], number>> = { fatal: 0, error: 1, warning: 2, information: 3 };

/** One issue as `severity code [rule] @ location`, without the free text. */
export function describeIssue(i: StoredIssue): string {
  return `${i.severity} ${i.code}${i.detailsCode ? ` [${i.detailsCode}]` : ''}${i.expression?.length ? ` @ ${i.expression.join(', ')}` : ''}`;
}

/**
 * Displays of the FHIR R4 IssueType codes (http://hl7.org/fhir/issue-type): a message for an issue that
 * quotes nothing from the payload.
 */
const ISSUE_TYPE_DISPLAY: Readonly<Record<string, string>> = {
  invalid: 'Invalid Content', structure: 'Structural Issue', required: 'Required element missing', value: 'Element value invalid',
  invariant: 'Validation rule failed', security: 'Security Problem', login: 'Login Required', unknown: 'Unknown User',
  expired: 'Session Expired', forbidden: 'Forbidden', suppressed: 'Information Suppressed', processing: 'Processing Failure',
  'not-supported': 'Content not supported', duplicate: 'Duplicate', 'multiple-matches': 'Multiple Matches', 'not-found': 'Not Found',
  deleted: 'Deleted', 'too-long': 'Content Too Long', 'code-invalid': 'Invalid Code', extension: 'Unacceptable Extension',
  'too-costly': 'Operation Too Costly', 'business-rule': 'Business Rule Violation', conflict: 'Edit Version Conflict',
  transient: 'Transient Issue', 'lock-error': 'Lock Error', 'no-store': 'No Store Available', exception: 'Exception',
  timeout: 'Timeout', incomplete: 'Incomplete Results', throttled: 'Throttled', informational: 'Informational Note',
};

/**
 * One issue as a readable line with no patient data: `severity: <issue type's display> [rule] at <location>`.
 * The service's own words follow only when they were kept (the operator asked for free text).
 */
export function issueMessage(i: StoredIssue): string {
  const kind = ISSUE_TYPE_DISPLAY[i.code] ?? i.code;
  const where = i.expression?.length ? ` at ${i.expression.join(', ')}` : '';
  const said = [i.detailsText, i.diagnostics].filter((t): t is string => typeof t === 'string' && t.trim() !== '');
  return `${i.severity}: ${kind}${i.detailsCode ? ` [${i.detailsCode}]` : ''}${where}${said.length ? ` - "${said.join(' / ')}"` : ''}`;
}

/** What the notification log needs from the outbox; the caller holds the transaction. */
export interface NotificationContext {
  sql(text: string): Database.Statement;
  now(): number;
  get(key: OutboxKey): OutboxEntry | undefined;
  /** Whether the operator asked to keep the services' free text. */
  keepFreeText: boolean;
}

const RESOLVABLE_FROM: Record<'rejected' | 'confirmed', OutboxState[]> = {
  rejected: ['queued', 'sending', 'accepted', 'failed', 'rejected'],
  confirmed: ['accepted', 'confirmed'],
};

/**
 * Moves an entry to `rejected` or `confirmed` when its state allows it; false when it does not. Any state
 * but `confirmed` may become `rejected` (a notification can outrun our own record of the receipt); only
 * `accepted` entries become `confirmed`.
 */
export function transition(ctx: NotificationContext, entry: OutboxEntry, state: 'rejected' | 'confirmed', detail: string | undefined, receiptId: string | undefined): boolean {
  if (!RESOLVABLE_FROM[state].includes(entry.state)) return false;
  const now = ctx.now();
  ctx
    .sql(`UPDATE outbox_entries SET state = ?, detail = ?, receipt_id = COALESCE(receipt_id, ?), resolved_at = ?, updated_at = ? WHERE id = ?`)
    .run(state, detail === undefined ? null : excerpt(detail, 4000), receiptId ?? null, now, now, entry.id);
  return true;
}

/** Stores one MESH message in the log and applies it to the entry it names (see `Outbox.recordNotification`). */
export function applyNotification(ctx: NotificationContext, input: NotificationInput): RecordedNotification {
  const existing = storedNotification(ctx, input.meshMessageId);
  if (existing) return { record: existing, duplicate: true };
  let entry: OutboxEntry | undefined;
  let matchedBy: MatchedBy | undefined;
  let outcome: NotificationOutcome = 'report';
  const issues = input.kind === 'notification' ? input.issues.map((i) => keptIssue(i, ctx.keepFreeText)) : [];
  if (input.kind === 'notification') {
    ({ entry, matchedBy } = match(ctx, input.ref));
    const target = input.status === 'rejected' ? 'rejected' : 'confirmed';
    if (!entry) outcome = 'unmatched';
    else if (transition(ctx, entry, target, describeIssues(issues), input.ref.receiptId)) outcome = target;
    else outcome = 'ignored';
  }
  const ref = input.kind === 'notification' ? input.ref : {};
  ctx.sql(`INSERT INTO mesh_notifications (${NOTIFICATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    input.meshMessageId,
    input.kind,
    input.kind === 'notification' ? input.status : null,
    ref.receiptId ?? null,
    ref.correlationId ?? null,
    ref.bundleId ?? null,
    entry?.id ?? null,
    matchedBy ?? null,
    outcome,
    JSON.stringify(issues),
    input.kind === 'report' ? (input.reportCode ?? null) : null,
    input.kind === 'report' ? (input.linkedMessageId ?? null) : null,
    ctx.now(),
  );
  return { record: storedNotification(ctx, input.meshMessageId)!, duplicate: false };
}

/** Stored notifications, newest first: of one entry, the unmatched ones, or all. */
export function queryNotifications(ctx: NotificationContext, query: NotificationQuery): NotificationRecord[] {
  const where = query.entryId !== undefined ? 'WHERE entry_id = ?' : query.unmatched ? `WHERE kind = 'notification' AND entry_id IS NULL` : '';
  const params = query.entryId !== undefined ? [query.entryId] : [];
  const rows = ctx
    .sql(`SELECT ${NOTIFICATION_COLUMNS} FROM mesh_notifications ${where} ORDER BY received_at DESC, rowid DESC LIMIT ?`)
    .all(...params, query.limit ?? -1) as NotificationRow[];
  return rows.map(toNotificationRecord);
}

/** An issue as stored: free text only when kept, and then redacted (secrets, NHS numbers) and shortened. */
function keptIssue(issue: StoredIssue, keepFreeText: boolean): StoredIssue {
  const { diagnostics, detailsText, ...coded } = issue;
  if (!keepFreeText) return coded;
  return {
    ...coded,
    ...(diagnostics !== undefined ? { diagnostics: excerpt(diagnostics, 1000) } : {}),
    ...(detailsText !== undefined ? { detailsText: excerpt(detailsText, 1000) } : {}),
  };
}

/** The entry a notification names: by receipt id, else correlation id, else a bundle id naming exactly one entry. */
function match(ctx: NotificationContext, ref: NotificationRef): { entry?: OutboxEntry; matchedBy?: MatchedBy } {
  const byReceipt = ref.receiptId !== undefined ? ctx.get({ receiptId: ref.receiptId }) : undefined;
  if (byReceipt) return { entry: byReceipt, matchedBy: 'receiptId' };
  const byCorrelation = ref.correlationId !== undefined ? ctx.get({ correlationId: ref.correlationId }) : undefined;
  if (byCorrelation) return { entry: byCorrelation, matchedBy: 'correlationId' };
  if (ref.bundleId === undefined) return {};
  const rows = ctx
    .sql(`SELECT ${ENTRY_COLUMNS} FROM outbox_entries WHERE bundle_identifier = ? OR bundle_id = ? LIMIT 2`)
    .all(ref.bundleId, ref.bundleId) as Row[];
  // A bundle id sent more than once cannot say which submission was meant.
  return rows.length === 1 ? { entry: toEntry(rows[0]!), matchedBy: 'bundleId' } : {};
}

function storedNotification(ctx: NotificationContext, meshMessageId: string): NotificationRecord | undefined {
  const row = ctx.sql(`SELECT ${NOTIFICATION_COLUMNS} FROM mesh_notifications WHERE mesh_message_id = ?`).get(meshMessageId) as NotificationRow | undefined;
  return row ? toNotificationRecord(row) : undefined;
}
