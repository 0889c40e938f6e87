/**
 * `ads-fhir reconcile`: fetch the processing service's notifications from MESH, store them in the outbox,
 * mark the entries they name rejected or confirmed, then acknowledge them.
 */
import type { Command } from 'commander';
import { MeshClient, MeshError } from '../../mesh/index.js';
import { describeError, Outbox, reconcile, type ReconcileEvent } from '../../submission/index.js';
import { addAuditFlags, openAuditFromFlags, type AuditFlags, type OpenedAudit } from './audit-flags.js';
import { addMeshFlags, type MeshFlags, meshConfigFromFlags } from './mesh-flags.js';
import { outboxPath } from './outbox-path.js';
import { readStandInsSettings, STAND_INS_FILE } from './stand-ins-settings.js';
import { examples } from '../help.js';

interface ReconcileFlags extends MeshFlags, AuditFlags {
  outbox?: string;
  json?: boolean;
  keepFreeText?: boolean;
}

const HELP = `
Settings as for "ads-fhir mesh poll" (MESH_* environment or --config); with neither, the local stand-ins
started by "ads-fhir stand-ins" in this folder (${STAND_INS_FILE}). Each notification is stored in the
outbox file with its issues and applied to the entry it names (receipt id, else correlation id, else bundle
id) before its MESH message is acknowledged; one that matches no entry is stored as unmatched and listed by
"ads-fhir outbox status". Unrecognised messages and failed downloads stay in the inbox.
Exit code: 0 done, 2 some messages could not be downloaded or acknowledged (run again), 1 configuration,
auth or connection error.
The service's free text (diagnostics) may quote patient data: it is dropped unless --keep-free-text.
With --audit-db, each notification read records a read entry for the bundle it names.
`;

export function register(program: Command): void {
  const command = addMeshFlags(program.command('reconcile').description('Apply MESH error notifications to the outbox (rejected / confirmed)'))
    .option('--outbox <file>', 'outbox file (default $ADS_OUTBOX or .ads-fhir/outbox.sqlite)')
    .option('--json', 'print one JSON object per MESH message', false)
    .option('--keep-free-text', "keep the notifications' free text in the outbox, for outbox status (it may quote patient data)");
  addAuditFlags(command)
    .addHelpText('after', HELP)
    .addHelpText('after', examples('ads-fhir reconcile', 'ads-fhir reconcile --config mesh.json --outbox outbox.sqlite'))
    .action(async (flags: ReconcileFlags) => {
      process.exitCode = await run(flags);
    });
}

async function run(flags: ReconcileFlags): Promise<number> {
  let outbox: Outbox | undefined;
  let opened: OpenedAudit | undefined;
  try {
    const config = meshConfigFromFlags(standInsMeshFallback(flags));
    opened = openAuditFromFlags(flags);
    // Reconciling never sends: no writer lease, safe beside a delivering worker.
    outbox = Outbox.open(outboxPath(flags.outbox), { ...(flags.keepFreeText ? { keepFreeText: true } : {}) });
    const summary = await reconcile(outbox, new MeshClient(config.client), {
      ...(config.workflowFilter !== undefined ? { workflowFilter: config.workflowFilter } : {}),
      ...(opened.audit ? { audit: opened.audit } : {}),
      onEvent: (event) => console.log(flags.json ? JSON.stringify(event) : formatEvent(event)),
    });
    if (!flags.json) {
      console.log(
        `reconciled: ${summary.rejected} rejected, ${summary.confirmed} confirmed, ${summary.unmatched} unmatched, ` +
          `${summary.ignored} ignored, ${summary.duplicate} already stored, ${summary.report} MESH reports; ` +
          `${summary.unrecognised} unrecognised and ${summary.failed} failed left in the inbox; ${summary.ackFailed} not acknowledged`,
      );
    }
    return summary.failed > 0 || summary.ackFailed > 0 ? 2 : 0;
  } catch (error) {
    console.error(`reconcile: ${error instanceof MeshError ? error.message : describeError(error)}`);
    return 1;
  } finally {
    outbox?.close();
    opened?.close();
  }
}

/** With no --config and no MESH_* variable, the MESH config the running local stand-ins left. */
function standInsMeshFallback(flags: ReconcileFlags): ReconcileFlags {
  if (flags.config || Object.keys(process.env).some((name) => name.startsWith('MESH_'))) return flags;
  const meshConfig = readStandInsSettings()?.meshConfig;
  return meshConfig ? { ...flags, config: meshConfig } : flags;
}

function formatEvent(e: ReconcileEvent): string {
  return [
    e.result.toUpperCase(),
    `message=${e.messageId}`,
    ...(e.entryId !== undefined ? [`entry=#${e.entryId}`] : []),
    ...(e.receiptId ? [`receipt=${e.receiptId}`] : []),
    ...(e.bundleId ? [`bundle=${e.bundleId}`] : []),
    ...(e.issueCount !== undefined ? [`issues=${e.issueCount}`] : []),
    e.acknowledged ? 'acknowledged' : 'left in inbox',
    ...(e.error ? [e.error] : []),
  ].join(' ');
}
