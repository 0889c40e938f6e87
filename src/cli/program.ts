import { Command, type CommanderError } from 'commander';
import { COMMAND_GROUPS, subcommandOf } from './command-names.js';

type CommandModule = { register: (program: Command) => void };

/**
 * Each capability adds its own subcommands; the CLI itself holds no logic. Keyed by the first name of each
 * group in COMMAND_GROUPS (help order). A module is loaded only when its subcommand runs (or when help
 * lists them all), so `validate` never loads the SQLite, HTTP server or JOSE code other commands need.
 */
const LOADERS: Record<(typeof COMMAND_GROUPS)[number][0], () => Promise<CommandModule>> = {
  demo: () => import('./commands/demo.js'),
  validate: () => import('./commands/validate.js'),
  serve: () => import('./commands/serve.js'),
  packages: () => import('./commands/packages.js'),
  'import-xml': () => import('./commands/import.js'),
  convert: () => import('./commands/convert.js'),
  docs: () => import('./commands/docs.js'),
  map: () => import('./commands/map.js'),
  submit: () => import('./commands/submit.js'),
  outbox: () => import('./commands/outbox.js'),
  reconcile: () => import('./commands/reconcile.js'),
  'stand-ins': () => import('./commands/stand-ins.js'),
  mesh: () => import('./commands/mesh.js'),
  cqi: () => import('./commands/cqi.js'),
  audit: () => import('./commands/audit.js'),
  build: () => import('./commands/build.js'),
};

const COMMANDS = COMMAND_GROUPS.map((names): readonly [readonly string[], () => Promise<CommandModule>] => [names, LOADERS[names[0]]]);

/**
 * Builds the `ads-fhir` command line program. Given the process arguments, only the module of the
 * subcommand they name is loaded; without them, or for anything else (help, an unknown name), all are.
 */
export async function createProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('ads-fhir')
    .description('Build, validate, document and submit NHS Ambulance Data Set FHIR bundles')
    .version('0.1.0')
    // Set before the subcommands are added: each one inherits it when it is created.
    .exitOverride(exitForCommander);
  const named = argv ? subcommandOf(argv) : undefined;
  const only = named === undefined ? undefined : COMMANDS.find(([names]) => names.includes(named));
  const modules = await Promise.all((only ? [only] : COMMANDS).map(([, load]) => load()));
  for (const { register } of modules) register(program);
  return program;
}

/**
 * Commander's own exits: help and version exit 0; everything else it reports (unknown option, bad choice,
 * missing argument) is a usage error, exit 2 as every command documents, not commander's default 1.
 */
function exitForCommander(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : 2);
}
