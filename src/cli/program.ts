import { Command, type CommanderError } from 'commander';
import { register as audit } from './commands/audit.js';
import { register as build } from './commands/build.js';
import { register as cqi } from './commands/cqi.js';
import { register as convert } from './commands/convert.js';
import { register as demo } from './commands/demo.js';
import { register as docs } from './commands/docs.js';
import { register as importXml } from './commands/import.js';
import { register as map } from './commands/map.js';
import { register as mesh } from './commands/mesh.js';
import { register as outbox } from './commands/outbox.js';
import { register as packages } from './commands/packages.js';
import { register as reconcile } from './commands/reconcile.js';
import { register as standIns } from './commands/stand-ins.js';
import { register as serve } from './commands/serve.js';
import { register as submit } from './commands/submit.js';
import { register as validate } from './commands/validate.js';

/** Each capability adds its own subcommands; the CLI itself holds no logic. */
const commands: Array<(program: Command) => void> = [demo, validate, serve, packages, importXml, convert, docs, map, submit, outbox, reconcile, standIns, mesh, cqi, audit, build];

/** Builds the `ads-fhir` command line program. */
export function createProgram(): Command {
  const program = new Command('ads-fhir')
    .description('Build, validate, document and submit NHS Ambulance Data Set FHIR bundles')
    .version('0.1.0')
    // Set before the subcommands are added: each one inherits it when it is created.
    .exitOverride(exitForCommander);
  for (const add of commands) add(program);
  return program;
}

/**
 * Commander's own exits: help and version exit 0; everything else it reports (unknown option, bad choice,
 * missing argument) is a usage error, exit 2 as every command documents, not commander's default 1.
 */
function exitForCommander(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : 2);
}
