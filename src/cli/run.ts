import { createProgram } from './program.js';

/**
 * Runs the `ads-fhir` command line for `argv` (process.argv). The built CLI's launcher (launch.ts) calls it
 * from the CommonJS bundle it loads with a code cache; main.ts calls it when running from source.
 */
export async function main(argv: string[]): Promise<void> {
  // A reader that goes away (`ads-fhir validate ... | head`) is not a failure of ours: stop quietly, with the
  // status a process ended by SIGPIPE has (128 + 13), instead of a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(141);
    });
  }
  await (await createProgram(argv)).parseAsync(argv);
}
