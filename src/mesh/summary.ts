import type { MeshPolledItem } from './notifications.js';

/**
 * A polled item reduced to fields safe to print or log: ids, statuses, codes and FHIRPath
 * locations. Free text (`diagnostics`) and payloads are left out because they may quote patient data.
 */
export interface PolledItemSummary {
  kind: MeshPolledItem['kind'];
  messageId: string;
  workflowId?: string;
  status?: 'rejected' | 'accepted';
  receiptId?: string;
  correlationId?: string;
  bundleId?: string;
  issues?: Array<{ severity: string; code: string; expression?: string[]; detailsCode?: string }>;
  /** REPORT: the MESH status code and the message it concerns. */
  reportCode?: string;
  linkedMessageId?: string;
  /** failed: the typed error's name and message (which carry no secrets). */
  error?: string;
}

/** Summarises one polled item for output (see {@link PolledItemSummary}). */
export function summarisePolledItem(item: MeshPolledItem): PolledItemSummary {
  if (item.kind === 'failed') return { kind: item.kind, messageId: item.messageId, error: `${item.error.name}: ${item.error.message}` };
  const summary: PolledItemSummary = { kind: item.kind, messageId: item.messageId };
  if (item.metadata.workflowId !== undefined) summary.workflowId = item.metadata.workflowId;
  if (item.kind === 'report') {
    if (item.metadata.statusCode !== undefined) summary.reportCode = item.metadata.statusCode;
    if (item.metadata.linkedMessageId !== undefined) summary.linkedMessageId = item.metadata.linkedMessageId;
    return summary;
  }
  if (item.kind === 'notification') {
    const { submissionRef, status, issues } = item.notification;
    summary.status = status;
    if (submissionRef.receiptId !== undefined) summary.receiptId = submissionRef.receiptId;
    if (submissionRef.correlationId !== undefined) summary.correlationId = submissionRef.correlationId;
    if (submissionRef.bundleId !== undefined) summary.bundleId = submissionRef.bundleId;
    summary.issues = issues.map(({ severity, code, expression, detailsCode }) => ({
      severity,
      code,
      ...(expression ? { expression } : {}),
      ...(detailsCode !== undefined ? { detailsCode } : {}),
    }));
  }
  return summary;
}

/** One line of text for a summary, e.g. `REJECTED receipt=… bundle=… issues=2: error required @ Bundle.entry[0]`. */
export function formatPolledItemSummary(s: PolledItemSummary): string {
  const parts: string[] = [];
  switch (s.kind) {
    case 'notification':
      parts.push((s.status ?? 'unknown').toUpperCase(), `message=${s.messageId}`);
      if (s.receiptId) parts.push(`receipt=${s.receiptId}`);
      if (s.correlationId) parts.push(`correlation=${s.correlationId}`);
      if (s.bundleId) parts.push(`bundle=${s.bundleId}`);
      parts.push(`issues=${s.issues?.length ?? 0}`);
      for (const issue of s.issues ?? []) {
        parts.push(
          `\n  ${issue.severity} ${issue.code}` +
            (issue.detailsCode ? ` [${issue.detailsCode}]` : '') +
            (issue.expression ? ` @ ${issue.expression.join(', ')}` : ''),
        );
      }
      break;
    case 'report':
      parts.push('REPORT', `message=${s.messageId}`, `code=${s.reportCode ?? '?'}`);
      if (s.linkedMessageId) parts.push(`linked=${s.linkedMessageId}`);
      break;
    case 'unrecognised':
      parts.push('UNRECOGNISED', `message=${s.messageId}`);
      if (s.workflowId) parts.push(`workflow=${s.workflowId}`);
      break;
    case 'failed':
      parts.push('FAILED', `message=${s.messageId}`, s.error ?? '');
      break;
  }
  return parts.join(' ').replace(/ \n/g, '\n');
}
