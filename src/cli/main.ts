#!/usr/bin/env node
import { createProgram } from './program.js';

// A reader that goes away (`ads-fhir validate ... | head`) is not a failure of ours: stop quietly, with the
// status a process ended by SIGPIPE has (128 + 13), instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(141);
  });
}

await (await createProgram(process.argv)).parseAsync(process.argv);
