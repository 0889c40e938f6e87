import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BundleSubmitter } from './client.js';
import { AdsHttpError, SubmissionError, TokenError } from './errors.js';
import { DuplicateBundleError, Outbox } from './outbox.js';
import { OutboxWorker } from './outbox-worker.js';

const dirs: string[] = [];
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ads-outbox-'));
  dirs.push(dir);
  return join(dir, 'outbox.sqlite');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const bundle = (id: string) => ({ resourceType: 'Bundle', id, type: 'message' });
const noWait = { now: () => Date.now(), sleep: async () => undefined };

/** A submitter scripted per correlation id: answers in order, then accepts. */
function scripted(script: Record<string, Error[]> = {}): BundleSubmitter & { sent: string[] } {
  const sent: string[] = [];
  let n = 0;
  return {
    sent,
    submit: async (payload, options) => {
      const id = (JSON.parse(payload as string) as { id: string }).id;
      sent.push(id);
      const next = script[id]?.shift();
      if (next) throw next;
      return { receiptId: `receipt-${++n}`, correlationId: options!.correlationId!, attempts: 1 };
    },
  };
}

describe('Outbox', () => {
  it('persists enqueued bundles before any send, across close and reopen', () => {
    const path = tempPath();
    const outbox = Outbox.open(path);
    const entry = outbox.enqueue(bundle('a'));
    expect(entry).toMatchObject({ state: 'queued', bundleId: 'a', attempts: 0 });
    outbox.close();
    const reopened = Outbox.open(path);
    expect(reopened.get({ correlationId: entry.correlationId })?.state).toBe('queued');
    expect(reopened.payload(entry.id)).toBe(JSON.stringify(bundle('a')));
    reopened.close();
  });

  it('refuses what is not a JSON Bundle with a typed error and stores nothing', () => {
    const outbox = Outbox.open(':memory:');
    expect(() => outbox.enqueue('{not json')).toThrow(SubmissionError);
    expect(() => outbox.enqueueMany([bundle('ok'), { resourceType: 'Patient' }])).toThrow(/not a FHIR Bundle/);
    expect(outbox.status().total).toBe(0);
  });

  it('re-queues entries left in sending by a crash when the next worker takes the lease, counting them as possible duplicates', async () => {
    const path = tempPath();
    const outbox = Outbox.open(path);
    outbox.enqueueMany([bundle('a'), bundle('b'), bundle('c')]);
    await outbox.takeWriterLease();
    expect(outbox.claim(2)).toHaveLength(2);
    expect(outbox.status().sending).toBe(2);
    outbox.close(); // as if the process died here
    const reopened = Outbox.open(path);
    expect(reopened.status()).toMatchObject({ queued: 1, sending: 2 }); // opening alone changes nothing
    expect(await reopened.takeWriterLease()).toEqual({ recovered: 2 });
    expect(reopened.status()).toMatchObject({ queued: 3, sending: 0, recovered: 2 });
    reopened.close();
  });

  it('claims only under the writer lease', () => {
    const outbox = Outbox.open(':memory:');
    outbox.enqueue(bundle('a'));
    expect(() => outbox.claim(1)).toThrow(expect.objectContaining({ code: 'outbox-busy' }));
    outbox.close();
  });

  it('refuses a batch holding a bundle already in the outbox, by Bundle.id or by content, unless forced', () => {
    const outbox = Outbox.open(':memory:');
    const [first] = outbox.enqueueMany([bundle('a')], { sources: ['a.json'] });
    expect(first!.source).toBe('a.json');
    const sameId = { ...bundle('a'), type: 'collection' };
    const sameContentReordered = { type: 'message', resourceType: 'Bundle' }; // no id: matched by content
    outbox.enqueue({ resourceType: 'Bundle', type: 'message' });
    let thrown: unknown;
    try {
      outbox.enqueueMany([bundle('new'), sameId, sameContentReordered]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DuplicateBundleError);
    expect((thrown as DuplicateBundleError).duplicates).toMatchObject([
      { index: 1, entryId: first!.id, by: 'bundle-id' },
      { index: 2, by: 'content' },
    ]);
    expect(outbox.status().total).toBe(2); // nothing of the batch was stored
    expect(() => outbox.enqueueMany([bundle('x'), bundle('x')])).toThrow(DuplicateBundleError); // twice in one batch
    expect(outbox.enqueueMany([sameId], { force: true })).toHaveLength(1);
    expect(outbox.status().total).toBe(3);
    outbox.close();
  });

  it('moves accepted entries to rejected or confirmed by receipt or correlation id', async () => {
    const outbox = Outbox.open(':memory:');
    const [a, b] = outbox.enqueueMany([bundle('a'), bundle('b')]);
    await new OutboxWorker(outbox, scripted(), { clock: noWait }).drain();
    const acceptedA = outbox.get({ id: a!.id })!;
    expect(acceptedA.state).toBe('accepted');
    expect(outbox.markRejected({ receiptId: acceptedA.receiptId! }, 'Bundle.entry missing')?.state).toBe('rejected');
    expect(outbox.get({ id: a!.id })?.detail).toBe('Bundle.entry missing');
    expect(outbox.markConfirmed({ correlationId: b!.correlationId })?.state).toBe('confirmed');
    expect(outbox.markConfirmed({ id: a!.id })).toBeUndefined(); // rejected stays rejected
    expect(outbox.markRejected({ receiptId: 'unknown' }, 'x')).toBeUndefined();
    expect(outbox.status()).toMatchObject({ rejected: 1, confirmed: 1, accepted: 0 });
  });

  it('retries retryable failures and fails the rest with the reason', async () => {
    const outbox = Outbox.open(':memory:');
    outbox.enqueueMany([bundle('flaky'), bundle('bad'), bundle('down')]);
    const submitter = scripted({
      flaky: [new AdsHttpError('server-error', 'ADS answered 503', { status: 503, retryable: true })],
      bad: [new AdsHttpError('bad-request', 'ADS answered 400: nope', { status: 400 })],
      down: Array.from({ length: 5 }, () => new AdsHttpError('server-error', 'ADS answered 500', { status: 500, retryable: true })),
    });
    const worker = new OutboxWorker(outbox, submitter, {
      clock: noWait,
      retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
    });
    const status = await worker.drain();
    expect(status).toMatchObject({ accepted: 1, failed: 2, queued: 0, sending: 0 });
    const [flaky, bad, down] = outbox.list();
    expect(flaky).toMatchObject({ state: 'accepted', attempts: 2 });
    expect(bad).toMatchObject({ state: 'failed', attempts: 1, lastError: 'ADS answered 400: nope', serverText: undefined });
    expect(down!.lastError).toContain('gave up after 3 attempts');
    expect(submitter.sent.filter((s) => s === 'down')).toHaveLength(3);
    expect(outbox.requeueFailed([bad!.id])).toBe(1);
    expect(outbox.get({ id: bad!.id })?.state).toBe('queued');
  });

  it('halts with entries still queued when the credentials are refused', async () => {
    const outbox = Outbox.open(':memory:');
    outbox.enqueueMany(Array.from({ length: 20 }, (_, i) => bundle(`h${i}`)));
    let calls = 0;
    const refused: BundleSubmitter = {
      submit: async () => {
        calls++;
        throw new TokenError('token-rejected', "token endpoint answered 401: Invalid 'kid'", { status: 401 });
      },
    };
    const worker = new OutboxWorker(outbox, refused, { concurrency: 3, clock: noWait });
    await expect(worker.drain()).rejects.toMatchObject({ code: 'token-rejected' });
    expect(calls).toBeLessThanOrEqual(3);
    expect(outbox.status()).toMatchObject({ queued: 20, failed: 0, sending: 0 });
  });

  it('never has more sends in flight than its concurrency', async () => {
    const outbox = Outbox.open(':memory:');
    outbox.enqueueMany(Array.from({ length: 40 }, (_, i) => bundle(`c${i}`)));
    let inFlight = 0;
    let peak = 0;
    const slow: BundleSubmitter = {
      submit: async (_p, options) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return { receiptId: options!.correlationId!, correlationId: options!.correlationId!, attempts: 1 };
      },
    };
    await new OutboxWorker(outbox, slow, { concurrency: 5, clock: noWait }).drain();
    expect(peak).toBe(5);
    expect(outbox.status().accepted).toBe(40);
  });
});
