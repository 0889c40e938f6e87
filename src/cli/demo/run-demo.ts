/**
 * The end-to-end demo: build the example bundles and a broken one, validate them, start the token, ADS and
 * MESH stand-ins on loopback, submit through the real client and a durable outbox with a freshly generated
 * key pair, poll MESH, reconcile, and report every bundle's final status. Prints ids, statuses and issue
 * codes only: never payloads or free-text diagnostics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MeshClient } from '../../mesh/index.js';
import { startSandbox } from '../../server/index.js';
import {
  createSubmissionClient,
  describeIssues,
  generateSigningKey,
  Outbox,
  type OutboxState,
  OutboxWorker,
  reconcile,
} from '../../submission/index.js';
import { DEFAULT_BROKEN_CASE, demoBundles } from './bundles.js';
import { type DemoValidate, demoValidator } from './validator.js';

/** Settings of {@link runDemo}. */
export interface DemoOptions {
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
  /** The validator used before submitting and by the ADS stand-in (default {@link demoValidator}). */
  validate?: DemoValidate;
  /** Which `examples/broken` case to add (default `dangling-reference`). */
  brokenCase?: string;
  /** The stand-in's wait before posting a notification (default 200 ms). */
  notificationDelayMs?: number;
  /** Keep the outbox here instead of a temporary file that is deleted afterwards. */
  outboxPath?: string;
}

/** One bundle's journey. */
export interface DemoRow {
  name: string;
  bundleId: string;
  /** Errors and fatals the validator found before submitting. */
  localErrors: number;
  localWarnings: number;
  receiptId: string | undefined;
  status: OutboxState;
  /** Why: the notification's issues (codes and locations), or the delivery failure. */
  reason: string | undefined;
  /** Issues in the processing service's notification, when one arrived. */
  notifiedIssues: number | undefined;
}

/** What the demo found. */
export interface DemoResult {
  rows: DemoRow[];
  /** Everything ended as its local validation predicted, nothing lost, no unmatched notification. */
  ok: boolean;
  exitCode: 0 | 1;
  /** What was not as expected, if anything. */
  problems: string[];
  /** Submissions the ADS stand-in stored (and how many were duplicates). */
  received: { received: number; distinct: number; duplicates: number };
  notifications: { rejected: number; confirmed: number; unmatched: number; acknowledged: number };
}

