import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { chooseWorkerCount } from '../../src/cli/parallel-validate.js';
import { defaultWorkerCount } from '../../src/validation/index.js';
import { createProgram } from '../../src/cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'ads-validate-workers-'));
const feed = join(dir, 'feed.ndjson');
const lines: string[] = [];
for (let i = 0; i < 30; i++) {
  if (i % 3 === 0) lines.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'female' }));
  else if (i % 3 === 1) lines.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'nonsense', birthDate: '1981-02-29' }));
  else lines.push('{"resourceType": "Patient", "gender": ');
  if (i === 10) lines.push('');
}
writeFileSync(feed, `${lines.join('\n')}\n`);
const single = join(dir, 'one.json');
writeFileSync(single, JSON.stringify({ resourceType: 'Observation', status: 'bogus' }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  process.exitCode = 0;
  try {
    await createProgram().exitOverride().parseAsync(['node', 'ads-fhir', 'validate', ...args]);
  } catch (x) {
    process.exitCode = (x as { exitCode?: number }).exitCode ?? 2;
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

describe('ads-fhir validate --workers', () => {
  it('reports exactly what the main thread reports, line by line in file order', async () => {
    const inThread = await run('--format', 'json', '--workers', '0', feed, single);
    const threaded = await run('--format', 'json', '--workers', '2', feed, single);
    expect(threaded.code).toBe(1);
    expect(threaded.code).toBe(inThread.code);
    const parsed = JSON.parse(threaded.out) as Array<{ file: string }>;
    expect(parsed.map((r) => r.file)).toEqual([...lines.flatMap((l, i) => (l ? [`${feed}:${i + 1}`] : [])), single]);
    expect(threaded.out).toBe(inThread.out);
  });
  it('refuses a --workers value that is not a whole number (exit 2)', async () => {
    const r = await run('--workers', 'many', feed);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--workers takes a whole number/);
  });
  it('starts workers on its own only for large inputs', async () => {
    expect(await chooseWorkerCount(undefined, [feed, single])).toBe(0);
    expect(await chooseWorkerCount(3, [single])).toBe(3);
    const large = join(dir, 'large.ndjson');
    writeFileSync(large, '\n'.repeat(1024 * 1024));
    const cores = defaultWorkerCount();
    expect(await chooseWorkerCount(undefined, [single, large])).toBe(cores >= 2 ? cores : 0);
  });
});
