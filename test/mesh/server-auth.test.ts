import { describe, expect, it } from 'vitest';
import { buildMeshAuthHeader, formatMeshTimestamp } from '../../src/mesh/index.js';
import { authFor, SHARED_KEY, useStandIn } from './helpers.js';

const V2 = 'application/vnd.mesh.v2+json';

describe('MESH stand-in authentication', () => {
  const ctx = useStandIn();

  const inbox = (authorization: string | undefined, accept = V2, mailbox = 'X26ABC1') =>
    fetch(`${ctx.server.url}/messageexchange/${mailbox}/inbox`, {
      headers: { accept, ...(authorization !== undefined ? { authorization } : {}) },
    });

  it('accepts a fresh token and rejects the same token replayed', async () => {
    const token = authFor(0);
    expect((await inbox(token)).status).toBe(200);
    const replay = await inbox(token);
    expect(replay.status).toBe(403);
    const body = (await replay.json()) as { detail: Array<{ msg: string }>; internal_id: string };
    expect(body.detail[0]!.msg).toBe('Authentication token already used');
    expect(typeof body.internal_id).toBe('string');
  });

  it('uses the v1 error body under v1', async () => {
    const res = await inbox('NHSMESH garbage', 'application/json');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errorDescription: 'Error reading from Authorization header' });
  });

  it('rejects missing header, wrong mailbox, unknown mailbox and bad hash', async () => {
    const cases: Array<[string | undefined, string, string]> = [
      [undefined, 'X26ABC1', 'Error reading from Authorization header'],
      [authFor(1), 'X26ABC1', 'Mailbox id does not match token'],
      [tokenFor('X26ZZZ9', 'pw'), 'X26ZZZ9', 'No mailbox matched'],
      [tokenFor('X26ABC1', 'wrong-password'), 'X26ABC1', 'Invalid Authentication Token'],
    ];
    for (const [auth, mailbox, message] of cases) {
      const res = await inbox(auth, 'application/json', mailbox);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { errorDescription: string }).errorDescription).toBe(message);
    }
  });

  it('allows a clock 3 minutes off but not one 3 hours off', async () => {
    const skewed = (ms: number) => () => new Date(Date.now() + ms);
    expect((await inbox(authFor(0, skewed(3 * 60_000)))).status).toBe(200);
    expect((await inbox(authFor(0, skewed(-3 * 60_000)))).status).toBe(200);
    const late = await inbox(authFor(0, skewed(-3 * 3600_000)), 'application/json');
    expect(late.status).toBe(403);
    expect(await late.json()).toEqual({ errorDescription: 'Authentication token timestamp outside the allowed window' });
    expect((await inbox(authFor(0, skewed(3 * 3600_000)))).status).toBe(403);
  });

  it('rejects an unknown vnd.mesh Accept version with 400', async () => {
    const res = await inbox(authFor(0), 'application/vnd.mesh.v9+json');
    expect(res.status).toBe(400);
  });

  it('requires the handshake headers (400 with the validation shape)', async () => {
    const res = await fetch(`${ctx.server.url}/messageexchange/X26ABC1`, { method: 'POST', headers: { authorization: authFor(0), accept: V2 } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { detail: Array<{ loc: string[] }> };
    expect(body.detail.map((d) => d.loc[1])).toEqual(['mex-clientversion', 'mex-osname', 'mex-osversion']);
  });

  it('answers a missing mex-To with 400 and chunk posts to a finished message with 423', async () => {
    const noTo = await fetch(`${ctx.server.url}/messageexchange/X26ABC1/outbox`, {
      method: 'POST',
      headers: { authorization: authFor(0), accept: V2, 'mex-workflowid': 'WF', 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(noTo.status).toBe(400);
    const sent = await fetch(`${ctx.server.url}/messageexchange/X26ABC1/outbox`, {
      method: 'POST',
      headers: { authorization: authFor(0), accept: V2, 'mex-to': 'X26ABC2', 'mex-workflowid': 'WF', 'content-type': 'application/octet-stream' },
      body: 'x',
    });
    expect(sent.status).toBe(202);
    const { message_id } = (await sent.json()) as { message_id: string };
    const late = await fetch(`${ctx.server.url}/messageexchange/X26ABC1/outbox/${message_id}/2`, {
      method: 'POST',
      headers: { authorization: authFor(0), accept: V2, 'mex-chunk-range': '2:2', 'content-type': 'application/octet-stream' },
      body: 'y',
    });
    expect(late.status).toBe(423);
  });

  it('injects REPORT messages through the admin endpoint', async () => {
    const res = await fetch(`${ctx.server.url}/messageexchange/admin/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mailbox_id: 'X26ABC3', code: '14', description: 'Undelivered', workflow_id: 'WF', status: 'undeliverable', linked_message_id: 'ABC' }),
    });
    expect(res.status).toBe(200);
    const { message_id } = (await res.json()) as { message_id: string };
    const dl = await fetch(`${ctx.server.url}/messageexchange/X26ABC3/inbox/${message_id}`, { headers: { authorization: authFor(2), accept: V2 } });
    expect(dl.headers.get('mex-messagetype')).toBe('REPORT');
    expect(dl.headers.get('mex-linkedmsgid')).toBe('ABC');
    expect(dl.headers.get('mex-statuscode')).toBe('14');
  });
});

function tokenFor(mailboxId: string, password: string): string {
  return buildMeshAuthHeader({
    mailboxId,
    mailboxPassword: password,
    sharedKey: SHARED_KEY,
    nonce: crypto.randomUUID(),
    nonceCount: 1,
    timestamp: formatMeshTimestamp(new Date()),
  });
}
