import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshStandIn } from '../../src/server/mesh-server.js';
import { clientFor, startStandIn } from './helpers.js';

describe('inbox paging past 500 (stand-in seeded with 1 200 messages)', () => {
  let server: MeshStandIn;
  const seeded: string[] = [];
  beforeAll(async () => {
    server = await startStandIn();
    for (let i = 0; i < 1200; i++) {
      seeded.push(server.postMessage('X26ABC1', `m${i}`, { 'mex-From': 'X26ABC2', 'mex-WorkflowID': i % 2 ? 'WF_ODD' : 'WF_EVEN' }));
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('v2 follows links.next through three pages and returns every id once, in order', async () => {
    const client = clientFor(server, 0);
    const first = await client.listInboxPage();
    expect(first.messageIds).toHaveLength(500);
    expect(first.next).toMatch(/continue_from=/);
    expect(first.approxInboxCount).toBe(1200);

    const before = server.requests.length;
    const ids = await client.listInbox();
    expect(ids).toEqual(seeded);
    expect(server.requests.length - before).toBe(3);
  });

  it('v1 continues from the last id of a full page', async () => {
    const ids = await clientFor(server, 0, { apiVersion: 1 }).listInbox();
    expect(ids).toEqual(seeded);
  });

  it('honours max_results and the workflow filter', async () => {
    const client = clientFor(server, 0);
    const page = await client.listInboxPage({ maxResults: 100 });
    expect(page.messageIds).toHaveLength(100);
    const odd = await client.listInbox({ workflowFilter: 'WF_ODD' });
    expect(odd).toHaveLength(600);
    const notOdd = await client.listInbox({ workflowFilter: '!*ODD' });
    expect(notOdd).toHaveLength(600);
    expect(new Set([...odd, ...notOdd]).size).toBe(1200);
  });
});
