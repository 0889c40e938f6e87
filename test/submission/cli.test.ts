/** `submit` and `outbox` subcommands against the stand-ins, in-process. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerOutbox } from '../../src/cli/commands/outbox.js';
import { register as registerSubmit } from '../../src/cli/commands/submit.js';
import { type RunningSandbox, startSandbox } from '../../src/server/index.js';
import { runCli } from '../helpers/run-cli.js';
import { sandboxEnv } from './helpers.js';

let sandbox: RunningSandbox;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  sandbox = await startSandbox({ ads: { rateLimitPerMinute: false } });
  dir = mkdtempSync(join(tmpdir(), 'ads-cli-'));
  writeFileSync(join(dir, 'key.pem'), sandbox.client!.privateKeyPem, { mode: 0o600 });
  Object.assign(process.env, sandboxEnv(sandbox, join(dir, 'key.pem')), { ADS_OUTBOX: join(dir, 'outbox.sqlite') });
});
afterAll(async () => {
  process.env = saved;
  process.exitCode = undefined;
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string> {
  return (await runCli([registerSubmit, registerOutbox], ...args)).out;
}

describe('ads-fhir submit / outbox', () => {
  it('queues good files, skips bad ones, delivers and reports', async () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ resourceType: 'Bundle', id: 'cli-a', type: 'message' }));
    writeFileSync(join(dir, 'b.json'), '{not json');
    process.exitCode = undefined;
    const out = await run('submit', '--no-validate', join(dir, 'a.json'), join(dir, 'b.json'));
    expect(out).toContain('skipped');
    expect(out).toContain('not valid JSON');
    expect(out).toMatch(/accepted #1 receipt [0-9a-f-]{36}/);
    expect(out).toContain('outbox: 1 accepted, 0 failed');
    expect(process.exitCode).toBe(1); // one file was skipped
    expect(sandbox.adsServer.store.bundleIds().has('cli-a')).toBe(true);

    const status = await run('outbox', 'status', '--json');
    expect(JSON.parse(status)).toMatchObject({ accepted: 1, total: 1 });
  });

  it('validates before queueing: a bundle breaking an ADS rule is not queued, by rule id and never by value (exit 1)', async () => {
    const examples = join(import.meta.dirname, '..', '..', 'examples');
    process.exitCode = undefined;
    const out = await run('submit', '--no-deliver', '--outbox', join(dir, 'validated.sqlite'),
      join(examples, 'broken', 'response-before-call.json'), join(examples, 'broken', 'nhs-number-wrong-check-digit.json'), join(examples, 'bundles', 'conveyed-to-ed.json'));
    expect(out).toMatch(/not queued .*response-before-call\.json: 1 error/);
    expect(out).toContain('ADS_RESPONSE_BEFORE_CALL Bundle.entry[4].resource.extension[0]');
    expect(out).toContain('UK_NHS_NUMBER_INVALID');
    expect(out).not.toContain('9991234013');
    expect(out).toMatch(/queued #1 .*conveyed-to-ed\.json/);
    expect(process.exitCode).toBe(1);
  }, 60_000);
});
