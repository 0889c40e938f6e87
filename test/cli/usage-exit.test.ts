import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the ads-fhir binary', () => {
  it('exits 2, not commander\'s default 1, on its own usage errors (a bad --format choice)', () => {
    // One spawn only: starting the real binary is slow. The mapping lives in src/cli/program.ts.
    const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'validate', '--format', 'bogus', 'x.json'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toMatch(/argument 'bogus' is invalid/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(2);
  }, 90_000);
});
