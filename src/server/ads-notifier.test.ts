import type { OperationOutcomeIssue } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultNotificationParser } from '../mesh/index.js';
import { AdsNotifier, verdictOf } from './ads-notifier.js';
import type { ReceivedInfo } from './ads-server.js';
import { type MeshStandIn, startMeshServer } from './mesh-server.js';

const TRUST = 'X26ADS01';
const SERVICE = 'X26DPS01';
const bundle = { resourceType: 'Bundle', id: 'b-1', identifier: { value: 'business-1' } };
const error: OperationOutcomeIssue = { severity: 'error', code: 'required', expression: ['Bundle.entry[0]'] };
const info = (valid: boolean | undefined): ReceivedInfo => ({
  receiptId: `r-${String(valid)}`,
  correlationId: 'c-1',
  apiKey: undefined,
  verdict: valid === undefined ? undefined : verdictOf({ resourceType: 'OperationOutcome', issue: valid ? [{ ...error, severity: 'warning' }] : [error] }),
});

describe('AdsNotifier', () => {
  let mesh: MeshStandIn;
  beforeAll(async () => {
    mesh = await startMeshServer({ mailboxes: [{ mailboxId: TRUST, password: 'a' }, { mailboxId: SERVICE, password: 'b' }], sharedKey: 'k' });
  });
  afterAll(() => mesh.close());

  const parsed = (id: string) => {
    const m = mesh.message(id)!;
    expect(m).toMatchObject({ from: SERVICE, workflowId: 'ADS_FHIR_NOTIFICATION', chunks: [{ gzip: false }] });
    return new DefaultNotificationParser().parse(m.chunks[0]!.data, {});
  };

  it('posts a rejection with the issues and the ids after the delay, a confirmation for a valid bundle, nothing without a verdict', async () => {
    const notifier = new AdsNotifier({ mesh, trustMailbox: TRUST, serviceMailbox: SERVICE, delayMs: 30 });
    notifier.onReceived(bundle, 'r-false', info(false));
    notifier.onReceived(bundle, 'r-true', info(true));
    notifier.onReceived(bundle, 'r-undefined', info(undefined));
    expect(mesh.inboxIds(TRUST)).toEqual([]);
    expect(notifier.pendingCount).toBe(2);
    await notifier.idle();
    const ids = mesh.inboxIds(TRUST);
    expect(ids).toHaveLength(2);
    expect(parsed(ids[0]!)).toEqual({
      submissionRef: { receiptId: 'r-false', correlationId: 'c-1', bundleId: 'business-1' },
      status: 'rejected',
      issues: [{ severity: 'error', code: 'required', expression: ['Bundle.entry[0]'] }],
    });
    // A warning does not reject; the confirmation carries no issues.
    expect(parsed(ids[1]!)).toMatchObject({ status: 'accepted', issues: [] });
    for (const id of ids) mesh.expireMessage(id);
  });

  it('can leave valid bundles unconfirmed, and cancels what is pending', async () => {
    const notifier = new AdsNotifier({ mesh, trustMailbox: TRUST, serviceMailbox: SERVICE, delayMs: 10_000, confirmValid: false });
    notifier.onReceived(bundle, 'r-true', info(true));
    expect(notifier.pendingCount).toBe(0);
    notifier.onReceived(bundle, 'r-false', info(false));
    expect(notifier.pendingCount).toBe(1);
    const idle = notifier.idle();
    notifier.cancel();
    await idle;
    expect(notifier.postedCount).toBe(0);
    expect(mesh.inboxIds(TRUST)).toEqual([]);
  });
});
