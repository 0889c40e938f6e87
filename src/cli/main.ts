#!/usr/bin/env node
import { createProgram } from './program.js';

// A reader that stops early (`ads-fhir validate ... | head`) is not a failure of the command: end quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

await createProgram().parseAsync(process.argv);
