import { describe, expect, it } from 'vitest';
import {
  DefaultNotificationParser,
  defaultNotificationHeaders,
  drainNotifications,
  encodeDefaultNotification,
  pollNotifications,
  type MeshPolledItem,
} from '../../src/mesh/index.js';
import { clientFor, useStandIn } from './helpers.js';

const DPS = 'X26ABC3';

function rejection(receiptId: string, bundleId: string) {
  const ref = { receiptId, correlationId: `corr-${receiptId}`, bundleId };
  return {
    body: encodeDefaultNotification({
      submissionRef: ref,
      status: 'rejected',
      outcome: {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'required',
            expression: ['Bundle.entry[0].resource.subject'],
            details: { coding: [{ system: 'https://example.org/ads-rules', code: 'ADS-017' }] },
            diagnostics: 'Patient reference missing',
          },
        ],
      },
    }),
    headers: { 'mex-From': DPS, ...defaultNotificationHeaders(ref) },
  };
}

describe('error notifications over MESH: post, poll, parse, acknowledge', () => {
  const ctx = useStandIn();

  it('round-trips a default-format notification and acknowledges only after the caller stores it', async () => {
    const { body, headers } = rejection('receipt-1', 'bundle-1');
    const id = ctx.server.postMessage('X26ABC1', body, headers, { chunkSizeBytes: 64, gzip: true });
    const client = clientFor(ctx.server, 0);
    const stored: MeshPolledItem[] = [];

    for await (const item of pollNotifications(client, new DefaultNotificationParser())) {
      stored.push(item);
      // Not yet acknowledged: a crash here would leave it in the inbox.
      expect(ctx.server.inboxIds('X26ABC1')).toContain(item.messageId);
      if (item.kind !== 'failed') await item.ack();
    }
    expect(stored).toHaveLength(1);
    const item = stored[0]!;
    expect(item.kind).toBe('notification');
    if (item.kind !== 'notification') return;
    expect(item.messageId).toBe(id);
    expect(item.notification).toEqual({
      submissionRef: { receiptId: 'receipt-1', correlationId: 'corr-receipt-1', bundleId: 'bundle-1' },
      status: 'rejected',
      issues: [
        { severity: 'error', code: 'required', expression: ['Bundle.entry[0].resource.subject'], detailsCode: 'ADS-017', diagnostics: 'Patient reference missing' },
      ],
    });
    expect(ctx.server.inboxIds('X26ABC1')).toEqual([]);
  });

  it('leaves messages in the inbox when the store fails, and acknowledges them on the next poll', async () => {
    ctx.server.postMessage('X26ABC1', rejection('receipt-2', 'bundle-2').body, rejection('receipt-2', 'bundle-2').headers);
    ctx.server.postMessage('X26ABC1', rejection('receipt-3', 'bundle-3').body, rejection('receipt-3', 'bundle-3').headers);
    const client = clientFor(ctx.server, 0);
    const parser = new DefaultNotificationParser();

    await expect(
      drainNotifications(client, parser, async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(ctx.server.inboxIds('X26ABC1')).toHaveLength(2);

    const receipts: string[] = [];
    const summary = await drainNotifications(client, parser, async (item) => {
      if (item.kind === 'notification') receipts.push(item.notification.submissionRef.receiptId!);
    });
    expect(summary).toEqual({ acknowledged: 2, kept: 0, failed: 0 });
    expect(receipts).toEqual(['receipt-2', 'receipt-3']);
    expect(ctx.server.inboxIds('X26ABC1')).toEqual([]);
  });

  it('classifies REPORTs, unrecognised payloads and broken downloads without acknowledging the broken one', async () => {
    ctx.server.postReport({ mailboxId: 'X26ABC1', code: '14', description: 'Undelivered', workflowId: 'WF', linkedMessageId: 'L1' });
    ctx.server.postMessage('X26ABC1', 'not json at all', { 'mex-From': DPS });
    const broken = ctx.server.postMessage('X26ABC1', rejection('receipt-4', 'b4').body, { 'mex-From': DPS }, { chunkSizeBytes: 50 });
    ctx.server.dropChunk(broken, 2);

    const kinds: string[] = [];
    const summary = await drainNotifications(clientFor(ctx.server, 0), new DefaultNotificationParser(), async (item) => {
      kinds.push(item.kind);
      return item.kind === 'unrecognised' ? 'keep' : undefined;
    });
    expect(kinds.sort()).toEqual(['failed', 'report', 'unrecognised']);
    expect(summary).toEqual({ acknowledged: 1, kept: 1, failed: 1 });
    expect(ctx.server.inboxIds('X26ABC1')).toHaveLength(2);
    expect(ctx.server.inboxIds('X26ABC1')).toContain(broken);
  });
});
