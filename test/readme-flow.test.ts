/**
 * The README's submission flow, run as written: every line of the block after the `readme-flow: submission`
 * marker, in order, in a fresh folder, with no ADS_* or MESH_* settings in the environment. Only the
 * binary is swapped: `npx ads-fhir` runs the sources here (no build needed). Offline: everything it talks to
 * is the local stand-ins on loopback.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..');
const cli = join(repoRoot, 'src', 'cli', 'main.ts');
const tsxLoader = pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'readme-flow-'));
symlinkSync(join(repoRoot, 'examples'), join(dir, 'examples'));

/** The lines of the shell block that follows the marker. */
function flowLines(): string[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const at = readme.indexOf('<!-- readme-flow: submission');
  expect(at, 'the README marks its submission flow').toBeGreaterThan(-1);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))![1]!;
  return block.split('\n').filter((line) => line.trim() !== '');
}

/** Runs one README line in a shell (so `out/*.json` is expanded as a user's shell would). */
function run(line: string): { status: number; out: string } {
  expect(line.startsWith('npx ads-fhir ')).toBe(true);
  const command = line.replace(/^npx ads-fhir /, `"${process.execPath}" --import ${tsxLoader} "${cli}" `);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
  try {
    return { status: 0, out: execFileSync('bash', ['-c', `${command} 2>&1`], { cwd: dir, env, encoding: 'utf8', timeout: 240_000 }) };
  } catch (error) {
    const e = error as { status?: number; stdout?: string };
    return { status: e.status ?? -1, out: e.stdout ?? '' };
  }
}

afterAll(() => {
  // Stand-ins left running by a failed step are stopped here.
  const settings = join(dir, '.ads-fhir', 'stand-ins.json');
  if (existsSync(settings)) {
    try {
      process.kill((JSON.parse(readFileSync(settings, 'utf8')) as { pid: number }).pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the README submission flow', () => {
  it('works as written, offline, with no exports', () => {
    const outputs: string[] = [];
    for (const line of flowLines()) {
      const { status, out } = run(line);
      outputs.push(`$ ${line}\n${out}`);
      expect(status, outputs.join('\n')).toBe(0);
    }
    const [map, start, submit, reconcile, status, stop] = outputs;
    const bundles = map!.match(/bundles written: (\d+)/)?.[1];
    expect(bundles, map).toMatch(/^[1-9]\d*$/);
    expect(start).toMatch(/local stand-ins ready in the background/);
    expect(submit).toMatch(/delivering to the local stand-ins \(\.ads-fhir\/stand-ins\.json\)/);
    const queued = submit!.match(/^queued #\d+ out\//gm)?.length ?? 0;
    expect(queued).toBeGreaterThan(0);
    expect(queued).toBe(Number(bundles));
    expect(submit).toContain(`outbox: ${queued} accepted, 0 failed, 0 queued`);
    expect(reconcile).toMatch(new RegExp(`reconciled: 0 rejected, ${queued} confirmed, 0 unmatched`));
    expect(status).toMatch(new RegExp(`confirmed\\s+${queued}\\n`));
    expect(stop).toMatch(/stopped the local stand-ins/);
    expect(existsSync(join(dir, '.ads-fhir', 'stand-ins.json'))).toBe(false);
  }, 600_000);
});
