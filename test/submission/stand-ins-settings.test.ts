/**
 * Where submit and reconcile look for the local stand-ins: `.ads-fhir/stand-ins.json` in the working folder,
 * used only when nothing else names a service; a file left by stand-ins that are gone is reported, never
 * followed to a dead port or replaced by the NHS sandbox.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { register as registerReconcile } from '../../src/cli/commands/reconcile.js';
import { register as registerSubmit } from '../../src/cli/commands/submit.js';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
const cwd = process.cwd();
const saved = { ...process.env };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ads-stand-ins-settings-'));
});
beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('ADS_') || name.startsWith('MESH_')) delete process.env[name];
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  process.env = { ...saved };
  process.exitCode = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Settings as the stand-ins write them, for a process that no longer exists. */
function staleSettings(): void {
  mkdirSync(join(dir, '.ads-fhir'), { recursive: true });
  // A pid far above any the system hands out: no such process.
  writeFileSync(join(dir, '.ads-fhir', 'stand-ins.json'), JSON.stringify({ about: 'x', pid: 2 ** 22 + 12345, ads: { baseUrl: 'http://127.0.0.1:1/x', tokenUrl: 'http://127.0.0.1:1/t', apiKey: 'k' }, meshConfig: join(dir, 'mesh.json') }));
}

describe('the local stand-ins settings file', () => {
  it('left by stand-ins that are gone: submit says so and queues nothing; reconcile says so', async () => {
    staleSettings();
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ resourceType: 'Bundle', id: 'stale', type: 'message' }));
    const submitted = await runCli([registerSubmit], 'submit', '--skip-validation', 'b.json');
    expect(submitted.code).toBe(1);
    expect(submitted.out).toContain('the local stand-ins recorded in .ads-fhir/stand-ins.json are not running');
    expect(submitted.out).not.toContain('queued #');
    process.exitCode = undefined;
    const reconciled = await runCli([registerReconcile], 'reconcile');
    expect(reconciled.code).toBe(1);
    expect(reconciled.out).toContain('are not running');
  });

  it('is not consulted when a service is named', async () => {
    staleSettings();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ resourceType: 'Bundle', id: 'named', type: 'message' }));
    const submitted = await runCli([registerSubmit], 'submit', '--skip-validation', '--env', 'integration', 'c.json');
    // Integration needs credentials: the point is that the stand-ins file was not what answered.
    expect(submitted.out).toContain('the integration environment needs an API key');
    expect(submitted.out).not.toContain('stand-ins');
  });
});
