import type { Command } from 'commander';
import {
  DefaultNotificationParser,
  formatPolledItemSummary,
  MeshClient,
  MeshError,
  MESH_ENV,
  pollNotifications,
  summarisePolledItem,
} from '../../mesh/index.js';
import { addMeshFlags, type MeshFlags, meshConfigFromFlags } from './mesh-flags.js';
import { examples } from '../help.js';

interface PollFlags extends MeshFlags {
  ack?: boolean;
  json?: boolean;
}

const HELP_EXAMPLE = `
Example:
  export ${MESH_ENV.baseUrl}=https://msg.intspineservices.nhs.uk
  export ${MESH_ENV.mailboxId}=X26ABC1
  export ${MESH_ENV.password}=...        # or "passwordFile" in the config file
  export ${MESH_ENV.sharedKey}=...       # or "sharedKeyFile"
  export ${MESH_ENV.cert}=client.pem ${MESH_ENV.key}=client.key ${MESH_ENV.ca}=mesh-ca.pem
  ads-fhir mesh poll --workflow-filter ADS_FHIR_NOTIFICATION --ack

  ads-fhir mesh poll --config mesh.json --json
  # mesh.json: {"baseUrl":"https://...","mailboxId":"X26ABC1","passwordFile":"mesh.password",
  #             "sharedKeyFile":"mesh.key","tls":{"certFile":"client.pem","keyFile":"client.key","caFile":"ca.pem"}}

Output lists each message as a notification (receipt, correlation and bundle ids, issue codes and
locations), a MESH REPORT, an unrecognised message or a failed download. Free-text diagnostics and
payloads are never printed. Without --ack nothing is acknowledged and messages stay in the inbox.
To store notifications in the outbox and update its entries, use "ads-fhir reconcile".
`;

/** Registers `ads-fhir mesh ...`. */
export function register(program: Command): void {
  const mesh = program.command('mesh').description('MESH mailbox: poll error notifications from the processing service').addHelpText('after', examples('ads-fhir mesh poll --workflow-filter ADS_FHIR_NOTIFICATION --ack'));
  addMeshFlags(mesh.command('poll').description('Download, parse and list notifications in a MESH inbox (project default format)'))
    .option('--ack', 'acknowledge notifications and REPORTs after printing them (unrecognised ones stay)', false)
    .option('--json', 'print one JSON object per line', false)
    .addHelpText('after', HELP_EXAMPLE)
    .action(async (flags: PollFlags) => {
      process.exitCode = await poll(flags);
    });
}

async function poll(flags: PollFlags): Promise<number> {
  try {
    const config = meshConfigFromFlags(flags);
    const client = new MeshClient(config.client);
    const options = config.workflowFilter !== undefined ? { workflowFilter: config.workflowFilter } : {};
    let count = 0;
    let failed = 0;
    for await (const item of pollNotifications(client, new DefaultNotificationParser(), options)) {
      count += 1;
      const summary = summarisePolledItem(item);
      process.stdout.write(`${flags.json ? JSON.stringify(summary) : formatPolledItemSummary(summary)}\n`);
      if (item.kind === 'failed') failed += 1;
      // Unrecognised messages stay in the inbox for a parser that understands them.
      else if (flags.ack && item.kind !== 'unrecognised') await item.ack();
    }
    if (!flags.json) process.stderr.write(`${count} message(s)${flags.ack ? ', acknowledged' : ', none acknowledged'}; ${failed} failed\n`);
    return failed > 0 ? 2 : 0;
  } catch (err) {
    process.stderr.write(`error: ${err instanceof MeshError ? err.message : 'unexpected failure while polling MESH'}\n`);
    return 1;
  }
}
