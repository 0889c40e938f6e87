/**
 * `ads-fhir submit <bundle.json...>`: stores the bundles in the outbox, then delivers everything queued
 * there. Connection settings come from ADS_* environment variables (see `submissionConfigFromEnv`),
 * overridable by options.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  createSubmissionClient,
  describeError,
  Outbox,
  OutboxWorker,
  type AdsEnvironmentName,
  type SubmissionConfig,
  submissionConfigFromEnv,
} from '../../submission/index.js';
import { createValidationService, isValid, ruleOf } from '../../validation/index.js';
import { addAuditFlags, openAuditFromFlags, type AuditFlags, type OpenedAudit } from './audit-flags.js';
import { outboxPath } from './outbox-path.js';
import { examples } from '../help.js';

interface SubmitOptions extends AuditFlags {
  outbox?: string;
  env?: string;
  baseUrl?: string;
  tokenUrl?: string;
  legacyPath?: boolean;
  concurrency: string;
  rateLimit?: string;
  deliver: boolean;
  validate: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('submit')
    .description('Queue ADS bundles in the durable outbox and deliver them')
    .argument('[bundles...]', 'FHIR Bundle JSON files (none: deliver what is already queued)')
    .option('--outbox <file>', 'outbox file (default $ADS_OUTBOX or .ads-fhir/outbox.sqlite)')
    .option('--env <name>', 'sandbox | integration | production | local (default $ADS_ENVIRONMENT)')
    .option('--base-url <url>', 'API base URL (local, or to override)')
    .option('--token-url <url>', 'token URL (local, or to override)')
    .option('--legacy-path', 'post to /submission instead of /$process-message')
    .option('--concurrency <n>', 'sends in flight', '4')
    .option('--rate-limit <perMinute>', 'client-side limit per minute (default 300)')
    .option('--no-deliver', 'only queue the bundles')
    .option('--no-validate', 'queue without validating first (by default a bundle with errors is not queued)');
  addAuditFlags(command)
    .addHelpText('after', '\nWith --audit-db, each bundle queued and each delivery attempt records a submit entry (key in $ADS_FHIR_AUDIT_KEY).')
    .addHelpText('after', examples('ADS_ENVIRONMENT=sandbox ads-fhir submit bundles/*.json', 'ads-fhir submit --no-deliver --outbox outbox.sqlite bundle.json'))
    .action(async (files: string[], options: SubmitOptions) => {
      let outbox: Outbox | undefined;
      let opened: OpenedAudit | undefined;
      try {
        opened = openAuditFromFlags(options);
        const audit = opened.audit;
        outbox = Outbox.open(outboxPath(options.outbox), audit ? { audit } : {});
        const read = readBundles(files);
        const bundles = options.validate && read.length > 0 ? await validBundles(read) : read;
        if (bundles.length > 0) {
          const entries = outbox.enqueueMany(bundles.map((b) => b.text));
          entries.forEach((entry, i) => console.log(`queued #${entry.id} ${bundles[i]!.file}`));
        }
        if (bundles.length !== files.length) process.exitCode = 1;
        if (outbox.recoveredOnOpen > 0) {
          console.log(`re-queued ${outbox.recoveredOnOpen} interrupted sends (the server may already have them)`);
        }
        if (!options.deliver) return;
        const client = createSubmissionClient(configFrom(options));
        const worker = new OutboxWorker(outbox, client, {
          concurrency: Number(options.concurrency) || 4,
          ...(audit ? { audit } : {}),
          onOutcome: (o) => {
            if (o.result === 'accepted') console.log(`accepted #${o.id} receipt ${o.receiptId}`);
            else if (o.result === 'failed') console.log(`failed   #${o.id} ${o.error}`);
            else console.log(`retry    #${o.id} ${o.error}`);
          },
        });
        const stop = () => worker.stop();
        process.once('SIGINT', stop);
        const status = await worker.drain();
        process.off('SIGINT', stop);
        console.log(
          `outbox: ${status.accepted} accepted, ${status.failed} failed, ${status.queued} queued, ${status.rejected} rejected, ${status.confirmed} confirmed`,
        );
        if (status.failed > 0 || status.queued > 0) process.exitCode = 1;
      } catch (error) {
        console.error(`submit: ${describeError(error)}`);
        process.exitCode = 1;
      } finally {
        outbox?.close();
        opened?.close();
      }
    });
}

/**
 * The bundles that validate without errors (profiles, UK identifier rules, UCUM, ADS business rules: what
 * `ads-fhir validate` runs). The others are reported by rule id and place, never by value, and not queued.
 */
async function validBundles(bundles: { file: string; text: string }[]): Promise<{ file: string; text: string }[]> {
  const service = await createValidationService();
  return bundles.filter(({ file, text }) => {
    const { outcome } = service.validateText(text);
    if (isValid(outcome)) return true;
    const errors = outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    console.error(`not queued ${file}: ${errors.length} error${errors.length === 1 ? '' : 's'} (run ads-fhir validate for details)`);
    for (const i of errors.slice(0, 5)) console.error(`  ${ruleOf(i) ?? i.code} ${i.expression?.[0] ?? ''}`);
    return false;
  });
}

function readBundles(files: string[]): { file: string; text: string }[] {
  const bundles: { file: string; text: string }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
      const parsed = JSON.parse(text) as { resourceType?: unknown };
      if (parsed?.resourceType !== 'Bundle') throw new Error('not a FHIR Bundle');
    } catch (error) {
      const why = error instanceof SyntaxError ? 'not valid JSON' : (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      console.error(`skipped ${file}: ${why}`);
      continue;
    }
    bundles.push({ file, text });
  }
  return bundles;
}

function configFrom(options: SubmitOptions): SubmissionConfig {
  const config = submissionConfigFromEnv();
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
