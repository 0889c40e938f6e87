/** Runs a TypeScript entry point of the repository (by default the `ads-fhir` CLI) in a child process, as a user would. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

export interface SpawnResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  cwd?: string;
  /** Added to the current environment. */
  env?: Record<string, string>;
  /** Written to standard input, which is then closed. */
  input?: string;
  /** The script to run, relative to the repository (default src/cli/main.ts). */
  script?: string;
}

/** Spawns `node --import tsx <script> ...args` and collects its output and exit code. */
export function spawnCli(args: readonly string[], options: SpawnOptions = {}): Promise<SpawnResult> {
  const script = join(repoRoot, options.script ?? 'src/cli/main.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
