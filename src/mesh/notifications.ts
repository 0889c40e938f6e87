import type { MeshClient } from './client.js';
import { MeshGoneError, MeshIntegrityError, MeshMissingChunkError, MeshNotFoundError, MeshResponseTooLargeError, type MeshError } from './errors.js';
import type { MeshMessageMetadata } from './message.js';

/** How a notification points back at a submission; any one field may be enough to match. */
export interface SubmissionRef {
  /** The id the ADS API returned for the submission (`message`, or `id` on older deployments). */
  receiptId?: string;
  /** The correlation id sent with the submission request. */
  correlationId?: string;
  /** The bundle's business identifier (`Bundle.identifier.value`), else `Bundle.id`. */
  bundleId?: string;
}

/** One problem reported against a submission (an OperationOutcome issue, reduced). */
export interface NotificationIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  /** FHIR issue type code, e.g. `invalid`, `required`, `business-rule`. */
  code: string;
  /** FHIRPath locations in the bundle. */
  expression?: string[];
  /** First `details.coding[].code`, when the sender uses a code system for its rules. */
  detailsCode?: string;
  /** Free text (`diagnostics`). It may quote submitted data: kept only when the operator asks for it. */
  diagnostics?: string;
  /** Free text (`details.text`), the issue's message. It may quote submitted data, like `diagnostics`. */
  detailsText?: string;
}

/** A notification parsed from a MESH message. */
export interface ParsedNotification {
  submissionRef: SubmissionRef;
  status: 'rejected' | 'accepted';
  issues: NotificationIssue[];
}

/**
 * Turns a downloaded MESH message into a notification. The processing service's own format is not
 * published, so deployments plug in a parser for whatever they receive; `undefined` means "not a
 * notification this parser understands".
 */
export interface NotificationParser {
  parse(body: Buffer, headers: Record<string, string>): ParsedNotification | undefined;
}

/** Workflow id of the project's default notification format (the project's own choice). */
export const DEFAULT_NOTIFICATION_WORKFLOW_ID = 'ADS_FHIR_NOTIFICATION';
/** `format` marker of the project's default notification format. */
export const DEFAULT_NOTIFICATION_FORMAT = 'ads-fhir-submission-notification';
/** Bodies above this size are not parsed by the default parser. */
const MAX_NOTIFICATION_BYTES = 10 * 1024 * 1024;

const SEVERITIES = new Set(['fatal', 'error', 'warning', 'information']);

/** Input for {@link encodeDefaultNotification}. */
export interface DefaultNotificationInput {
  submissionRef: SubmissionRef;
  status: 'rejected' | 'accepted';
  /** A FHIR OperationOutcome describing the problems (may have no issues for `accepted`). */
  outcome: { resourceType: 'OperationOutcome'; issue: unknown[] };
  issuedAt?: string;
}

/**
 * Serialises a notification in the project's default format (see docs/mesh-notifications.md).
 * Stand-ins and test harnesses use this; a real processing service may send something else.
 */
export function encodeDefaultNotification(input: DefaultNotificationInput): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: DEFAULT_NOTIFICATION_FORMAT,
      version: 1,
      status: input.status,
      submission: input.submissionRef,
      issuedAt: input.issuedAt ?? new Date().toISOString(),
      outcome: input.outcome,
    }),
    'utf8',
  );
}

/** MESH headers that accompany a default-format notification (for `postMessage` or `send`). */
export function defaultNotificationHeaders(ref: SubmissionRef): Record<string, string> {
  return {
    'mex-WorkflowID': DEFAULT_NOTIFICATION_WORKFLOW_ID,
    'mex-Subject': 'ADS submission notification',
    'mex-Content-Type': 'application/json',
    ...(ref.receiptId !== undefined ? { 'mex-LocalID': ref.receiptId } : {}),
  };
}

/**
 * Parser for the project's default format: a JSON object with `format`, `version: 1`, `status`,
 * `submission` {receiptId?, correlationId?, bundleId?} and an OperationOutcome in `outcome`.
 * When the body carries no receipt id, `mex-LocalID` is used. Anything else gives `undefined`.
 */
export class DefaultNotificationParser implements NotificationParser {
  parse(body: Buffer, headers: Record<string, string>): ParsedNotification | undefined {
    if (body.length === 0 || body.length > MAX_NOTIFICATION_BYTES) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return undefined;
    }
    if (!isObject(json) || json.format !== DEFAULT_NOTIFICATION_FORMAT || json.version !== 1) return undefined;
    if (json.status !== 'rejected' && json.status !== 'accepted') return undefined;
    const submission = isObject(json.submission) ? json.submission : {};
    const submissionRef: SubmissionRef = {};
    for (const key of ['receiptId', 'correlationId', 'bundleId'] as const) {
      const v = submission[key];
      if (typeof v === 'string' && v.length > 0) submissionRef[key] = v;
    }
    const localId = headers['mex-localid'];
    if (submissionRef.receiptId === undefined && localId) submissionRef.receiptId = localId;
    if (Object.keys(submissionRef).length === 0) return undefined;
    const outcome = isObject(json.outcome) ? json.outcome : undefined;
    if (outcome && outcome.resourceType !== 'OperationOutcome') return undefined;
    const issues = readOperationOutcomeIssues(outcome);
    return { submissionRef, status: json.status, issues };
  }
}

