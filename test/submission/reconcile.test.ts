import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultNotificationHeaders, encodeDefaultNotification, type SubmissionRef } from '../../src/mesh/index.js';
import { Outbox, reconcile } from '../../src/submission/index.js';
import { clientFor, MAILBOXES, useStandIn } from '../mesh/helpers.js';

const TRUST = MAILBOXES[0]!.mailboxId;
const SERVICE = MAILBOXES[2]!.mailboxId;
const bundle = (id: string) => ({ resourceType: 'Bundle', id, identifier: { value: `ident-${id}` }, type: 'collection' });
const ISSUE = {
  severity: 'error',
  code: 'business-rule',
  expression: ['Bundle.entry[0].resource.category'],
  details: { coding: [{ code: 'ADS-042' }] },
  diagnostics: 'free text that could quote a patient',
};

describe('reconcile', () => {
  const ctx = useStandIn();
  let dir: string;
  let outbox: Outbox;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'reconcile-'));
    outbox = Outbox.open(path.join(dir, 'outbox.sqlite'));
    await outbox.takeWriterLease(); // the tests play the delivering worker too
  });
  afterEach(() => {
    outbox.close();
    rmSync(dir, { recursive: true, force: true });
    ctx.server.clearFaults();
  });

  /** Enqueues bundles and records them as accepted with receipt ids `r-<id>`. */
  function accepted(...ids: string[]) {
    outbox.enqueueMany(ids.map(bundle));
    for (const claimed of outbox.claim(ids.length)) outbox.markAccepted(claimed.id, `r-${outbox.get({ id: claimed.id })!.bundleId}`);
    return ids.map((id) => outbox.get({ receiptId: `r-${id}` })!);
  }

  function post(ref: SubmissionRef, status: 'rejected' | 'accepted', issue: unknown[] = status === 'rejected' ? [ISSUE] : []): string {
    const body = encodeDefaultNotification({ submissionRef: ref, status, outcome: { resourceType: 'OperationOutcome', issue } });
    return ctx.server.postMessage(TRUST, body, { 'mex-From': SERVICE, ...defaultNotificationHeaders(ref) });
  }

  it('matches by receipt id, correlation id or bundle identifier, stores the detail, then acknowledges', async () => {
    const [a, b, c, d] = accepted('a', 'b', 'c', 'd');
    post({ receiptId: a!.receiptId! }, 'rejected');
    post({ correlationId: b!.correlationId }, 'rejected');
    post({ bundleId: 'ident-c' }, 'rejected');
    post({ receiptId: d!.receiptId! }, 'accepted');

    const summary = await reconcile(outbox, clientFor(ctx.server));

    expect(summary).toMatchObject({ rejected: 3, confirmed: 1, unmatched: 0, acknowledged: 4, ackFailed: 0 });
    expect(ctx.server.inboxIds(TRUST)).toEqual([]);
    expect([a, b, c, d].map((e) => outbox.get({ id: e!.id })!.state)).toEqual(['rejected', 'rejected', 'rejected', 'confirmed']);
    expect(outbox.notifications({ entryId: c!.id })[0]).toMatchObject({ matchedBy: 'bundleId', outcome: 'rejected' });
    const stored = outbox.notifications({ entryId: a!.id });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ matchedBy: 'receiptId', status: 'rejected' });
    // Codes and locations are kept; the free text is dropped, as no one asked to keep it.
    expect(stored[0]!.issues[0]).toEqual({ severity: 'error', code: 'business-rule', detailsCode: 'ADS-042', expression: ['Bundle.entry[0].resource.category'] });
    const detail = outbox.get({ id: a!.id })!.detail!;
    expect(detail).toContain('error business-rule [ADS-042] @ Bundle.entry[0].resource.category');
    expect(detail).not.toContain('free text');
  });

  it('keeps the free text, redacted, only when the outbox is asked to', async () => {
    const keeping = Outbox.open(path.join(dir, 'keeping.sqlite'), { keepFreeText: true });
    try {
      const [entry] = keeping.enqueueMany([bundle('k')]);
      const issue = { ...ISSUE, diagnostics: 'NHS number 943 476 5919 is not valid', details: { text: 'see the record' } };
      post({ correlationId: entry!.correlationId }, 'rejected', [issue]);
      await reconcile(keeping, clientFor(ctx.server));
      const [stored] = keeping.notifications({ entryId: entry!.id });
      expect(stored!.issues[0]).toMatchObject({ detailsText: 'see the record', diagnostics: 'NHS number [REDACTED NHS NUMBER] is not valid' });
      expect(keeping.get({ id: entry!.id })!.detail).not.toContain('see the record');
    } finally {
      keeping.close();
    }
  });

  it('stores and reports a notification no entry matches instead of losing it', async () => {
    accepted('a');
    const messageId = post({ receiptId: 'nobody-sent-this', bundleId: 'unknown' }, 'rejected');
    const events: string[] = [];

    const summary = await reconcile(outbox, clientFor(ctx.server), { onEvent: (e) => events.push(e.result) });

    expect(summary.unmatched).toBe(1);
    expect(events).toEqual(['unmatched']);
    expect(outbox.notifications({ unmatched: true })).toEqual([
      expect.objectContaining({ meshMessageId: messageId, outcome: 'unmatched', entryId: undefined, ref: { receiptId: 'nobody-sent-this', bundleId: 'unknown' } }),
    ]);
    expect(outbox.status().accepted).toBe(1);
  });

  it('treats a bundle id naming two entries as unmatched', async () => {
    outbox.enqueueMany([bundle('same'), bundle('same')], { force: true });
    post({ bundleId: 'ident-same' }, 'rejected');
    expect((await reconcile(outbox, clientFor(ctx.server))).unmatched).toBe(1);
    expect(outbox.status().queued).toBe(2);
  });

  it('is idempotent: the same notification twice leaves one rejected entry, a re-recorded message id changes nothing', async () => {
    const [a] = accepted('a');
    post({ receiptId: a!.receiptId! }, 'rejected');
    post({ receiptId: a!.receiptId! }, 'rejected');
    const summary = await reconcile(outbox, clientFor(ctx.server));
    expect(summary.rejected).toBe(2);
    expect(outbox.status()).toMatchObject({ rejected: 1, total: 1 });

    const [first] = outbox.notifications({ entryId: a!.id });
    const again = outbox.recordNotification({ kind: 'notification', meshMessageId: first!.meshMessageId, status: 'accepted', ref: { receiptId: a!.receiptId! }, issues: [] });
    expect(again.duplicate).toBe(true);
    expect(outbox.notifications({ entryId: a!.id })).toHaveLength(2);
    expect(outbox.get({ id: a!.id })!.state).toBe('rejected');
  });

  it('a crash between storing and acknowledging: the message comes back and is stored once', async () => {
    const [a] = accepted('a');
    const messageId = post({ receiptId: a!.receiptId! }, 'rejected');
    // The acknowledgement is lost, as if the process died right after the commit.
    ctx.server.injectFault({ method: 'PUT', path: /\/status\/acknowledged$/, status: 500 });

    const first = await reconcile(outbox, clientFor(ctx.server));
    expect(first).toMatchObject({ rejected: 1, acknowledged: 0, ackFailed: 1 });
    expect(ctx.server.inboxIds(TRUST)).toEqual([messageId]);
    expect(outbox.get({ id: a!.id })!.state).toBe('rejected');

    const second = await reconcile(outbox, clientFor(ctx.server));
    expect(second).toMatchObject({ duplicate: 1, rejected: 0, acknowledged: 1, ackFailed: 0 });
    expect(ctx.server.inboxIds(TRUST)).toEqual([]);
    expect(outbox.notifications()).toHaveLength(1);
  });

  it('leaves unrecognised messages in the inbox and keeps MESH reports', async () => {
    const other = ctx.server.postMessage(TRUST, 'not a notification', { 'mex-From': SERVICE, 'mex-WorkflowID': 'OTHER' });
    const summary = await reconcile(outbox, clientFor(ctx.server));
    expect(summary).toMatchObject({ unrecognised: 1, acknowledged: 0 });
    expect(ctx.server.inboxIds(TRUST)).toEqual([other]);
  });

  it('a confirmation for an entry that is not accepted is stored and ignored', async () => {
    const [entry] = outbox.enqueueMany([bundle('q')]);
    post({ correlationId: entry!.correlationId }, 'accepted');
    expect((await reconcile(outbox, clientFor(ctx.server), { workflowFilter: 'ADS_FHIR_NOTIFICATION' })).ignored).toBe(1);
    expect(outbox.get({ id: entry!.id })!.state).toBe('queued');
    expect(outbox.notifications({ entryId: entry!.id })[0]!.outcome).toBe('ignored');
  });
});
