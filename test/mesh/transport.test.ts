import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTransport, MeshNetworkError, MeshResponseTooLargeError, nodeHttpTransport } from '../../src/mesh/index.js';
import { clientFor, useStandIn } from './helpers.js';

describe('transports', () => {
  const ctx = useStandIn();

  it('an injected fetch transport works end to end, including gzip chunks that fetch decodes itself', async () => {
    const payload = randomBytes(5000);
    const id = ctx.server.postMessage('X26ABC2', payload, { 'mex-From': 'X26ABC1' }, { chunkSizeBytes: 2000, gzip: true });
    const client = clientFor(ctx.server, 1, { transport: fetchTransport(globalThis.fetch) });
    expect(await client.listInbox()).toContain(id);
    const message = await client.download(id);
    expect(message.body.equals(payload)).toBe(true);
  });

  describe('against a misbehaving server', () => {
    let raw: http.Server;
    let base: string;
    beforeAll(async () => {
      raw = http.createServer((req, res) => {
        if (req.url === '/huge') {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const block = Buffer.alloc(64 * 1024);
          let sent = 0;
          const pump = () => {
            while (sent < 4 * 1024 * 1024) {
              sent += block.length;
              if (!res.write(block)) return void res.once('drain', pump);
            }
            res.end();
          };
          pump();
        } else if (req.url === '/reset') {
          res.writeHead(200, { 'content-length': '1000' });
          res.write('partial');
          setTimeout(() => req.socket.destroy(), 10);
        } else {
          // Never answers: exercises the timeout.
        }
      });
      await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      raw.closeAllConnections();
      await new Promise((r) => raw.close(r));
    });

    it('caps the response size', async () => {
      const t = nodeHttpTransport({ maxResponseBytes: 1024 * 1024 });
      await expect(t({ method: 'GET', url: `${base}/huge`, headers: {} })).rejects.toBeInstanceOf(MeshResponseTooLargeError);
      const f = fetchTransport(globalThis.fetch, { maxResponseBytes: 1024 * 1024 });
      await expect(f({ method: 'GET', url: `${base}/huge`, headers: {} })).rejects.toBeInstanceOf(MeshResponseTooLargeError);
    });

    it('turns a connection reset mid-body into MeshNetworkError', async () => {
      const t = nodeHttpTransport();
      await expect(t({ method: 'GET', url: `${base}/reset`, headers: {} })).rejects.toBeInstanceOf(MeshNetworkError);
    });

    it('times out a server that never answers', async () => {
      const t = nodeHttpTransport({ timeoutMs: 200 });
      await expect(t({ method: 'GET', url: `${base}/hang`, headers: {} })).rejects.toThrow(/timed out/);
    });
  });
});