/** Runs the demo in this process; stand-ins and temporary files are gone when it resolves. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? (() => undefined);
  const validate = options.validate ?? (await demoValidator());
  const tempDir = options.outboxPath ? undefined : mkdtempSync(path.join(tmpdir(), 'ads-fhir-demo-'));
  const outboxFile = options.outboxPath ?? path.join(tempDir!, 'outbox.sqlite');

  log('1. Build and validate');
  const bundles = demoBundles(options.brokenCase ?? DEFAULT_BROKEN_CASE).map((b) => {
    const issues = validate(b.bundle).issue ?? [];
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length;
    const warnings = issues.filter((i) => i.severity === 'warning').length;
    log(`   ${b.name.padEnd(34)} ${b.bundle.id}  ${errors === 0 ? 'valid' : 'INVALID'} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`);
    return { ...b, errors, warnings };
  });

  log('2. Start the stand-ins (loopback, ephemeral ports) with a fresh RSA key pair');
  const key = await generateSigningKey('demo-key-1');
  const apiKey = 'demo-api-key';
  const sandbox = await startSandbox({
    apps: [{ apiKey, jwks: key.jwks }],
    validate,
    mesh: { notificationDelayMs: options.notificationDelayMs ?? 200 },
  });
  const outbox = Outbox.open(outboxFile);
  try {
    const mesh = sandbox.mesh!;
    log(`   token ${sandbox.tokenUrl}`);
    log(`   ADS   ${sandbox.adsBaseUrl}/$process-message`);
    log(`   MESH  ${mesh.url} (mailbox ${mesh.mailboxId})`);
    log(`   JWKS  kid ${key.kid}, RS512, registered with the token stand-in for API key ${apiKey}`);

    log('3. Submit through the outbox');
    const client = createSubmissionClient({
      environment: 'local',
      baseUrl: sandbox.adsBaseUrl,
      tokenUrl: sandbox.tokenUrl,
      apiKey,
      kid: key.kid,
      privateKey: key.privateKey,
    });
    const entries = outbox.enqueueMany(bundles.map((b) => b.bundle));
    const nameOf = new Map(entries.map((e, i) => [e.id, bundles[i]!.name]));
    await new OutboxWorker(outbox, client, {
      onOutcome: (o) => log(`   ${(nameOf.get(o.id) ?? '').padEnd(34)} ${o.result}${o.receiptId ? ` receipt ${o.receiptId}` : ''}${o.error ? `: ${o.error}` : ''}`),
    }).drain();

    log('4. Poll MESH and reconcile');
    await sandbox.notificationsPosted();
    const meshClient = new MeshClient({ baseUrl: mesh.url, mailboxId: mesh.mailboxId, mailboxPassword: mesh.password, sharedKey: mesh.sharedKey });
    await meshClient.handshake();
    const summary = await reconcile(outbox, meshClient, {
      onEvent: (e) => log(`   message ${e.messageId}: ${e.result}${e.entryId ? ` (${nameOf.get(e.entryId) ?? `#${e.entryId}`})` : ''}, ${plural(e.issueCount ?? 0, 'issue')}`),
    });

    const rows: DemoRow[] = entries.map((queued, i) => {
      const entry = outbox.get({ id: queued.id })!;
      const source = bundles[i]!;
      const [notification] = outbox.notifications({ entryId: entry.id });
      return {
        name: source.name,
        bundleId: entry.bundleId ?? '',
        localErrors: source.errors,
        localWarnings: source.warnings,
        receiptId: entry.receiptId,
        status: entry.state,
        reason: entry.state === 'failed' ? entry.lastError : notification && notification.issues.length > 0 ? describeIssues(notification.issues) : undefined,
        notifiedIssues: notification?.issues.length,
      };
    });
    const problems = rows.flatMap((r) => {
      const expected = r.localErrors > 0 ? 'rejected' : 'confirmed';
      return r.status === expected ? [] : [`${r.name}: ${r.status}, expected ${expected}`];
    });
    if (summary.unmatched > 0) problems.push(`${summary.unmatched} notification(s) matched no entry`);
    const received = sandbox.adsServer.store.stats();
    if (received.distinct !== rows.length) problems.push(`the ADS stand-in holds ${received.distinct} distinct bundles, ${rows.length} were sent`);

    log('5. Final status');
    for (const line of formatDemoTable(rows)) log(line);
    log(problems.length === 0 ? 'Every bundle ended as expected; nothing lost.' : `Problems:\n${problems.map((p) => `   ${p}`).join('\n')}`);
    if (options.outboxPath) log(`Inspect: ads-fhir outbox status --outbox ${options.outboxPath}`);
    return {
      rows,
      ok: problems.length === 0,
      exitCode: problems.length === 0 ? 0 : 1,
      problems,
      received,
      notifications: { rejected: summary.rejected, confirmed: summary.confirmed, unmatched: summary.unmatched, acknowledged: summary.acknowledged },
    };
  } finally {
    outbox.close();
    await sandbox.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** The table of every bundle: name, bundle id, receipt, status and reason (codes and locations only). */
export function formatDemoTable(rows: readonly DemoRow[]): string[] {
  const header = ['bundle', 'bundle id', 'local check', 'receipt id', 'status', 'reason'];
  const cells = rows.map((r) => [
    r.name,
    r.bundleId,
    r.localErrors === 0 ? 'valid' : plural(r.localErrors, 'error'),
    r.receiptId ?? '-',
    r.status,
    shorten(r.reason ?? '', 110),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

/** A table cell stays on one screen line; `outbox status` shows the whole detail. */
function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
