import type { Command } from 'commander';
import { verifyAuditChain } from '../../audit/index.js';
import { examples } from '../help.js';

/** Registers `ads-fhir audit verify`. */
export function register(program: Command): void {
  const audit = program.command('audit').description('Work with the local audit trail of accesses to patient data').addHelpText('after', examples('ads-fhir audit verify --db ads-fhir-audit.sqlite'));
  audit
    .command('verify')
    .description('Re-compute the hash chain of the audit trail and report the first entry that was changed, removed or reordered')
    .option('--db <file>', 'audit trail (SQLite)', 'ads-fhir-audit.sqlite')
    .option('--expect-head <seq:hash>', 'head printed by an earlier verify: also detects removal of the newest entries')
    .addHelpText(
      'after',
      `
Exit status: 0 intact, 1 broken or unreadable.

Example:
  ads-fhir audit verify --db /var/lib/ads-fhir/audit.sqlite
  ads-fhir audit verify --db audit.sqlite --expect-head 1042:9f2c...e1`,
    )
    .action((o: { db: string; expectHead?: string }) => {
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
      const result = verifyAuditChain(o.db, expectedHead ? { expectedHead } : {});
      if (result.ok) {
        console.log(`audit trail intact: ${result.entries} entries; head ${result.head.seq}:${result.head.hash}`);
      } else {
        console.error(`audit trail BROKEN at entry ${result.seq}: ${result.problem} (${result.entries} entries verified before it)`);
        process.exitCode = 1;
      }
    });
}
