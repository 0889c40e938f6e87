import type { Command } from 'commander';
import { AUDIT_KEY_ENV, AuditKeyError, loadAuditKey, verifyAuditChain } from '../../audit/index.js';
import { examples } from '../help.js';

/** Registers `ads-fhir audit verify`. */
export function register(program: Command): void {
  const audit = program.command('audit').description('Work with the local audit trail of accesses to patient data').addHelpText('after', examples('ads-fhir audit verify --db ads-fhir-audit.sqlite'));
  audit
    .command('verify')
    .description('Re-compute the keyed hash chain of the audit trail and report the first entry that was changed, removed, inserted or reordered')
    .option('--db <file>', 'audit trail (SQLite)', 'ads-fhir-audit.sqlite')
    .option('--audit-key-file <file>', `the audit key (default: env ${AUDIT_KEY_ENV}); the chain is keyed, so verifying needs it`)
    .option('--expect-head <seq:hash>', 'head printed by an earlier verify: also detects a trail rolled back to an older copy')
    .addHelpText(
      'after',
      `
Exit status: 0 intact, 1 broken, unreadable, or no key given.

Example:
  ads-fhir audit verify --db /var/lib/ads-fhir/audit.sqlite          # key in $${AUDIT_KEY_ENV}
  ads-fhir audit verify --db audit.sqlite --audit-key-file audit.key --expect-head 1042:9f2c...e1`,
    )
    .action((o: { db: string; auditKeyFile?: string; expectHead?: string }) => {
      let expectedHead: { seq: number; hash: string } | undefined;
      if (o.expectHead !== undefined) {
        const m = /^(\d+):([0-9a-f]{64})$/.exec(o.expectHead);
        if (!m) {
          console.error('error: --expect-head must be <seq>:<64 hex digits>, as printed by an earlier verify');
          process.exitCode = 1;
          return;
        }
        expectedHead = { seq: Number(m[1]), hash: m[2]! };
      }
      let key: Buffer;
      try {
        key = loadAuditKey(o.auditKeyFile ? { file: o.auditKeyFile } : {});
      } catch (error) {
        console.error(`error: ${error instanceof AuditKeyError ? error.message : 'the audit key cannot be read'} (verifying the keyed chain needs the key)`);
        process.exitCode = 1;
        return;
      }
      const result = verifyAuditChain(o.db, { key, ...(expectedHead ? { expectedHead } : {}) });
      if (result.ok) {
        const legacy = result.legacyEntries > 0 ? ` (the first ${result.legacyEntries} written before the chain was keyed, anchored by the keyed ones)` : '';
        console.log(`audit trail intact: ${result.entries} entries${legacy}; head ${result.head.seq}:${result.head.hash}`);
      } else {
        console.error(`audit trail BROKEN at entry ${result.seq}: ${result.problem} (${result.entries} entries verified before it)`);
        process.exitCode = 1;
      }
    });
}
