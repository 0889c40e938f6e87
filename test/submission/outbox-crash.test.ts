/**
 * Fault test: a child process delivering 1 000 bundles through the outbox is SIGKILLed mid-batch and
 * restarted. Every bundle must reach the ADS stand-in at least once; duplicates stay within the number
 * of sends in flight and are counted by both sides.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/server/index.js';
import { Outbox } from '../../src/submission/index.js';
import { sandboxEnv } from './helpers.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const childScript = join(import.meta.dirname, 'fixtures', 'outbox-child.ts');
const BATCH = 1000;
const CONCURRENCY = 8;

let sandbox: RunningSandbox;
let dir: string;
let received = 0;
let onCount: ((n: number) => void) | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ads-outbox-crash-'));
  sandbox = await startSandbox({
    ads: {
      rateLimitPerMinute: false,
      onReceived: () => {
        received++;
        onCount?.(received);
      },
    },
  });
  writeFileSync(join(dir, 'key.pem'), sandbox.client!.privateKeyPem, { mode: 0o600 });
});

afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

function runChild(): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    cwd: repoRoot,
    env: {
      ...process.env,
      OUTBOX_PATH: join(dir, 'outbox.sqlite'),
      BATCH_SIZE: String(BATCH),
      CONCURRENCY: String(CONCURRENCY),
      ...sandboxEnv(sandbox, join(dir, 'key.pem')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal, out })),
  );
  return { child, done };
}

describe('outbox survives SIGKILL mid-batch', () => {
  it('delivers every bundle at least once with bounded, counted duplicates', async () => {
    const first = runChild();
    onCount = (n) => {
      if (n >= 300 && first.child.exitCode === null && !first.child.killed) first.child.kill('SIGKILL');
    };
    const killed = await first.done;
    onCount = undefined;
    expect(killed.signal, killed.out).toBe('SIGKILL');
    const receivedBeforeRestart = received;
    expect(receivedBeforeRestart).toBeLessThan(BATCH);

    // What the crash left behind: nothing lost, some entries interrupted in `sending`.
    const peek = Outbox.open(join(dir, 'outbox.sqlite'));
    const interrupted = peek.status();
    expect(interrupted.total).toBe(BATCH);
    peek.close(); // opening re-queued the interrupted sends; the restarted child finds them queued

    const second = runChild();
    const finished = await second.done;
    expect(finished.code, finished.out).toBe(0);
    const final = JSON.parse(finished.out.trim().split('\n').at(-1)!) as { status: Record<string, number> };
    expect(final.status.accepted).toBe(BATCH);
    expect(final.status.failed).toBe(0);

    const stats = sandbox.adsServer.store.stats();
    const ids = sandbox.adsServer.store.bundleIds();
    for (let i = 0; i < BATCH; i++) expect(ids.has(`fault-${i}`)).toBe(true);
    expect(stats.distinct).toBe(BATCH);
    expect(stats.duplicates).toBeLessThanOrEqual(CONCURRENCY);
    // Each duplicate the server saw is an entry the outbox knew it had to re-send after the crash.
    expect(stats.duplicates).toBeLessThanOrEqual(final.status.recovered!);
    expect(final.status.recovered).toBeLessThanOrEqual(CONCURRENCY);
    const outbox = Outbox.open(join(dir, 'outbox.sqlite'));
    expect(outbox.list({ states: ['accepted'] }).every((e) => e.receiptId !== undefined)).toBe(true);
    outbox.close();
  });
});
