/** The audit trail flags shared by the commands that read, build, validate or submit patient data. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { RedactedError } from '../../net/errors.js';
import { AUDIT_KEY_ENV, AuditKeyError, loadAuditKey, SqliteAuditStore, type AuditOption } from '../../audit/index.js';

/** Environment variables read when the matching flag is absent. */
export const AUDIT_ENV = { db: 'ADS_FHIR_AUDIT_DB', user: 'ADS_FHIR_USER', role: 'ADS_FHIR_ROLE' } as const;

/** What the shared flags parse to. */
export interface AuditFlags {
  auditDb?: string;
  auditKeyFile?: string;
  user?: string;
  role?: string;
}

/** The audit flags were given but cannot be used; the message names the flag, never the key. */
export class AuditFlagError extends RedactedError {
  override readonly name = 'AuditFlagError';
}

/** Adds `--audit-db`, `--audit-key-file`, `--user` and `--role`. */
export function addAuditFlags(command: Command): Command {
  return command
    .option('--audit-db <file>', `record each access to patient data in this audit trail (SQLite; env ${AUDIT_ENV.db})`)
    .option('--audit-key-file <file>', `key for hashing patient identifiers in the trail (default: env ${AUDIT_KEY_ENV})`)
    .option('--user <id>', `locally authenticated user id, recorded in the audit trail (env ${AUDIT_ENV.user})`)
    .option('--role <role>', `that user's role, recorded in the audit trail (env ${AUDIT_ENV.role})`);
}

/** An open audit trail, or none when no trail was asked for. */
export interface OpenedAudit {
  audit?: AuditOption;
  close(): void;
}

/**
 * Opens the trail when `--audit-db` (or its variable) names one: then user, role and key are required.
 * Throws {@link AuditFlagError} with a one-line reason.
 */
export function openAuditFromFlags(flags: AuditFlags, env: NodeJS.ProcessEnv = process.env): OpenedAudit {
  const db = flags.auditDb ?? env[AUDIT_ENV.db];
  if (!db) return { close: () => undefined };
  const userId = flags.user ?? env[AUDIT_ENV.user];
  const role = flags.role ?? env[AUDIT_ENV.role];
  if (!userId || !role) throw new AuditFlagError(`the audit trail needs --user and --role (or ${AUDIT_ENV.user} and ${AUDIT_ENV.role})`);
  let store: SqliteAuditStore;
  try {
    mkdirSync(dirname(db), { recursive: true });
    store = new SqliteAuditStore(db, loadAuditKey(flags.auditKeyFile ? { file: flags.auditKeyFile } : {}));
  } catch (e) {
    if (e instanceof AuditKeyError) throw new AuditFlagError(e.message);
    throw new AuditFlagError(`cannot open the audit trail ${db} (${(e as { code?: string }).code ?? 'unreadable'})`);
  }
  return { audit: { sink: store, actor: { userId, role } }, close: () => store.close() };
}
