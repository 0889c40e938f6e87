/** `npm run oracle` where the Java oracle is not set up: one clear line and exit code 2, never a stack trace. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

it('npm run oracle without the fetched validator says what is missing and exits 2', () => {
  const empty = mkdtempSync(join(tmpdir(), 'ads-fhir-oracle-none-'));
  try {
    const root = resolve(import.meta.dirname, '..', '..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tools', 'oracle', 'run.ts'), '--count', '1'], {
      cwd: root,
      env: { ...process.env, ADS_FHIR_ORACLE_DIR: empty },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^The Java oracle cannot run here: (no java on the PATH|.*npm run oracle:setup)/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
