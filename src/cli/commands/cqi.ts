import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AUDIT_KEY_ENV, loadAuditKey, SqliteAuditStore, type AuditActor } from '../../audit/index.js';
import {
  CqiClient,
  CqiError,
  CqiOutbox,
  createTriageRecord,
  HttpsTriageTransport,
  triageRecordId,
  TriageValidationError,
  type ClientTlsOptions,
  type CqiLogEvent,
} from '../../cqi/index.js';
import { StoreError } from '../../sqlite/index.js';
import { examples } from '../help.js';

const DEFAULT_OUTBOX = 'cqi-outbox.sqlite';
const DEFAULT_AUDIT_DB = 'ads-fhir-audit.sqlite';
const PASSPHRASE_ENV = 'ADS_FHIR_CQI_PASSPHRASE';
const URL_ENV = 'ADS_FHIR_CQI_URL';

/** Exit status when the record was stored for a later `cqi drain`. */
export const EXIT_QUEUED = 2;

interface ConnectionOptions {
  url?: string;
  cert?: string;
  key?: string;
  pfx?: string;
  ca?: string;
  passphraseFile?: string;
  passphraseEnv: string;
  outbox: string;
  timeout: string;
  retries: string;
  verbose?: boolean;
}

interface AuditOptions {
  auditDb: string;
  auditKeyFile?: string;
  user?: string;
  role?: string;
  audit: boolean;
}

/** A user-facing failure: printed as one line, no stack trace. */
class CliError extends Error {}

function integer(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`${name} must be a whole number of 0 or more`);
  return n;
}

function passphrase(o: ConnectionOptions): string | undefined {
  if (o.passphraseFile) {
    try {
      return readFileSync(o.passphraseFile, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new CliError(`passphrase file ${o.passphraseFile} cannot be read`);
    }
  }
  return process.env[o.passphraseEnv];
}

function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', `submission endpoint issued on onboarding (default: $${URL_ENV})`)
    .option('--cert <file>', 'client certificate, PEM')
    .option('--key <file>', 'client private key, PEM (may be encrypted)')
    .option('--pfx <file>', 'client certificate and key as PKCS#12, instead of --cert/--key')
    .option('--ca <file>', 'CA bundle that signs the server certificate, PEM')
    .option('--passphrase-file <file>', 'file holding the key or PKCS#12 passphrase')
    .option('--passphrase-env <name>', 'environment variable holding the passphrase', PASSPHRASE_ENV)
    .option('--outbox <file>', 'durable outbox (SQLite)', DEFAULT_OUTBOX)
    .option('--timeout <ms>', 'per-attempt timeout', '10000')
    .option('--retries <n>', 'retries per item after a retryable failure', '3')
    .option('--verbose', 'print transport events (codes only) to stderr');
}

function addAuditOptions(cmd: Command): Command {
  return cmd
    .option('--audit-db <file>', 'audit trail (SQLite)', DEFAULT_AUDIT_DB)
    .option('--audit-key-file <file>', `key for hashing patient identifiers (default: $${AUDIT_KEY_ENV})`)
    .option('--user <id>', 'locally authenticated user id, recorded in the audit trail')
    .option('--role <role>', 'that user\'s role, recorded in the audit trail')
    .option('--no-audit', 'do not write the audit trail (testing only)');
}

function openClient(o: ConnectionOptions, audit: SqliteAuditStore | undefined): { client: CqiClient; close(): void } {
  const url = o.url ?? process.env[URL_ENV];
  if (!url) throw new CliError(`no endpoint: give --url or set ${URL_ENV}`);
  const phrase = passphrase(o);
  const tls: ClientTlsOptions = {
    ...(o.cert ? { cert: { file: o.cert } } : {}),
    ...(o.key ? { key: { file: o.key } } : {}),
    ...(o.pfx ? { pfx: { file: o.pfx } } : {}),
    ...(o.ca ? { ca: { file: o.ca } } : {}),
    ...(phrase !== undefined ? { passphrase: phrase } : {}),
  };
  const logger = o.verbose ? (e: CqiLogEvent) => console.error(`${e.level}: ${e.message}`) : undefined;
  const transport = new HttpsTriageTransport({ url, tls, timeoutMs: integer(o.timeout, '--timeout'), retries: integer(o.retries, '--retries'), ...(logger ? { logger } : {}) });
  const outbox = new CqiOutbox(o.outbox);
  const client = new CqiClient({ transport, outbox, ...(audit ? { audit } : {}), ...(logger ? { logger } : {}) });
  return {
    client,
    close: () => {
      transport.close();
      outbox.close();
    },
  };
}

