/** `submit` and `outbox` subcommands against the stand-ins, in-process. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerOutbox } from '../../src/cli/commands/outbox.js';
import { register as registerSubmit } from '../../src/cli/commands/submit.js';
import { type RunningSandbox, startSandbox } from '../../src/server/index.js';
import { runCliFresh } from '../helpers/run-cli.js';
import { sandboxEnv } from './helpers.js';

let sandbox: RunningSandbox;
let dir: string;
const saved = { ...process.env };
const examples = resolve(import.meta.dirname, '..', '..', 'examples');
const valid = join(examples, 'bundles', 'conveyed-to-ed.json');
const broken = join(examples, 'broken', 'dangling-reference.json');

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

const run = (...args: string[]) => runCliFresh([registerSubmit, registerOutbox], ...args);

const received = () => sandbox.adsServer.store.stats().received;

describe('ads-fhir submit / outbox', () => {
  it('refuses the whole batch when a file cannot be read: nothing queued, nothing sent', async () => {
    writeFileSync(join(dir, 'b.json'), '{not json');
    const before = received();
    const r = await run('submit', valid, join(dir, 'b.json'));
    expect(r.code).toBe(1);
    expect(r.out).toContain(`cannot submit ${join(dir, 'b.json')}: not valid JSON`);
    expect(r.out).toContain('nothing was queued');
    expect(existsSync(join(dir, 'outbox.sqlite'))).toBe(false);
    expect(received()).toBe(before);
  });

  it('validates first: an invalid bundle is reported and refused, with exit 1 and nothing queued', async () => {
    const before = received();
    const r = await run('submit', valid, broken);
    expect(r.code).toBe(1);
    expect(r.out).toContain(broken);
    // The dangling subject is reported where it is.
    expect(r.out).toMatch(/error\s+[^\n]*Bundle\.entry\[7\]\.resource\.subject/);
    expect(r.out).toContain('1 of 2 bundles failed validation; nothing was queued');
    expect(r.out).not.toContain('queued #');
    expect(existsSync(join(dir, 'outbox.sqlite'))).toBe(false);
    expect(received()).toBe(before);
  }, 60_000);

  it('queues and delivers a valid bundle, naming where it delivers', async () => {
    const r = await run('submit', valid);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`queued #1 ${valid}`);
    expect(r.out).toContain(`delivering to a local API at ${sandbox.adsBaseUrl}/$process-message`);
    expect(r.out).toMatch(/accepted #1 receipt [0-9a-f-]{36}/);
    expect(r.out).toContain('outbox: 1 accepted, 0 failed, 0 queued');
    const id = (JSON.parse(readFileSync(valid, 'utf8')) as { id: string }).id;
    expect(sandbox.adsServer.store.bundleIds().has(id)).toBe(true);
    const status = JSON.parse((await run('outbox', 'status', '--json')).out) as Record<string, number>;
    expect(status).toMatchObject({ accepted: 1, total: 1 });
  }, 60_000);

  it('does not queue the same bundle twice without --force', async () => {
    const before = received();
    const again = await run('submit', valid);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/already in the outbox as #1 \(same Bundle.id /);
    expect(again.out).toContain('nothing was queued (--force to queue them again)');
    expect(received()).toBe(before);
    const forced = await run('submit', '--force', valid);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('queued #2');
    expect(received()).toBe(before + 1);
  }, 60_000);

  it('queues an invalid bundle when told to skip validation', async () => {
    // The broken example shares its Bundle.id with the valid one it was made from: give it its own.
    const own = join(dir, 'broken-own-id.json');
    writeFileSync(own, JSON.stringify({ ...(JSON.parse(readFileSync(broken, 'utf8')) as object), id: 'broken-own-id' }));
    const r = await run('submit', '--skip-validation', '--no-deliver', own);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`queued #3 ${own}`);
    expect(JSON.parse((await run('outbox', 'status', '--json')).out)).toMatchObject({ queued: 1, accepted: 2 });
  });

  it('outbox commands on a mistyped path say so and create nothing', async () => {
    const typo = join(dir, 'outbx.sqlite');
    for (const sub of ['status', 'list', 'retry-failed']) {
      const r = await run('outbox', sub, '--outbox', typo);
      expect(r.code).toBe(2);
      expect(r.out).toContain(`no outbox at ${typo}`);
    }
    expect(existsSync(typo)).toBe(false);
  });

  it('validates with the ADS and UK rules: a bundle breaking one is refused where it breaks, and no value is printed (exit 1)', async () => {
    const examples = join(import.meta.dirname, '..', '..', 'examples', 'broken');
    const before = received();
    const r = await run('submit', '--no-deliver', join(examples, 'response-before-call.json'), join(examples, 'nhs-number-wrong-check-digit.json'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('Bundle.entry[4].resource.extension[0]'); // ADS_RESPONSE_BEFORE_CALL
    expect(r.out).toContain('Bundle.entry[5].resource.identifier[0]'); // UK_NHS_NUMBER_INVALID
    expect(r.out).toContain('2 of 2 bundles failed validation; nothing was queued');
    expect(r.out).not.toContain('9991234013');
    expect(received()).toBe(before);
  }, 60_000);
});
