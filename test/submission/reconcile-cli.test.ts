/** `reconcile` and `outbox status` against the sandbox, in-process. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { register as registerOutbox } from '../../src/cli/commands/outbox.js';
import { register as registerReconcile } from '../../src/cli/commands/reconcile.js';
import { defaultNotificationHeaders, encodeDefaultNotification } from '../../src/mesh/index.js';
import { type RunningSandbox, startSandbox } from '../../src/server/index.js';
import { createSubmissionClient, Outbox, OutboxWorker } from '../../src/submission/index.js';
import { runCliFresh } from '../helpers/run-cli.js';

let sandbox: RunningSandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    mesh: { notificationDelayMs: 10 },
    validate: (bundle) => ({
      resourceType: 'OperationOutcome',
      issue:
        (bundle as { id?: string }).id === 'bad'
          ? [{ severity: 'error', code: 'required', expression: ['Bundle.entry[0].resource.subject'], diagnostics: 'Patient Jane Doe has no NHS number' }]
          : [],
    }),
  });
  dir = mkdtempSync(join(tmpdir(), 'ads-reconcile-cli-'));
  writeFileSync(join(dir, 'pw'), sandbox.mesh!.password);
  writeFileSync(join(dir, 'key'), sandbox.mesh!.sharedKey);
  writeFileSync(join(dir, 'mesh.json'), JSON.stringify({ baseUrl: sandbox.mesh!.url, mailboxId: sandbox.mesh!.mailboxId, passwordFile: 'pw', sharedKeyFile: 'key' }));
});
afterAll(async () => {
  process.exitCode = undefined;
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCliFresh([registerReconcile, registerOutbox], ...args);

it('reconciles the stand-in notifications into the outbox and shows rejections without free text', async () => {
  const file = join(dir, 'outbox.sqlite');
  const outbox = Outbox.open(file);
  outbox.enqueueMany([{ resourceType: 'Bundle', id: 'good', type: 'collection' }, { resourceType: 'Bundle', id: 'bad', type: 'collection' }], { sources: ['out/good.json', 'out/bad.json'] });
  const client = createSubmissionClient({
    environment: 'local', baseUrl: sandbox.adsBaseUrl, tokenUrl: sandbox.tokenUrl,
    apiKey: sandbox.client!.apiKey, kid: sandbox.client!.kid, privateKey: sandbox.client!.privateKey,
  });
  await new OutboxWorker(outbox, client).drain();
  outbox.close();
  await sandbox.notificationsPosted();
  const stray = { receiptId: 'receipt-from-elsewhere' };
  sandbox.mesh!.server.postMessage(
    sandbox.mesh!.mailboxId,
    encodeDefaultNotification({ submissionRef: stray, status: 'rejected', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] } }),
    { 'mex-From': sandbox.mesh!.serviceMailbox, ...defaultNotificationHeaders(stray) },
  );

  const reconciled = await run('reconcile', '--config', join(dir, 'mesh.json'), '--outbox', file);
  expect(reconciled.code).toBe(0);
  expect(reconciled.out).toContain('reconciled: 1 rejected, 1 confirmed, 1 unmatched');
  expect(sandbox.mesh!.server.inboxIds(sandbox.mesh!.mailboxId)).toEqual([]);

  const status = await run('outbox', 'status', '--outbox', file);
  expect(status.out).toMatch(/rejected\s+1/);
  expect(status.out).toMatch(/confirmed\s+1/);
  // The source file, the ids, and each issue as a message that quotes nothing from the bundle.
  expect(status.out).toMatch(/#2 out\/bad.json bundle bad receipt [0-9a-f-]{36} \(MESH message \S+\)\n\s+error: Required element missing at Bundle.entry\[0\].resource.subject/);
  expect(status.out).toContain('receipt receipt-from-elsewhere');
  expect(status.out).not.toContain('Jane Doe');

  const json = JSON.parse((await run('outbox', 'status', '--outbox', file, '--json')).out) as { details: { rejected: unknown[]; unmatched: unknown[] } };
  expect(json.details.rejected).toEqual([
    expect.objectContaining({
      bundleId: 'bad',
      source: 'out/bad.json',
      notification: expect.objectContaining({ matchedBy: 'receiptId', issues: [expect.objectContaining({ code: 'required', message: 'error: Required element missing at Bundle.entry[0].resource.subject' })] }),
    }),
  ]);
  expect(json.details.unmatched).toHaveLength(1);
  expect(JSON.stringify(json)).not.toContain('Jane Doe');
});

it('fails with exit code 1 and no stack trace when MESH settings are missing', async () => {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('MESH_')) delete process.env[k];
  try {
    const result = await run('reconcile', '--outbox', join(dir, 'other.sqlite'));
    expect(result.code).toBe(1);
    expect(result.out).toContain('MESH configuration is missing');
    expect(result.out).not.toContain('    at ');
  } finally {
    process.env = saved;
  }
});
