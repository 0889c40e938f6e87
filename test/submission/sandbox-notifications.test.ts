/** The sandbox's processing-service side: a validator that throws still ends in a notification, not a 500. */
import { expect, it } from 'vitest';
import { MeshClient, pollNotifications, DefaultNotificationParser } from '../../src/mesh/index.js';
import { startSandbox } from '../../src/server/index.js';
import { createSubmissionClient } from '../../src/submission/index.js';

it('a validator that throws gives the bundle a fatal exception notification', async () => {
  const sandbox = await startSandbox({
    mesh: { notificationDelayMs: 0 },
    validate: () => {
      throw new Error('validator bug quoting 9434765919');
    },
  });
  try {
    const { client, mesh } = sandbox;
    const ads = createSubmissionClient({
      environment: 'local', baseUrl: sandbox.adsBaseUrl, tokenUrl: sandbox.tokenUrl, apiKey: client!.apiKey, kid: client!.kid, privateKey: client!.privateKey,
    });
    const receipt = await ads.submit({ resourceType: 'Bundle', id: 'x', type: 'collection' }, { correlationId: 'corr-x' });
    await sandbox.notificationsPosted();
    const meshClient = new MeshClient({ baseUrl: mesh!.url, mailboxId: mesh!.mailboxId, mailboxPassword: mesh!.password, sharedKey: mesh!.sharedKey });
    const items = [];
    for await (const item of pollNotifications(meshClient, new DefaultNotificationParser())) items.push(item);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: 'notification',
      notification: {
        status: 'rejected',
        submissionRef: { receiptId: receipt.receiptId, correlationId: 'corr-x', bundleId: 'x' },
        issues: [{ severity: 'fatal', code: 'exception', diagnostics: 'The bundle could not be validated' }],
      },
    });
  } finally {
    await sandbox.stop();
  }
});
