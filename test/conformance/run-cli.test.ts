import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/spawn-cli.js';

const script = 'test/conformance/run.ts';

describe('npm run conformance', () => {
  it('without a suite says how to get one in one line and exits 2 (no stack trace)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ads-no-shared-'));
    const r = await spawnCli([], { script, env: { ADS_FHIR_SHARED: empty } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(empty, 'fhir-test-cases'));
    expect(r.stderr).toContain('--suite');
    expect(r.stderr).toContain('ADS_FHIR_SHARED');
    expect(r.stderr).not.toMatch(/\n\s+at |ENOENT/);
  });

  it('explains itself with --help and exits 0', async () => {
    const r = await spawnCli(['--help'], { script });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--suite <folder>/);
  });
});
