import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultNotificationHeaders, encodeDefaultNotification } from '../../mesh/index.js';
import { startMeshServer, type MeshStandIn } from '../../server/mesh-server.js';
import { register } from './mesh.js';

const password = `cli-pw-${process.pid}`;
const sharedKey = `cli-key-${process.pid}`;

async function run(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  process.exitCode = undefined;
  try {
    const program = new Command('ads-fhir').exitOverride();
    register(program);
    await program.parseAsync(['node', 'ads-fhir', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out, err, code };
}

describe('ads-fhir mesh poll', () => {
  let server: MeshStandIn;
  let configFile: string;
  beforeAll(async () => {
    server = await startMeshServer({ mailboxes: [{ mailboxId: 'X26ABC1', password }, { mailboxId: 'X26ABC3', password: 'x' }], sharedKey });
    const dir = mkdtempSync(path.join(tmpdir(), 'mesh-cli-'));
    writeFileSync(path.join(dir, 'pw.txt'), `${password}\n`);
    writeFileSync(path.join(dir, 'key.txt'), sharedKey);
    configFile = path.join(dir, 'mesh.json');
    writeFileSync(configFile, JSON.stringify({ baseUrl: server.url, mailboxId: 'X26ABC1', passwordFile: 'pw.txt', sharedKeyFile: 'key.txt' }));
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('prints parsed notifications without diagnostics, and acknowledges only with --ack', async () => {
    const ref = { receiptId: 'rcpt-7', bundleId: 'bundle-7' };
    server.postMessage(
      'X26ABC1',
      encodeDefaultNotification({
        submissionRef: ref,
        status: 'rejected',
        outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', expression: ['Bundle.entry[2]'], diagnostics: 'NHS number 9434765919 invalid' }] },
      }),
      { 'mex-From': 'X26ABC3', ...defaultNotificationHeaders(ref) },
    );
    const first = await run(['mesh', 'poll', '--config', configFile]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('REJECTED');
    expect(first.out).toContain('receipt=rcpt-7');
    expect(first.out).toContain('error invalid @ Bundle.entry[2]');
    expect(first.out).not.toContain('9434765919');
    expect(first.err).toContain('none acknowledged');
    expect(server.inboxIds('X26ABC1')).toHaveLength(1);

    const second = await run(['mesh', 'poll', '--config', configFile, '--json', '--ack']);
    const line = JSON.parse(second.out.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ kind: 'notification', status: 'rejected', receiptId: 'rcpt-7', bundleId: 'bundle-7' });
    expect(second.out).not.toContain('9434765919');
    expect(server.inboxIds('X26ABC1')).toHaveLength(0);
  });

  it('reads settings from the environment and reports bad credentials without secrets', async () => {
    vi.stubEnv('MESH_BASE_URL', server.url);
    vi.stubEnv('MESH_MAILBOX_ID', 'X26ABC1');
    vi.stubEnv('MESH_MAILBOX_PASSWORD', 'wrong-secret-value');
    vi.stubEnv('MESH_SHARED_KEY', sharedKey);
    const res = await run(['mesh', 'poll']);
    expect(res.code).toBe(1);
    expect(res.err).toContain('HTTP 403');
    expect(res.err).not.toContain('wrong-secret-value');
    expect(res.err).not.toContain(sharedKey);
  });

  it('names missing settings and refuses inline secrets', async () => {
    const res = await run(['mesh', 'poll']);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/missing: base URL.*mailbox id.*mailbox password.*shared key/);
    const inline = path.join(path.dirname(configFile), 'inline.json');
    writeFileSync(inline, JSON.stringify({ baseUrl: server.url, mailboxId: 'X26ABC1', sharedKey: 'oops' }));
    const bad = await run(['mesh', 'poll', '--config', inline]);
    expect(bad.err).toContain('must not hold "sharedKey" inline');
    expect(bad.err).not.toContain('oops');
  });

  it('shows an example in --help', async () => {
    let help = '';
    const program = new Command('ads-fhir').exitOverride().configureOutput({ writeOut: (s) => (help += s) });
    register(program);
    await expect(program.parseAsync(['node', 'ads-fhir', 'mesh', 'poll', '--help'])).rejects.toThrow();
    expect(help).toContain('Example:');
    expect(help).toContain('ads-fhir mesh poll');
  });
});
