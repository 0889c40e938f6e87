import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithShared } from '../support/shared.js';
import { MeshClient, MeshHttpError } from '../../src/mesh/index.js';
import { startMeshServer, type MeshStandIn, type MeshStandInWorkflow } from '../../src/server/mesh-server.js';

const jsonl = <T>(canned: string, file: string) =>
  readFileSync(path.join(canned, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

describeWithShared('stand-in configured like the reference sandbox (canned mailboxes and workflows)', ['apis', 'specs', 'mesh-sandbox-canned'], (canned) => {
  const mailboxes = jsonl<{ mailbox_id: string; password: string }>(canned, 'mailboxes.jsonl').map((m) => ({ mailboxId: m.mailbox_id, password: m.password }));
  const workflows = jsonl<{ workflow_id: string; senders: string[]; receivers: string[] }>(canned, 'workflows.jsonl').map(
    (w): MeshStandInWorkflow => ({ workflowId: w.workflow_id, senders: w.senders, receivers: w.receivers }),
  );
  const sharedKey = `canned-${process.pid}`;
  let server: MeshStandIn;
  beforeAll(async () => {
    server = await startMeshServer({ mailboxes, workflows, sharedKey });
  });
  afterAll(async () => {
    await server.close();
  });
  const client = (mailboxId: string) =>
    new MeshClient({ baseUrl: server.url, mailboxId, mailboxPassword: mailboxes.find((m) => m.mailboxId === mailboxId)!.password, sharedKey });

  it('has the three canned mailboxes', () => {
    expect(mailboxes.map((m) => m.mailboxId)).toEqual(['X26ABC1', 'X26ABC2', 'X26ABC3']);
  });

  it('allows a registered sender and receiver, and refuses the others with codes 16 and 17', async () => {
    const ok = await client('X26ABC1').send({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'hi' });
    expect(await client('X26ABC2').listInbox()).toContain(ok.messageId);

    const wrongReceiver = await client('X26ABC1').send({ to: 'X26ABC3', workflowId: 'TEST_WORKFLOW', body: 'x' }).catch((e: unknown) => e);
    expect(wrongReceiver).toBeInstanceOf(MeshHttpError);
    expect((wrongReceiver as MeshHttpError).detail.code).toBe('17');

    const wrongSender = await client('X26ABC3').send({ to: 'X26ABC1', workflowId: 'TEST_WORKFLOW_ACK', body: 'x' }).catch((e: unknown) => e);
    expect((wrongSender as MeshHttpError).detail.code).toBe('16');
  });
});
