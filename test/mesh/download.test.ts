import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MeshGoneError, MeshIntegrityError, MeshMissingChunkError, MeshNotFoundError } from '../../src/mesh/index.js';
import { authFor, clientFor, startStandIn, useStandIn } from './helpers.js';

describe('download: chunks, gzip, missing chunks, expiry', () => {
  const ctx = useStandIn();

  it('reassembles a chunked message whose chunks are each gzipped (206 then 200)', async () => {
    const payload = Buffer.from(JSON.stringify({ rows: Array.from({ length: 400 }, (_, i) => ({ i, v: randomBytes(8).toString('hex') })) }));
    const id = ctx.server.postMessage('X26ABC2', payload, { 'mex-From': 'X26ABC1', 'mex-WorkflowID': 'TEST_WORKFLOW' }, { chunkSizeBytes: 4096, gzip: true });
    const total = Math.ceil(payload.length / 4096);
    expect(total).toBeGreaterThan(2);
    const client = clientFor(ctx.server, 1);
    const before = ctx.server.requests.length;
    const message = await client.download(id);
    expect(message.body.equals(payload)).toBe(true);
    expect(message.metadata.totalChunks).toBe(total);
    const downloads = ctx.server.requests.slice(before);
    expect(downloads.map((r) => r.status)).toEqual([...Array(total - 1).fill(206), 200]);
    expect(downloads[1]!.path).toBe(`/messageexchange/X26ABC2/inbox/${id}/2`);
  });

  it('serves gzip as plain bytes to a client that does not accept gzip', async () => {
    const id = ctx.server.postMessage('X26ABC2', 'plain please', { 'mex-From': 'X26ABC1' }, { gzip: true });
    const res = await fetch(`${ctx.server.url}/messageexchange/X26ABC2/inbox/${id}`, {
      headers: { authorization: authFor(1), 'accept-encoding': 'identity' },
    });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe('plain please');
  });

  it('raises MeshMissingChunkError for a missing chunk and acknowledges nothing', async () => {
    const id = ctx.server.postMessage('X26ABC2', randomBytes(3000), { 'mex-From': 'X26ABC1' }, { chunkSizeBytes: 1000, gzip: true });
    ctx.server.dropChunk(id, 2);
    const client = clientFor(ctx.server, 1);
    const err = await client.download(id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeshMissingChunkError);
    expect(err).toMatchObject({ messageId: id, chunk: 2, totalChunks: 3 });
    expect(ctx.server.requests.some((r) => r.method === 'PUT')).toBe(false);
    expect(ctx.server.inboxIds('X26ABC2')).toContain(id);
  });

  it('verifies the content checksum', async () => {
    const id = ctx.server.postMessage('X26ABC2', 'tampered', { 'mex-From': 'X26ABC1', 'mex-Content-Checksum': 'md5:00000000000000000000000000000000' });
    await expect(clientFor(ctx.server, 1).download(id)).rejects.toBeInstanceOf(MeshIntegrityError);
  });

  it('answers 410 Gone for an expired message and sends the sender a code-14 REPORT', async () => {
    const sender = clientFor(ctx.server, 0);
    const recipient = clientFor(ctx.server, 1);
    const sent = await sender.send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'never collected', localId: 'late-1' });
    ctx.server.expireMessage(sent.messageId);

    await expect(recipient.download(sent.messageId)).rejects.toBeInstanceOf(MeshGoneError);
    expect(await recipient.listInbox()).not.toContain(sent.messageId);
    expect((await sender.track(sent.messageId)).status).toBe('undeliverable');

    const reportIds = await sender.listInbox();
    const reports = await Promise.all(reportIds.map((id) => sender.download(id)));
    const report = reports.find((r) => r.metadata.linkedMessageId === sent.messageId);
    expect(report?.metadata).toMatchObject({ messageType: 'REPORT', statusCode: '14', statusSuccess: 'ERROR', localId: 'late-1', to: 'X26ABC2' });
    expect(report?.body.length).toBe(0);
  });

  it('expires messages by the clock too', async () => {
    let now = Date.now();
    const timed = await startStandIn({ now: () => now, expiryMs: 1000 });
    try {
      const id = timed.postMessage('X26ABC2', 'soon gone', { 'mex-From': 'X26ABC1' });
      now += 2000;
      const err = await clientFor(timed, 1, { now: () => new Date(now) }).download(id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MeshGoneError);
      expect(timed.inboxIds('X26ABC1')).toHaveLength(1);
    } finally {
      await timed.close();
    }
  });

  it('answers 404 for an unknown id', async () => {
    await expect(clientFor(ctx.server, 1).download('NO_SUCH_MESSAGE')).rejects.toBeInstanceOf(MeshNotFoundError);
  });
});