function openAudit(o: AuditOptions): { store?: SqliteAuditStore; actor?: AuditActor } {
  if (!o.audit) return {};
  if (!o.user || !o.role) throw new CliError('--user and --role are required for the audit trail (or pass --no-audit)');
  const key = loadAuditKey(o.auditKeyFile ? { file: o.auditKeyFile } : {});
  return { store: new SqliteAuditStore(o.auditDb, key), actor: { userId: o.user, role: o.role } };
}

function readRecordFile(file: string): { input: unknown; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`${file} cannot be read`);
  }
  try {
    return { input: JSON.parse(text) as unknown, text };
  } catch {
    throw new CliError(`${file} is not valid JSON`);
  }
}

/** The audit record id of a record that failed validation: a content hash, never the file's path. */
function invalidRecordId(text: string): string {
  return `invalid-triage-record/sha256:${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)}`;
}

/** Runs `action`, turning every expected failure into one line on stderr and exit status 1. */
async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    if (e instanceof TriageValidationError) {
      console.error('invalid triage record:');
      for (const issue of e.issues) console.error(`  ${issue.field}: ${issue.message}`);
    } else if (e instanceof CliError || e instanceof CqiError || e instanceof StoreError || (e instanceof Error && 'code' in e && e.code === 'AUDIT_KEY_INVALID')) {
      console.error(`error: ${e.message}`);
      // A mistyped outbox path is a usage error, and nothing was created.
      if (e instanceof StoreError && e.code === 'missing') {
        process.exitCode = 2;
        return;
      }
    } else if (e instanceof TypeError && /URL/.test(e.message)) {
      console.error(`error: ${e.message}`);
    } else if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('SQLITE_')) {
      console.error(`error: cannot use the outbox or audit database (${e.code})`);
    } else {
      console.error('error: unexpected failure; nothing was lost: a record that reached the outbox stays queued');
    }
    process.exitCode = 1;
  }
}

