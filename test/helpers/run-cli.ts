/** Runs CLI subcommands in-process, capturing console output and the exit code. */
import { Command } from 'commander';
import { vi } from 'vitest';

type Register = (program: Command) => void;

/** Registers the given subcommands on a fresh program, runs `args`, and returns what was printed. */
export async function runCli(registers: Register[], ...args: string[]): Promise<{ out: string; code: number | undefined }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const program = new Command('ads-fhir').exitOverride();
  for (const register of registers) register(program);
  try {
    await program.parseAsync(['node', 'ads-fhir', ...args]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return { out: lines.join('\n'), code: process.exitCode as number | undefined };
}

/** {@link runCli} from a clean exit code, leaving none behind: for tests that run many commands in a row. */
export async function runCliFresh(registers: Register[], ...args: string[]): Promise<{ out: string; code: number | undefined }> {
  process.exitCode = undefined;
  try {
    return await runCli(registers, ...args);
  } finally {
    process.exitCode = undefined;
  }
}
