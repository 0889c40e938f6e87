/**
 * `ads-fhir submit <bundle.json...>`: validates the bundles, stores them in the outbox, then delivers
 * everything queued there. A bundle that fails validation, or is already in the outbox, refuses the whole
 * batch (nothing is queued) unless told otherwise. Where to deliver: the flags, else the ADS_* variables,
 * else the local stand-ins' settings (see stand-ins-settings.ts), else the NHS sandbox.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatText, isBlocking, type FileOutcome } from '../../reporting/index.js';
import {
  type AdsClient,
  type AdsEnvironmentName,
  createSubmissionClient,
  describeError,
  DuplicateBundleError,
  Outbox,
  OutboxWorker,
  type SubmissionConfig,
  submissionConfigFromEnv,
} from '../../submission/index.js';
import { RedactedError } from '../../net/index.js';
import { createValidationService } from '../../validation/index.js';
import { examples } from '../help.js';
import { addAuditFlags, openAuditFromFlags, type AuditFlags, type OpenedAudit } from './audit-flags.js';
import { outboxPath } from './outbox-path.js';
import { readStandInsSettings, STAND_INS_FILE } from './stand-ins-settings.js';

interface SubmitOptions extends AuditFlags {
  outbox?: string;
  env?: string;
  baseUrl?: string;
  tokenUrl?: string;
  legacyPath?: boolean;
  concurrency: string;
  rateLimit?: string;
  deliver: boolean;
  skipValidation?: boolean;
  force?: boolean;
  wait: boolean;
  keepFreeText?: boolean;
}

const HELP = `
Each bundle is validated first (core R4, UK Core, ADS); if any has an error, or cannot be read, or is
already in the outbox (same Bundle.id or same content), nothing is queued and the exit status is 1.
Where to deliver: --env/--base-url, else the ADS_* variables, else the local stand-ins started by
"ads-fhir stand-ins" in this folder (${STAND_INS_FILE}), else the NHS sandbox.
One process at a time delivers from an outbox: a second one waits for the first (or, with --no-wait, stops).
Exit status: 0 all delivered, 1 refused, failed or still queued, 2 usage error.
With --audit-db, each bundle validated records a validate entry, each bundle queued and each delivery attempt a
submit entry (key in $ADS_FHIR_AUDIT_KEY).
`;

export function register(program: Command): void {
  const command = program
    .command('submit')
    .description('Validate ADS bundles, queue them in the durable outbox and deliver them')
    .argument('[bundles...]', 'FHIR Bundle JSON files (none: deliver what is already queued)')
    .option('--outbox <file>', 'outbox file (default $ADS_OUTBOX or .ads-fhir/outbox.sqlite)')
    .option('--env <name>', 'sandbox (the NHS sandbox) | integration | production | local (default $ADS_ENVIRONMENT)')
    .option('--base-url <url>', 'API base URL (local, or to override)')
    .option('--token-url <url>', 'token URL (local, or to override)')
    .option('--legacy-path', 'post to /submission instead of /$process-message')
    .option('--concurrency <n>', 'sends in flight', '4')
    .option('--rate-limit <perMinute>', 'client-side limit per minute (default 300)')
    .option('--no-deliver', 'only queue the bundles')
    .option('--skip-validation', 'queue bundles even when they fail local validation')
    .option('--force', 'queue bundles already in the outbox again')
    .option('--no-wait', 'stop instead of waiting when another process is delivering from the outbox')
    .option('--keep-free-text', "keep the API's error text in the outbox (it may quote patient data; never logged)");
  addAuditFlags(command)
    .addHelpText('after', HELP)
    .addHelpText('after', examples('ads-fhir stand-ins & ads-fhir submit out/*.json', 'ads-fhir submit --env integration bundles/*.json', 'ads-fhir submit --no-deliver --outbox outbox.sqlite bundle.json'))
    .action(async (files: string[], options: SubmitOptions) => {
      process.exitCode = await run(files, options);
    });
}

async function run(files: string[], options: SubmitOptions): Promise<number> {
  const bundles = readBundles(files);
  if (bundles === undefined) return 1;
  let client: AdsClient | undefined;
  let outbox: Outbox | undefined;
  let opened: OpenedAudit | undefined;
  try {
    opened = openAuditFromFlags(options);
    const audit = opened.audit;
    if (bundles.length > 0 && !options.skipValidation && !(await validates(bundles, audit))) return 1;
    // Settings are checked before anything is queued: a bad one leaves the outbox as it was.
    let where = '';
    if (options.deliver) {
      const config = configFrom(options);
      client = createSubmissionClient(config);
      where = destination(config);
    }
    outbox = Outbox.open(outboxPath(options.outbox), { ...(audit ? { audit } : {}), ...(options.keepFreeText ? { keepFreeText: true } : {}) });
    if (bundles.length > 0 && !enqueue(outbox, bundles, options.force === true)) return 1;
    if (!client) return 0;
    return await deliver(outbox, client, where, options, audit);
  } catch (error) {
    console.error(`submit: ${describeError(error)}`);
    return 1;
  } finally {
    client?.close();
    outbox?.close();
    opened?.close();
  }
}

interface ReadBundle {
  file: string;
  text: string;
}

/** Every file read as a JSON FHIR Bundle, or undefined (after saying why) when any cannot be. */
function readBundles(files: string[]): ReadBundle[] | undefined {
  const bundles: ReadBundle[] = [];
  let unreadable = 0;
  for (const file of files) {
    try {
      const text = readFileSync(file, 'utf8');
      const parsed = JSON.parse(text) as { resourceType?: unknown };
      if (parsed?.resourceType !== 'Bundle') throw new Error('not a FHIR Bundle');
      bundles.push({ file, text });
    } catch (error) {
      unreadable++;
      const why = error instanceof SyntaxError ? 'not valid JSON' : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      console.error(`cannot submit ${file}: ${why}`);
    }
  }
  if (unreadable === 0) return bundles;
  console.error(`submit: ${unreadable} of ${files.length} files cannot be submitted; nothing was queued`);
  return undefined;
}