/** Registers `ads-fhir cqi submit|drain|outbox`. */
export function register(program: Command): void {
  const cqi = program.command('cqi').description('Submit NHS Pathways triage records (UEC CQI / IDT) over mutual TLS').addHelpText('after', examples('ads-fhir cqi outbox --outbox cqi-outbox.sqlite'));

  addAuditOptions(
    addConnectionOptions(
      cqi
        .command('submit <record>')
        .description('Validate a triage record (JSON file) and submit it now; if it cannot be delivered within the deadline it stays queued in the outbox')
        .option('--deadline <ms>', 'return within this time; undelivered records stay queued', '15000'),
    ),
  )
    .addHelpText(
      'after',
      `
Exit status: 0 delivered, ${EXIT_QUEUED} queued for a later "cqi drain", 1 invalid input, refused, or set-up error
(a set-up error that stopped delivery, such as an untrusted server certificate, leaves the record queued).

Example:
  export ${PASSPHRASE_ENV}=...   ${AUDIT_KEY_ENV}=...
  ads-fhir cqi submit triage.json --url https://cqi.example/triage \\
    --cert client.pem --key client.key --ca ca-bundle.pem --user jsmith --role R8000

triage.json:
  {"caseId":"CASE-1","providerOdsCode":"NLO","service":"111",
   "callConnectedAt":"2026-11-23T17:00:05Z","assessmentEndedAt":"2026-11-23T17:12:40Z",
   "symptomGroup":"1011","symptomDiscriminator":"4052","dispositionCode":"Dx011",
   "dispositionAt":"2026-11-23T17:12:30Z","finalOutcome":"Ambulance dispatched","nhsNumber":"9000000009"}`,
    )
    .action((file: string, o: ConnectionOptions & AuditOptions & { deadline: string }) =>
      guarded(async () => {
        const deadlineMs = integer(o.deadline, '--deadline');
        const { store, actor } = openAudit(o);
        try {
          const { input, text } = readRecordFile(file);
          let record;
          try {
            record = createTriageRecord(input);
          } catch (e) {
            // A record that did not validate has no trusted id; a file name can hold a patient's name, so
            // the trail names the record by a hash of its content instead.
            if (store && actor) store.record({ actor, action: 'validate', recordId: invalidRecordId(text), outcome: 'failure', detail: 'TRIAGE_INVALID' });
            throw e;
          }
          const patientIds = record.nhsNumber !== undefined ? [record.nhsNumber] : [];
          if (store && actor) store.record({ actor, action: 'validate', recordId: triageRecordId(record), outcome: 'success', patientIds });
          const { client, close } = openClient(o, store);
          try {
            const result = await client.submitNow(record, { deadlineMs, ...(actor ? { actor } : {}) });
            if (result.outcome === 'delivered') {
              console.log(`delivered ${triageRecordId(record)}${result.receipt ? ` (HTTP ${result.receipt.status})` : ''}`);
            } else if (result.outcome === 'queued') {
              console.log(`queued ${triageRecordId(record)} as #${result.seq} in ${o.outbox}: ${result.message}`);
              // A cause only a fix can remove (the server's certificate not trusted, a refused set-up) is an error.
              if (!result.retryable) console.error(`error: set-up problem (${result.reason}); the record stays queued for "cqi drain" once it is fixed`);
              process.exitCode = result.retryable ? EXIT_QUEUED : 1;
            } else {
              console.log(`rejected ${triageRecordId(record)} by the service; kept in ${o.outbox} (rejected items)`);
              process.exitCode = 1;
            }
          } finally {
            close();
          }
        } finally {
          store?.close();
        }
      }),
    );

  addAuditOptions(addConnectionOptions(cqi.command('drain').description('Send queued records, oldest first, stopping at the first that still fails')))
    .addHelpText('after', '\nExample:\n  ads-fhir cqi drain --url https://cqi.example/triage --pfx client.p12 --ca ca-bundle.pem --user batch --role system')
    .action((o: ConnectionOptions & AuditOptions) =>
      guarded(async () => {
        const { store, actor } = openAudit(o);
        try {
          const { client, close } = openClient(o, store);
          try {
            const r = await client.drain(actor ? { actor } : {});
            console.log(`delivered ${r.delivered}, rejected ${r.rejected}, still queued ${r.remaining}${r.stoppedBy ? ` (stopped: ${r.stoppedBy.message})` : ''}`);
            if (r.remaining > 0) process.exitCode = r.stoppedBy && !r.stoppedBy.retryable ? 1 : EXIT_QUEUED;
          } finally {
            close();
          }
        } finally {
          store?.close();
        }
      }),
    );

  cqi
    .command('outbox')
    .description('List queued and rejected records (ids and error codes only)')
    .option('--outbox <file>', 'durable outbox (SQLite)', DEFAULT_OUTBOX)
    .addHelpText('after', '\nExample:\n  ads-fhir cqi outbox --outbox cqi-outbox.sqlite')
    .action((o: { outbox: string }) =>
      guarded(async () => {
        const outbox = new CqiOutbox(o.outbox, { mustExist: true });
        try {
          const pending = outbox.pending();
          const rejected = outbox.rejected();
          console.log(`${pending.length} queued, ${rejected.length} rejected`);
          for (const p of pending) console.log(`  queued   #${p.seq} ${p.recordId} attempts=${p.attempts} last=${p.lastErrorCode ?? '-'}`);
          for (const p of rejected) console.log(`  rejected #${p.seq} ${p.recordId} attempts=${p.attempts} last=${p.lastErrorCode ?? '-'}`);
        } finally {
          outbox.close();
        }
      }),
    );
}
