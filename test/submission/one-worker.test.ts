/**
 * Two workers on one outbox file, no crash: one delivers while the other waits (or is refused), so every
 * bundle is sent exactly once and neither reports the other's sends in flight as its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/server/index.js';
import { createSubmissionClient, Outbox, OutboxWorker } from '../../src/submission/index.js';

let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ mesh: false, ads: { rateLimitPerMinute: false } });
  dir = mkdtempSync(join(tmpdir(), 'ads-one-worker-'));
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

const client = () =>
  createSubmissionClient({
    environment: 'local',
    baseUrl: sandbox.adsBaseUrl,
    tokenUrl: sandbox.tokenUrl,
    apiKey: sandbox.client!.apiKey,
    kid: sandbox.client!.kid,
    privateKey: sandbox.client!.privateKey,
    client: { rateLimit: false },
  });

const batch = (name: string, n: number) => Array.from({ length: n }, (_, i) => ({ resourceType: 'Bundle', id: `${name}-${i}`, type: 'message', entry: [] }));

describe('two workers on one outbox file', () => {
  it('send every bundle exactly once: the second waits for the first', async () => {
    const file = join(dir, 'waiting.sqlite');
    const [a, b] = [Outbox.open(file), Outbox.open(file)];
    a.enqueueMany(batch('wait-a', 50));
    b.enqueueMany(batch('wait-b', 50));
    const before = sandbox.adsServer.store.stats();
    const waited: string[] = [];
    const statuses = await Promise.all([
      new OutboxWorker(a, client(), { concurrency: 4, lease: { wait: true, onWait: (h) => waited.push(h) } }).drain(),
      new OutboxWorker(b, client(), { concurrency: 4, lease: { wait: true, onWait: (h) => waited.push(h) } }).drain(),
    ]);
    const after = sandbox.adsServer.store.stats();
    expect(after.received - before.received).toBe(100);
    expect(after.duplicates - before.duplicates).toBe(0);
    expect(waited).toEqual([`process ${process.pid} on ${(await import('node:os')).hostname()}`]);
    // Each worker's final word is about the whole file, and nothing is left in flight behind it.
    for (const status of statuses) expect(status).toMatchObject({ accepted: 100, sending: 0, queued: 0, recovered: 0 });
    a.close();
    b.close();
  });

  it('refuse a second worker at once unless it asks to wait, naming the one in the way', async () => {
    const file = join(dir, 'refused.sqlite');
    const [a, b] = [Outbox.open(file), Outbox.open(file)];
    a.enqueueMany(batch('refused', 20));
    await a.takeWriterLease();
    await expect(new OutboxWorker(b, client()).drain()).rejects.toMatchObject({ code: 'outbox-busy', message: expect.stringContaining(`process ${process.pid}`) });
    expect(b.status()).toMatchObject({ queued: 20, sending: 0 });
    a.close();
    expect(await new OutboxWorker(b, client()).drain()).toMatchObject({ accepted: 20 });
    b.close();
  });
});
