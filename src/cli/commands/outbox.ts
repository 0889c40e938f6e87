/** `ads-fhir outbox status | list | retry-failed`: inspect and manage the durable outbox. */
import type { Command } from 'commander';
import { StoreError } from '../../sqlite/index.js';
import {
  describeError,
  issueMessage,
  type NotificationRecord,
  Outbox,
  type OutboxEntry,
  OUTBOX_STATES,
  type OutboxState,
  type StoredIssue,
} from '../../submission/index.js';
import { examples } from '../help.js';
import { outboxPath } from './outbox-path.js';

const STATUS_HELP = `
Rejected entries are listed with their source file and the processing service's issues: each issue's type,
rule code and location, as a message that quotes nothing from the bundle. The service's own words are shown
only when "reconcile --keep-free-text" kept them (they may quote patient data).
Exit status: 0 shown, 1 the outbox cannot be read, 2 no outbox at that path (none is created).`;

export function register(program: Command): void {
  const outbox = program
    .command('outbox')
    .description('Inspect the submission outbox')
    .addHelpText('after', examples('ads-fhir outbox status --outbox outbox.sqlite', 'ads-fhir outbox list --state failed rejected'));

  outbox
    .command('status')
    .description('Count entries per state; list failed and rejected entries with their reasons')
    .option('--outbox <file>', 'outbox file (default $ADS_OUTBOX or .ads-fhir/outbox.sqlite)')
    .option('--json', 'print JSON')
    .addHelpText('after', STATUS_HELP)
    .addHelpText('after', examples('ads-fhir outbox status --json'))
    .action((options: { outbox?: string; json?: boolean }) => withOutbox(options.outbox, (box) => printStatus(box, options)));

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
        for (const e of box.list({ ...(states ? { states } : {}), limit: Number(options.limit) || 100 })) {
          console.log([e.id, e.state, e.source ?? '-', e.bundleId ?? '-', e.receiptId ?? '-', `attempts=${e.attempts}`, e.detail ?? e.lastError ?? ''].join('\t'));
        }
      }),
    );

  outbox
    .command('retry-failed')
    .description('Put failed entries back in the queue (deliver them with `ads-fhir submit`, given no files)')
    .option('--outbox <file>', 'outbox file')
    .addHelpText('after', examples('ads-fhir outbox retry-failed --outbox outbox.sqlite && ads-fhir submit --outbox outbox.sqlite'))
    .action((options: { outbox?: string }) => withOutbox(options.outbox, (box) => console.log(`re-queued ${box.requeueFailed()} entries`)));
}

/**
 * Opens an existing outbox only: a mistyped path is reported (exit 2), never created. These commands do
 * not send, so they need no writer lease and are safe beside a delivering worker.
 */
function withOutbox(path: string | undefined, use: (outbox: Outbox) => void): void {
  let box: Outbox | undefined;
  try {
    box = Outbox.open(outboxPath(path), { mustExist: true });
    use(box);
  } catch (error) {
    console.error(`outbox: ${describeError(error)}`);
    process.exitCode = error instanceof StoreError && error.code === 'missing' ? 2 : 1;
  } finally {
    box?.close();
  }
}

const STATUS_LIST_LIMIT = 20;

function printStatus(box: Outbox, options: { outbox?: string; json?: boolean }): void {
  const status = box.status();
  const failed = box.list({ states: ['failed'], limit: STATUS_LIST_LIMIT });
  const rejected = box.list({ states: ['rejected'], limit: STATUS_LIST_LIMIT }).map((entry) => ({ entry, note: box.notifications({ entryId: entry.id, limit: 1 })[0] }));
  const unmatched = box.notifications({ unmatched: true, limit: STATUS_LIST_LIMIT });
  if (options.json) {
    console.log(
      JSON.stringify({
        ...status,
        details: {
          failed: failed.map((entry) => ({ ...entryIds(entry), reason: entry.lastError, ...(entry.serverText ? { serverText: entry.serverText } : {}) })),
          rejected: rejected.map(({ entry, note }) => ({ ...entryIds(entry), notification: note && printable(note) })),
          unmatched: unmatched.map(printable),
        },
      }),
    );
    return;
  }
  console.log(`outbox ${outboxPath(options.outbox)}`);
  for (const state of OUTBOX_STATES) console.log(`  ${state.padEnd(10)} ${status[state]}`);
  console.log(`  ${'total'.padEnd(10)} ${status.total}`);
  if (status.recovered > 0) console.log(`  re-sent after an interruption (possible duplicates): ${status.recovered}`);
  if (failed.length > 0) console.log('failed (not delivered; "ads-fhir outbox retry-failed" puts them back in the queue):');
  for (const entry of failed) {
    console.log(`  #${entry.id} ${entry.source ?? '-'} bundle ${entry.bundleId ?? '-'}`);
    console.log(`      ${entry.lastError ?? 'no reason recorded'}`);
    if (entry.serverText) console.log(`      the API said: "${entry.serverText}"`);
  }
  if (rejected.length > 0) console.log('rejected by the processing service:');
  for (const { entry, note } of rejected) {
    console.log(`  #${entry.id} ${entry.source ?? '-'} bundle ${entry.bundleId ?? '-'} receipt ${entry.receiptId ?? '-'}` + (note ? ` (MESH message ${note.meshMessageId})` : ''));
    for (const line of note ? issueLines(note.issues) : [entry.detail ?? 'no detail recorded']) console.log(`      ${line}`);
  }
  if (unmatched.length > 0) console.log('notifications that matched no entry (stored; check the ids):');
  for (const note of unmatched) {
    const ref = note.ref;
    console.log(`  MESH message ${note.meshMessageId} ${note.status ?? ''} receipt ${ref.receiptId ?? '-'} correlation ${ref.correlationId ?? '-'} bundle ${ref.bundleId ?? '-'}`);
    for (const line of issueLines(note.issues)) console.log(`      ${line}`);
  }
}

function entryIds(entry: OutboxEntry) {
  return { id: entry.id, source: entry.source, bundleId: entry.bundleId, receiptId: entry.receiptId, correlationId: entry.correlationId };
}

/** A stored notification with each issue's message; free text appears only if it was kept. */
function printable(note: NotificationRecord) {
  return {
    meshMessageId: note.meshMessageId,
    status: note.status,
    ...note.ref,
    matchedBy: note.matchedBy,
    outcome: note.outcome,
    issues: note.issues.map((issue) => ({ ...issue, message: issueMessage(issue) })),
  };
}

function issueLines(issues: readonly StoredIssue[]): string[] {
  if (issues.length === 0) return ['(no issues given)'];
  return issues.map(issueMessage);
}