/** The issues of an OperationOutcome (or anything shaped like one), reduced; malformed issues are skipped. */
export function readOperationOutcomeIssues(outcome: unknown): NotificationIssue[] {
  const list = isObject(outcome) && Array.isArray(outcome.issue) ? outcome.issue : [];
  return list.map(readIssue).filter((i): i is NotificationIssue => i !== undefined);
}

function readIssue(raw: unknown): NotificationIssue | undefined {
  if (!isObject(raw) || typeof raw.severity !== 'string' || !SEVERITIES.has(raw.severity) || typeof raw.code !== 'string') return undefined;
  const issue: NotificationIssue = { severity: raw.severity as NotificationIssue['severity'], code: raw.code };
  const expression = Array.isArray(raw.expression) ? raw.expression.filter((e): e is string => typeof e === 'string') : [];
  if (expression.length > 0) issue.expression = expression;
  const coding = isObject(raw.details) && Array.isArray(raw.details.coding) ? raw.details.coding : [];
  const code = coding.map((c) => (isObject(c) && typeof c.code === 'string' ? c.code : undefined)).find((c) => c !== undefined);
  if (code !== undefined) issue.detailsCode = code;
  if (typeof raw.diagnostics === 'string') issue.diagnostics = raw.diagnostics;
  if (isObject(raw.details) && typeof raw.details.text === 'string') issue.detailsText = raw.details.text;
  return issue;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What one inbox message turned out to be. Call `ack()` only after storing it durably. */
export type MeshPolledItem =
  | { kind: 'notification'; messageId: string; metadata: MeshMessageMetadata; notification: ParsedNotification; ack(): Promise<void> }
  /** MESH's own error report (e.g. code 14, a message we sent was not collected). */
  | { kind: 'report'; messageId: string; metadata: MeshMessageMetadata; ack(): Promise<void> }
  /** A DATA message the parser did not recognise; left in the inbox unless acknowledged. */
  | { kind: 'unrecognised'; messageId: string; metadata: MeshMessageMetadata; ack(): Promise<void> }
  /** Download failed (missing chunk, gone, corrupt); never acknowledged. */
  | { kind: 'failed'; messageId: string; error: MeshError };

/** Options of {@link pollNotifications}. */
export interface NotificationPollOptions {
  /** Limit to notification workflows, e.g. `ADS_FHIR_NOTIFICATION`. Default: every workflow. */
  workflowFilter?: string;
  maxResults?: number;
}

/**
 * Walks the inbox (all pages), downloads each message and yields what it is. Nothing is
 * acknowledged here: the caller stores the item durably, then calls `item.ack()`. A crash between
 * the two leaves the message in the inbox to be seen again, so storage must tolerate repeats
 * (match on messageId). Errors that stop all progress (auth, retries exhausted) are thrown.
 */
export async function* pollNotifications(client: MeshClient, parser: NotificationParser, options: NotificationPollOptions = {}): AsyncGenerator<MeshPolledItem> {
  for await (const messageId of client.inboxMessageIds(options)) {
    let message;
    try {
      message = await client.download(messageId);
    } catch (err) {
      if (
        err instanceof MeshMissingChunkError ||
        err instanceof MeshGoneError ||
        err instanceof MeshNotFoundError ||
        err instanceof MeshIntegrityError ||
        err instanceof MeshResponseTooLargeError
      ) {
        yield { kind: 'failed', messageId, error: err };
        continue;
      }
      throw err;
    }
    const { metadata, body } = message;
    const ack = () => client.acknowledge(messageId);
    if (metadata.messageType === 'REPORT') {
      yield { kind: 'report', messageId, metadata, ack };
      continue;
    }
    let notification: ParsedNotification | undefined;
    try {
      notification = parser.parse(body, metadata.mexHeaders);
    } catch {
      // A throwing custom parser is treated as "not recognised" rather than aborting the poll.
      notification = undefined;
    }
    if (notification) yield { kind: 'notification', messageId, metadata, notification, ack };
    else yield { kind: 'unrecognised', messageId, metadata, ack };
  }
}

/** Counts from {@link drainNotifications}. */
export interface NotificationDrainSummary {
  acknowledged: number;
  kept: number;
  failed: number;
}

/**
 * Convenience loop over {@link pollNotifications}: `store` is awaited for each item and the message
 * is acknowledged only if it resolves with anything but `'keep'`. If `store` throws, polling stops
 * and the error propagates with that message unacknowledged.
 */
export async function drainNotifications(
  client: MeshClient,
  parser: NotificationParser,
  store: (item: MeshPolledItem) => Promise<void | 'keep'>,
  options: NotificationPollOptions = {},
): Promise<NotificationDrainSummary> {
  const summary: NotificationDrainSummary = { acknowledged: 0, kept: 0, failed: 0 };
  for await (const item of pollNotifications(client, parser, options)) {
    const decision = await store(item);
    if (item.kind === 'failed') summary.failed += 1;
    else if (decision === 'keep') summary.kept += 1;
    else {
      await item.ack();
      summary.acknowledged += 1;
    }
  }
  return summary;
}
