/** `ads-fhir outbox status | list | retry-failed`: inspect and manage the durable outbox. */
import type { Command } from 'commander';
import { describeError, Outbox, OUTBOX_STATES, type OutboxState } from '../../submission/index.js';
import { outboxPath } from './outbox-path.js';

export function register(program: Command): void {
  const outbox = program.command('outbox').description('Inspect the submission outbox');

  outbox
    .command('status')
    .description('Count entries per state')
    .option('--outbox <file>', 'outbox file (default $ADS_OUTBOX or .ads-fhir/outbox.sqlite)')
    .option('--json', 'print JSON')
    .action((options: { outbox?: string; json?: boolean }) =>
      withOutbox(options.outbox, (box) => {
        const status = box.status();
        if (options.json) return console.log(JSON.stringify(status));
        console.log(`outbox ${outboxPath(options.outbox)}`);
        for (const state of OUTBOX_STATES) console.log(`  ${state.padEnd(10)} ${status[state]}`);
        console.log(`  ${'total'.padEnd(10)} ${status.total}`);
        if (status.recovered > 0) console.log(`  re-sent after an interruption (possible duplicates): ${status.recovered}`);
        for (const entry of box.list({ states: ['failed', 'rejected'], limit: 20 })) {
          console.log(`  #${entry.id} ${entry.state} ${entry.bundleId ?? ''} ${entry.detail ?? entry.lastError ?? ''}`);
        }
      }),
    );

  outbox
    .command('list')
    .description('List entries (no payloads)')
    .option('--outbox <file>', 'outbox file')
    .option('--state <state...>', `only these states (${OUTBOX_STATES.join(', ')})`)
    .option('--limit <n>', 'at most n entries', '100')
    .action((options: { outbox?: string; state?: string[]; limit: string }) =>
      withOutbox(options.outbox, (box) => {
        const states = options.state?.filter((s): s is OutboxState => (OUTBOX_STATES as readonly string[]).includes(s));
        if (options.state && states?.length !== options.state.length) {
          console.error(`unknown state; use one of ${OUTBOX_STATES.join(', ')}`);
          process.exitCode = 2;
          return;
        }
        for (const e of box.list({ states, limit: Number(options.limit) || 100 })) {
          console.log(
            [e.id, e.state, e.bundleId ?? '-', e.receiptId ?? '-', `attempts=${e.attempts}`, e.detail ?? e.lastError ?? ''].join('\t'),
          );
        }
      }),
    );

  outbox
    .command('retry-failed')
    .description('Put failed entries back in the queue (deliver them with `submit --resume`)')
    .option('--outbox <file>', 'outbox file')
    .action((options: { outbox?: string }) =>
      withOutbox(options.outbox, (box) => console.log(`re-queued ${box.requeueFailed()} entries`)),
    );
}

function withOutbox(path: string | undefined, use: (outbox: Outbox) => void): void {
  let box: Outbox | undefined;
  try {
    box = Outbox.open(outboxPath(path));
    use(box);
  } catch (error) {
    console.error(`outbox: ${describeError(error)}`);
    process.exitCode = 1;
  } finally {
    box?.close();
  }
}
