/** `ads-fhir demo`: build, validate, submit and reconcile the example bundles against local stand-ins. */
import type { Command } from 'commander';
import { runDemo } from '../demo/index.js';
import { examples } from '../help.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('Build the example ADS bundles and a broken one, submit them to local stand-ins, reconcile MESH notifications')
    .option('--broken <case>', 'which examples/broken case to include', 'dangling-reference')
    .option('--delay <ms>', 'how long the stand-in waits before posting a notification', '200')
    .option('--keep-outbox <file>', 'keep the outbox in this file (to inspect with `ads-fhir outbox status`)')
    .addHelpText('after', examples('ads-fhir demo', 'ads-fhir demo --broken dangling-reference --keep-outbox demo-outbox.sqlite'))
    .action(async (options: { broken: string; delay: string; keepOutbox?: string }) => {
      try {
        const result = await runDemo({
          log: (line) => console.log(line),
          brokenCase: options.broken,
          notificationDelayMs: Math.max(0, Number(options.delay) || 0),
          ...(options.keepOutbox ? { outboxPath: options.keepOutbox } : {}),
        });
        process.exitCode = result.exitCode;
      } catch (error) {
        console.error(`demo: ${error instanceof Error ? error.message : 'unexpected failure'}`);
        process.exitCode = 1;
      }
    });
}
