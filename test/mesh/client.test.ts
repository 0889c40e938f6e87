import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MeshAuthError, MeshClient, MeshConfigError, MeshHttpError } from '../../src/mesh/index.js';
import { clientFor, MAILBOXES, SHARED_KEY, useStandIn } from './helpers.js';

describe('MESH client against the stand-in over loopback HTTP', () => {
  const ctx = useStandIn();

  it.each([1, 2] as const)('handshakes with API v%i', async (apiVersion) => {
    await expect(clientFor(ctx.server, 0, { apiVersion }).handshake()).resolves.toBeUndefined();
  });

  it('sends a chunked, gzipped message that the recipient downloads, verifies and acknowledges', async () => {
    const sender = clientFor(ctx.server, 0, { chunkSizeBytes: 1000 });
    const recipient = clientFor(ctx.server, 1);
    const payload = randomBytes(4500);
    const sent = await sender.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: payload, localId: 'ref-1', subject: 'test' });
    expect(sent.chunks).toBe(5);
    expect(ctx.server.requests.filter((r) => r.method === 'POST' && r.path.includes('/outbox/')).length).toBe(4);

    expect(await recipient.listInbox()).toContain(sent.messageId);
    const message = await recipient.download(sent.messageId);
    expect(message.body.equals(payload)).toBe(true);
    expect(message.metadata).toMatchObject({ messageType: 'DATA', from: 'X26ABC1', workflowId: 'TEST_WORKFLOW', localId: 'ref-1', totalChunks: 5 });

    expect((await sender.track(sent.messageId)).status).toBe('accepted');
    await recipient.acknowledge(sent.messageId);
    expect(await recipient.listInbox()).not.toContain(sent.messageId);
    const tracked = await sender.track(sent.messageId);
    expect(tracked).toMatchObject({ messageId: sent.messageId, status: 'acknowledged', localId: 'ref-1' });
  });

  it('speaks v1 too: camelCase tracking, messageID on send', async () => {
    const sender = clientFor(ctx.server, 0, { apiVersion: 1 });
    const recipient = clientFor(ctx.server, 1, { apiVersion: 1 });
    const sent = await sender.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'hello v1', compress: false });
    expect(sent.chunks).toBe(1);
    const message = await recipient.download(sent.messageId);
    expect(message.body.toString()).toBe('hello v1');
    const tracked = await sender.track(sent.messageId);
    expect(tracked.status).toBe('accepted');
    expect(tracked.raw.dtsId).toBe(sent.messageId);
    await recipient.acknowledge(sent.messageId);
  });

  it('maps a 417 unregistered recipient to a typed error with the MESH code', async () => {
    const sender = clientFor(ctx.server, 0);
    const err = await sender.send({ to: 'NOBODY', workflowId: 'TEST_WORKFLOW', body: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshHttpError);
    expect(err).toMatchObject({ status: 417, detail: { code: '12', description: 'Unregistered to address' } });
  });

  it('reports a wrong password as MeshAuthError without echoing any secret', async () => {
    const client = new MeshClient({
      baseUrl: ctx.server.url,
      mailboxId: 'X26ABC1',
      mailboxPassword: 'not-the-password',
      sharedKey: SHARED_KEY,
      sleep: async () => undefined,
    });
    const err = (await client.handshake().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(MeshAuthError);
    expect(err.message).toContain('Invalid Authentication Token');
    for (const secret of [SHARED_KEY, 'not-the-password', MAILBOXES[0]!.password, 'NHSMESH']) {
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err)).not.toContain(secret);
    }
  });

  it('refuses plain http to a non-loopback host and bad settings', () => {
    const base = { mailboxId: 'X', mailboxPassword: 'p', sharedKey: 'k' };
    expect(() => new MeshClient({ ...base, baseUrl: 'http://mesh.example.org' })).toThrow(MeshConfigError);
    expect(() => new MeshClient({ ...base, baseUrl: 'https://mesh.example.org', chunkSizeBytes: 0 })).toThrow(MeshConfigError);
    expect(() => new MeshClient({ ...base, mailboxPassword: '', baseUrl: 'https://mesh.example.org' })).toThrow(MeshConfigError);
  });
});
