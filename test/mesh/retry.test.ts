import { afterEach, describe, expect, it } from 'vitest';
import { MeshHttpError, MeshNetworkError, MeshRetryExhaustedError, type MeshTransport } from '../../src/mesh/index.js';
import { clientFor, useStandIn } from './helpers.js';

describe('MESH client retries', () => {
  const ctx = useStandIn();
  afterEach(() => ctx.server.clearFaults());

  const outboxPosts = () => ctx.server.requests.filter((r) => r.method === 'POST' && r.path === '/messageexchange/X26ABC1/outbox').length;

  it('never retries the first outbox POST, even on a retryable 503', async () => {
    ctx.server.injectFault({ method: 'POST', path: /\/outbox$/, status: 503 });
    const before = outboxPosts();
    const retries: number[] = [];
    const client = clientFor(ctx.server, 0, { onRetry: (e) => retries.push(e.attempt) });
    const err = await client.send({ to: 'X26ABC2', workflowId: 'WF', body: 'once only' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshHttpError);
    expect((err as MeshHttpError).status).toBe(503);
    expect(outboxPosts() - before).toBe(1);
    expect(retries).toEqual([]);
  });

  it('never retries the first outbox POST on a network failure either', async () => {
    let calls = 0;
    const failing: MeshTransport = async () => {
      calls += 1;
      throw new MeshNetworkError('MESH connection failed (ECONNRESET)');
    };
    const client = clientFor(ctx.server, 0, { transport: failing });
    await expect(client.send({ to: 'X26ABC2', workflowId: 'WF', body: 'x' })).rejects.toBeInstanceOf(MeshNetworkError);
    expect(calls).toBe(1);
  });

  it('retries a later chunk POST and completes the message', async () => {
    ctx.server.injectFault({ method: 'POST', path: /\/outbox\/[^/]+\/2$/, status: 502, times: 2 });
    const client = clientFor(ctx.server, 0, { chunkSizeBytes: 10 });
    const sent = await client.send({ to: 'X26ABC2', workflowId: 'WF', body: 'twenty bytes of data' });
    expect(sent.chunks).toBe(2);
    const chunkPosts = ctx.server.requests.filter((r) => r.path.endsWith(`${sent.messageId}/2`));
    expect(chunkPosts.map((r) => r.status)).toEqual([502, 502, 202]);
    const got = await clientFor(ctx.server, 1).download(sent.messageId);
    expect(got.body.toString()).toBe('twenty bytes of data');
  });

  it.each([425, 429, 504])('retries %i on GET with a fresh token and succeeds', async (status) => {
    ctx.server.injectFault({ method: 'GET', path: /\/inbox$/, status, times: 2 });
    const delays: number[] = [];
    const client = clientFor(ctx.server, 0, { onRetry: (e) => delays.push(e.delayMs), retry: { baseDelayMs: 10 } });
    await expect(client.listInbox()).resolves.toBeInstanceOf(Array);
    expect(delays).toHaveLength(2);
  });

  it('honours Retry-After and gives up after the bounded number of attempts', async () => {
    ctx.server.injectFault({ method: 'GET', path: /\/inbox$/, status: 429, times: 10, headers: { 'retry-after': '1' } });
    const delays: number[] = [];
    const client = clientFor(ctx.server, 0, { onRetry: (e) => delays.push(e.delayMs), retry: { maxAttempts: 4 } });
    const err = await client.listInbox().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshRetryExhaustedError);
    expect(err).toMatchObject({ attempts: 4, lastStatus: 429 });
    expect(delays).toEqual([1000, 1000, 1000]);
  });

  it('does not retry a non-transient status such as 500', async () => {
    ctx.server.injectFault({ method: 'PUT', path: /acknowledged$/, status: 500 });
    const retries: number[] = [];
    const client = clientFor(ctx.server, 0, { onRetry: (e) => retries.push(e.attempt) });
    await expect(client.acknowledge('ANY')).rejects.toMatchObject({ status: 500 });
    expect(retries).toEqual([]);
  });
});