/**
 * Validates every bundle (each recorded as a `validate` entry in the audit trail, when there is one); prints
 * the report of those with errors and returns whether all passed.
 */
async function validates(bundles: ReadBundle[], audit: OpenedAudit['audit']): Promise<boolean> {
  let service: Awaited<ReturnType<typeof createValidationService>>;
  try {
    service = await createValidationService();
  } catch {
    throw new RedactedError('the validator could not be loaded; nothing was queued (--skip-validation to queue without it)');
  }
  const failed: FileOutcome[] = [];
  for (const { file, text } of bundles) {
    const { outcome } = service.validateText(text, { format: 'json', ...(audit ? { audit } : {}) });
    if (outcome.issue.some(isBlocking)) failed.push({ file, outcome });
  }
  if (failed.length === 0) return true;
  console.error(formatText(failed).trimEnd());
  console.error(
    `submit: ${failed.length} of ${bundles.length} bundles failed validation; nothing was queued (fix them, or --skip-validation to queue them anyway)`,
  );
  return false;
}

/** Queues the batch; a duplicate refuses it with the entries it matches. */
function enqueue(outbox: Outbox, bundles: ReadBundle[], force: boolean): boolean {
  try {
    const entries = outbox.enqueueMany(
      bundles.map((b) => b.text),
      { force, sources: bundles.map((b) => b.file) },
    );
    entries.forEach((entry, i) => console.log(`queued #${entry.id} ${bundles[i]!.file}`));
    return true;
  } catch (error) {
    if (!(error instanceof DuplicateBundleError)) throw error;
    for (const d of error.duplicates) {
      const where = d.entryId !== undefined ? `already in the outbox as #${d.entryId}` : `the same as ${bundles[d.batchIndex!]!.file}`;
      console.error(`${bundles[d.index]!.file}: ${where} (${d.by === 'bundle-id' ? `same Bundle.id ${d.bundleId}` : 'same content'})`);
    }
    console.error(`submit: ${error.duplicates.length} duplicate bundle(s); nothing was queued (--force to queue them again)`);
    return false;
  }
}

async function deliver(outbox: Outbox, client: AdsClient, where: string, options: SubmitOptions, audit: OpenedAudit['audit']): Promise<number> {
  console.log(`delivering to ${where} at ${client.endpoint}`);
  const worker = new OutboxWorker(outbox, client, {
    concurrency: Number(options.concurrency) || 4,
    ...(audit ? { audit } : {}),
    lease: { wait: options.wait !== false, onWait: (holder) => console.log(`waiting: ${holder} is delivering from this outbox`) },
    onRecovered: (n) => console.log(`re-queued ${n} interrupted sends (the server may already have them)`),
    onOutcome: (o) => {
      if (o.result === 'accepted') console.log(`accepted #${o.id} receipt ${o.receiptId}`);
      else if (o.result === 'failed') console.log(`failed   #${o.id} ${o.error}`);
      else console.log(`retry    #${o.id} ${o.error}`);
    },
  });
  const stop = () => worker.stop();
  process.once('SIGINT', stop);
  try {
    const status = await worker.drain();
    console.log(`outbox: ${status.accepted} accepted, ${status.failed} failed, ${status.queued} queued, ${status.rejected} rejected, ${status.confirmed} confirmed`);
    return status.failed > 0 || status.queued > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', stop);
  }
}

/** Says which service a config names, so the local stand-ins are never mistaken for an NHS environment. */
function destination(config: SubmissionConfig & { fromStandIns?: boolean }): string {
  if (config.fromStandIns) return `the local stand-ins (${STAND_INS_FILE})`;
  return config.environment === 'local' ? 'a local API' : `the NHS ${config.environment} environment`;
}

/** The flags, then the ADS_* variables, then the running local stand-ins, then the NHS sandbox. */
function configFrom(options: SubmitOptions): SubmissionConfig & { fromStandIns?: boolean } {
  const named = options.env || options.baseUrl || process.env.ADS_ENVIRONMENT || process.env.ADS_BASE_URL;
  const standIns = named ? undefined : readStandInsSettings();
  const config: SubmissionConfig & { fromStandIns?: boolean } = standIns
    ? {
        fromStandIns: true,
        environment: 'local',
        baseUrl: standIns.ads.baseUrl,
        tokenUrl: standIns.ads.tokenUrl,
        apiKey: standIns.ads.apiKey,
        ...(standIns.ads.kid ? { kid: standIns.ads.kid } : {}),
        ...(standIns.ads.privateKeyFile ? { privateKey: { file: standIns.ads.privateKeyFile } } : {}),
      }
    : submissionConfigFromEnv();
  if (options.env) config.environment = options.env as AdsEnvironmentName;
  if (options.baseUrl) {
    config.baseUrl = options.baseUrl;
    if (!options.env && !process.env.ADS_ENVIRONMENT) config.environment = 'local';
  }
  if (options.tokenUrl) config.tokenUrl = options.tokenUrl;
  if (options.legacyPath) config.path = 'submission';
  if (options.rateLimit) config.rateLimitPerMinute = Number(options.rateLimit);
  return config;
}
