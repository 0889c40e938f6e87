/**
 * An ADS API error answer that quotes patient data (names, birth dates, addresses, NHS numbers): none of it
 * reaches the command's output, the client's log events or the outbox, unless the operator asked the
 * outbox to keep the free text; even then it never reaches the output or the log.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerOutbox } from '../../src/cli/commands/outbox.js';
import { register as registerSubmit } from '../../src/cli/commands/submit.js';
import { type RunningSandbox, startSandbox } from '../../src/server/index.js';
import { AdsClient, type SubmissionLogEvent, TokenClient } from '../../src/submission/index.js';
import { runCliFresh } from '../helpers/run-cli.js';
import { sandboxEnv } from './helpers.js';

const PATIENT = ['Jane Doe', '1961-04-02', '1 High Street', 'LS1 4AP', '9434765919'];
const OUTCOME = {
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: 'invalid',
      expression: ['Bundle.entry[3].resource.name[0]'],
      diagnostics: 'Patient Jane Doe (born 1961-04-02, NHS 9434765919) of 1 High Street, LS1 4AP is not allowed here',
    },
  ],
};

let sandbox: RunningSandbox;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ mesh: false, ads: { rateLimitPerMinute: false, inject: () => ({ status: 400, body: OUTCOME }) } });
  dir = mkdtempSync(join(tmpdir(), 'ads-no-patient-data-'));
  writeFileSync(join(dir, 'key.pem'), sandbox.client!.privateKeyPem, { mode: 0o600 });
  Object.assign(process.env, sandboxEnv(sandbox, join(dir, 'key.pem')));
});
afterAll(async () => {
  process.env = saved;
  process.exitCode = undefined;
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCliFresh([registerSubmit, registerOutbox], ...args);

/** Every byte of the outbox's files, as text. */
function outboxBytes(file: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith(file))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}

describe('patient data in an API error answer', () => {
  it('is shown as issue codes and FHIRPaths only: not in the output, the log events or the outbox', async () => {
    const bundle = join(dir, 'bundle.json');
    writeFileSync(bundle, JSON.stringify({ resourceType: 'Bundle', id: 'quoted', type: 'message', entry: [] }));
    const submitted = await run('submit', '--skip-validation', '--outbox', join(dir, 'plain.sqlite'), bundle);
    expect(submitted.code).toBe(1);
    expect(submitted.out).toContain('ADS answered 400 (bad-request): 1 issue: error invalid @ Bundle.entry[3].resource.name[0]');
    const status = await run('outbox', 'status', '--outbox', join(dir, 'plain.sqlite'));
    expect(status.out).toContain('ADS answered 400 (bad-request)');
    for (const text of PATIENT) {
      expect(submitted.out).not.toContain(text);
      expect(status.out).not.toContain(text);
      expect(outboxBytes('plain.sqlite')).not.toContain(text);
    }

    const events: SubmissionLogEvent[] = [];
    const client = new AdsClient({
      baseUrl: sandbox.adsBaseUrl,
      auth: new TokenClient({ tokenUrl: sandbox.tokenUrl, apiKey: sandbox.client!.apiKey, kid: sandbox.client!.kid, privateKey: sandbox.client!.privateKey }),
      rateLimit: false,
      log: (e) => events.push(e),
    });
    await expect(client.submit({ resourceType: 'Bundle' })).rejects.toMatchObject({ code: 'bad-request' });
    expect(events.some((e) => e.event === 'failed')).toBe(true);
    for (const text of PATIENT) expect(JSON.stringify(events)).not.toContain(text);
  });

  it('is kept in the outbox (redacted of NHS numbers) only when the operator asks, and still never printed by submit', async () => {
    const bundle = join(dir, 'kept.json');
    writeFileSync(bundle, JSON.stringify({ resourceType: 'Bundle', id: 'kept', type: 'message', entry: [] }));
    const submitted = await run('submit', '--skip-validation', '--keep-free-text', '--outbox', join(dir, 'kept.sqlite'), bundle);
    expect(submitted.code).toBe(1);
    for (const text of PATIENT) expect(submitted.out).not.toContain(text);
    const status = await run('outbox', 'status', '--outbox', join(dir, 'kept.sqlite'));
    expect(status.out).toContain('the API said:');
    expect(status.out).toContain('Jane Doe');
    expect(status.out).not.toContain('9434765919');
  });
});
