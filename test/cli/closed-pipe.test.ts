import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the ads-fhir binary writing to a reader that goes away (`| head`)', () => {
  it('stops quietly with the SIGPIPE status, never an EPIPE stack trace', async () => {
    // One spawn only: starting the real binary is slow. The handler lives in src/cli/main.ts.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'validate', 'examples/broken', 'examples/bundles'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close our end of the pipe, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(status).toBe(141);
  }, 120_000);
});
