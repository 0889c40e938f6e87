/**
 * Fault test through the command line: two `ads-fhir submit` processes deliver their own batches from
 * one outbox at the same time, and whichever holds the outbox's writer lease is SIGKILLed again and again
 * mid-delivery, then started again (as `ads-fhir submit` with no files: deliver what is queued).
 * Nothing may be lost, and each crash may cost at most as many duplicate sends as it had sends in flight.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/server/index.js';
import { Outbox } from '../../src/submission/index.js';
import { sandboxEnv } from './helpers.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const cli = join(repoRoot, 'src', 'cli', 'main.ts');
// By URL: the submitters run in a temporary folder, where the package name would not resolve.
const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const PER_SUBMITTER = 120;
const KILLS = 4;
// A hang guard, not a speed check: on a loaded 2-core machine one case has taken over a minute.
const GIVE_UP_MS = 280_000;

let sandbox: RunningSandbox;
let dir: string;
let onReceived: (() => void) | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ads-outbox-crash-'));
  sandbox = await startSandbox({ mesh: false, ads: { rateLimitPerMinute: false, onReceived: () => onReceived?.() } });
  writeFileSync(join(dir, 'key.pem'), sandbox.client!.privateKeyPem, { mode: 0o600 });
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes one submitter's batch as files and returns their paths. */
function batch(name: string): string[] {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  return Array.from({ length: PER_SUBMITTER }, (_, i) => {
    const file = join(folder, `${i}.json`);
    writeFileSync(file, JSON.stringify({ resourceType: 'Bundle', id: `${name}-${i}`, type: 'message', entry: [] }));
    return file;
  });
}

interface Run {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>;
}

function submit(outbox: string, concurrency: number, files: string[]): Run {
  const child = spawn(process.execPath, ['--import', tsxLoader, cli, 'submit', '--outbox', outbox, '--skip-validation', '--concurrency', String(concurrency), ...files], {
    cwd: dir,
    env: { ...process.env, ...sandboxEnv(sandbox, join(dir, 'key.pem')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal, out }))) };
}

/** The pid recorded by the worker holding the outbox's writer lease, if any. */
function leaseHolderPid(outbox: string): number | undefined {
  try {
    const db = new Database(outbox, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT pid FROM writer_lease WHERE id = 1').get() as { pid: number } | undefined)?.pid;
    } finally {
      db.close();
    }
  } catch {
    return undefined; // not created yet
  }
}

describe('two submitters on one outbox, the delivering one killed repeatedly', () => {
  it.each([1, 4])('loses nothing and duplicates at most %i send(s) per crash', async (concurrency) => {
    const outbox = join(dir, `outbox-${concurrency}.sqlite`);
    const names = [`c${concurrency}a`, `c${concurrency}b`];
    const files = names.map(batch);
    const before = sandbox.adsServer.store.stats();
    const running = new Map<number, Run>();
    const finished: { code: number | null; out: string }[] = [];
    let kills = 0;
    let seen = 0;
    const start = (list: string[]) => {
      const run = submit(outbox, concurrency, list);
      running.set(run.child.pid!, run);
      void run.exited.then((result) => {
        running.delete(run.child.pid!);
        if (result.signal === 'SIGKILL') start([]); // the killed submitter comes back to deliver what is queued
        else finished.push(result);
      });
    };
    // Kill the lease holder every 40 bundles the stand-in receives, while kills remain.
    onReceived = () => {
      seen++;
      if (kills >= KILLS || seen % 40 !== 0) return;
      const pid = leaseHolderPid(outbox);
      const holder = pid === undefined ? undefined : running.get(pid);
      if (holder && holder.child.exitCode === null && !holder.child.killed) {
        kills++;
        holder.child.kill('SIGKILL');
      }
    };
    files.forEach((list) => start(list));
    // Every submitter, restarted ones included, must end on its own.
    for (let waited = 0; (running.size > 0 || finished.length < 2) && waited < GIVE_UP_MS; waited += 100) await new Promise((r) => setTimeout(r, 100));
    onReceived = undefined;
    const outputs = () => finished.map((f) => `[submitter exited ${f.code}]\n${f.out}`).join('\n---\n');
    expect(running.size, `${running.size} submitter(s) still running; ${outputs()}`).toBe(0);
    expect(kills, outputs()).toBeGreaterThanOrEqual(2);
    for (const f of finished) expect(f.code, outputs()).toBe(0);

    // Nothing lost: every bundle of both batches reached the stand-in, and the outbox says accepted.
    const ids = sandbox.adsServer.store.bundleIds();
    for (const name of names) for (let i = 0; i < PER_SUBMITTER; i++) expect(ids.has(`${name}-${i}`), `${name}-${i}`).toBe(true);
    const box = Outbox.open(outbox, { mustExist: true });
    const status = box.status();
    box.close();
    expect(status).toMatchObject({ total: 2 * PER_SUBMITTER, accepted: 2 * PER_SUBMITTER, queued: 0, sending: 0, failed: 0 });

    // Duplicates come only from crashes: at most the sends in flight per crash, and each one counted.
    const after = sandbox.adsServer.store.stats();
    const duplicates = after.duplicates - before.duplicates;
    expect(after.distinct - before.distinct).toBe(2 * PER_SUBMITTER);
    expect(duplicates).toBeLessThanOrEqual(kills * concurrency);
    expect(duplicates).toBeLessThanOrEqual(status.recovered);
    expect(status.recovered).toBeLessThanOrEqual(kills * concurrency);
  }, GIVE_UP_MS + 20_000);
});
