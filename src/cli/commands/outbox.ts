/** `ads-fhir outbox status | list | retry-failed`: inspect and manage the durable outbox. */
import type { Command } from 'commander';
import {
  describeError,
  describeIssue,
  type NotificationRecord,
  Outbox,
  type OutboxEntry,
  OUTBOX_STATES,
  type OutboxState,
  type StoredIssue,
} from '../../submission/index.js';
import { outboxPath } from './outbox-path.js';
import { examples } from '../help.js';

export function register(program: Command): void {
  const outbox = program.command('outbox').description('Inspect the submission outbox').addHelpText('after', examples('ads-fhir outbox status --outbox outbox.sqlite', 'ads-fhir outbox list --state failed rejected'));

  outbox
    .command('status')
    .description('Count entries per state')
    .option('--outbox <file>', 'outbox file (default $ADS_OUTBOX or .ads-fhir/outbox.sqlite)')
    .option('--json', 'print JSON')
    .addHelpText('after', examples('ads-fhir outbox status --json'))
    .action((options: { outbox?: string; json?: boolean }) =>
      withOutbox(options.outbox, (box) => {
        const status = box.status();
        const rejected = box.list({ states: ['rejected'], limit: STATUS_LIST_LIMIT }).map((entry) => ({ entry, notes: box.notifications({ entryId: entry.id, limit: 1 }) }));
        const unmatched = box.notifications({ unmatched: true, limit: STATUS_LIST_LIMIT });
        if (options.json) {
          return console.log(
            JSON.stringify({
              ...status,
              details: {
                rejected: rejected.map(({ entry, notes }) => ({ ...entryIds(entry), notification: notes[0] && printable(notes[0]) })),
                unmatched: unmatched.map(printable),
              },
            }),
          );
        }
        console.log(`outbox ${outboxPath(options.outbox)}`);
        for (const state of OUTBOX_STATES) console.log(`  ${state.padEnd(10)} ${status[state]}`);
        console.log(`  ${'total'.padEnd(10)} ${status.total}`);
        if (status.recovered > 0) console.log(`  re-sent after an interruption (possible duplicates): ${status.recovered}`);
        for (const entry of box.list({ states: ['failed'], limit: STATUS_LIST_LIMIT })) {
          console.log(`  #${entry.id} failed ${entry.bundleId ?? ''} ${entry.lastError ?? ''}`);
        }
        if (rejected.length > 0) console.log('rejected by the processing service (issue codes and locations; free text is not shown):');
        for (const { entry, notes } of rejected) {
          const note = notes[0];
          console.log(
            `  #${entry.id} bundle ${entry.bundleId ?? '-'} receipt ${entry.receiptId ?? '-'}` +
              (note ? ` (MESH message ${note.meshMessageId}, matched by ${note.matchedBy})` : ''),
          );
          for (const line of note ? issueLines(note.issues) : [entry.detail ?? '']) console.log(`      ${line}`);
        }
        if (unmatched.length > 0) console.log('notifications that matched no entry (stored; check the ids):');
        for (const note of unmatched) {
          const ref = note.ref;
          console.log(
            `  MESH message ${note.meshMessageId} ${note.status ?? ''} receipt ${ref.receiptId ?? '-'} correlation ${ref.correlationId ?? '-'} bundle ${ref.bundleId ?? '-'}`,
          );
          for (const line of issueLines(note.issues)) console.log(`      ${line}`);
        }
      }),
    );

  outbox
    .command('list')
    .description('List entries (no payloads)')
    .option('--outbox <file>', 'outbox file')
    .option('--state <state...>', `only these states (${OUTBOX_STATES.join(', ')})`)
    .option('--limit <n>', 'at most n entries', '100')
    .addHelpText('after', examples('ads-fhir outbox list --state failed rejected --limit 20'))
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
    .description('Put failed entries back in the queue (deliver them with `ads-fhir submit`, given no files)')
    .option('--outbox <file>', 'outbox file')
    .addHelpText('after', examples('ads-fhir outbox retry-failed --outbox outbox.sqlite && ads-fhir submit --outbox outbox.sqlite'))
    .action((options: { outbox?: string }) =>
      withOutbox(options.outbox, (box) => console.log(`re-queued ${box.requeueFailed()} entries`)),
    );
}

function withOutbox(path: string | undefined, use: (outbox: Outbox) => void): void {
  let box: Outbox | undefined;
  try {
    // These commands never send; a worker may be sending from the same file, so its entries stay as they are.
    box = Outbox.open(outboxPath(path), { recoverInterrupted: false });
    use(box);
  } catch (error) {
    console.error(`outbox: ${describeError(error)}`);
    process.exitCode = 1;
  } finally {
    box?.close();
  }
}

const STATUS_LIST_LIMIT = 20;

function entryIds(entry: OutboxEntry) {
  return { id: entry.id, bundleId: entry.bundleId, receiptId: entry.receiptId, correlationId: entry.correlationId };
}

/** A stored notification without its free-text diagnostics, which may quote patient data. */
function printable(note: NotificationRecord) {
  return {
    meshMessageId: note.meshMessageId,
    status: note.status,
    ...note.ref,
    matchedBy: note.matchedBy,
    outcome: note.outcome,
    issues: note.issues.map(({ severity, code, expression, detailsCode }) => ({ severity, code, expression, detailsCode })),
  };
}

function issueLines(issues: readonly StoredIssue[]): string[] {
  if (issues.length === 0) return ['(no issues given)'];
  return issues.map(describeIssue);
}
