/**
 * `ads-fhir stand-ins`: starts this toolkit's local stand-ins of the NHS token endpoint, the ADS API and
 * MESH on loopback until interrupted, with a freshly generated client key (a 0600 file). Its settings go to
 * `.ads-fhir/stand-ins.json`, where `submit`, `reconcile` and `outbox` started from the same folder find
 * them without any exports. Received bundles are checked with the demo's validator; the verdicts arrive
 * over MESH. These are not the NHS sandbox (`submit --env sandbox`). `ads-fhir sandbox` is the old name.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { JSONWebKeySet } from 'jose';
import { startSandbox } from '../../server/index.js';
import { describeError } from '../../submission/index.js';
import { demoValidator } from '../demo/index.js';
import { examples } from '../help.js';
import { startInBackground, stopStandIns } from './stand-ins-background.js';
import { removeStandInsSettings, STAND_INS_FILE, writeStandInsSettings } from './stand-ins-settings.js';

interface StandInsCliOptions {
  background?: boolean;
  stop?: boolean;
  tokenPort: string;
  adsPort: string;
  keyOut: string;
  jwks?: string;
  apiKey?: string;
  rateLimit: string;
  store?: string;
  meshOut: string;
  notify: boolean;
  delay: string;
}

const DESCRIPTION = 'Run local stand-ins of the NHS token endpoint, the ADS API and MESH on loopback (not the NHS sandbox)';

export function register(program: Command): void {
  addOptions(program.command('stand-ins').description(DESCRIPTION))
    .addHelpText(
      'after',
      `\nSettings are written to ${STAND_INS_FILE}; "ads-fhir submit", "reconcile" and "outbox" run from this folder use\nthem while the stand-ins run, with no exports. "--env sandbox" is the NHS sandbox, a different thing.\n`,
    )
    .addHelpText('after', examples('ads-fhir stand-ins', 'ads-fhir stand-ins --background && ads-fhir submit out/*.json && ads-fhir stand-ins --stop', 'ads-fhir stand-ins --ads-port 8443 --token-port 8444'))
    .action((options: StandInsCliOptions) => dispatch(options));
  // The old name, kept so scripts go on working; it says what it is now called.
  addOptions(program.command('sandbox', { hidden: true }).description(`${DESCRIPTION} (old name of "stand-ins")`))
    .addHelpText('after', examples('ads-fhir stand-ins   # the new name'))
    .action((options: StandInsCliOptions) => {
    console.error('note: "ads-fhir sandbox" is now "ads-fhir stand-ins" (local stand-ins; "--env sandbox" is the NHS sandbox)');
    return dispatch(options);
  });
}

function addOptions(command: Command): Command {
  return command
    .option('--background', 'start them in the background and return once they are ready (stop with --stop)')
    .option('--stop', 'stop stand-ins started from this folder')
    .option('--token-port <n>', 'token stand-in port', '0')
    .option('--ads-port <n>', 'ADS stand-in port', '0')
    .option('--key-out <file>', 'where to write the generated private key', '.ads-fhir/stand-ins-key.pem')
    .option('--jwks <file>', 'register this JWKS instead of generating a key (with --api-key)')
    .option('--api-key <key>', 'API key of the registered application', 'stand-ins-api-key')
    .option('--rate-limit <perMinute>', 'ADS stand-in limit per application per minute', '300')
    .option('--store <file>', 'SQLite file for what the ADS stand-in receives (default in memory)')
    .option('--mesh-out <file>', 'where to write the MESH settings for `ads-fhir reconcile`', '.ads-fhir/stand-ins-mesh.json')
    .option('--no-notify', 'do not validate received bundles or post MESH notifications')
    .option('--delay <ms>', 'wait before posting a notification', '200');
}

async function dispatch(options: StandInsCliOptions): Promise<void> {
  if (options.stop) process.exitCode = await stopStandIns();
  else if (options.background) process.exitCode = await startInBackground();
  else await run(options);
}

async function run(options: StandInsCliOptions): Promise<void> {
  try {
    const jwks = options.jwks ? (JSON.parse(readFileSync(options.jwks, 'utf8')) as JSONWebKeySet) : undefined;
    const standIns = await startSandbox({
      apps: jwks ? [{ apiKey: options.apiKey!, jwks }] : undefined,
      apiKey: options.apiKey,
      tokenPort: Number(options.tokenPort),
      adsPort: Number(options.adsPort),
      ads: { rateLimitPerMinute: Number(options.rateLimit) || 300, storePath: options.store },
      ...(options.notify ? { validate: await demoValidator() } : {}),
      mesh: { notificationDelayMs: Math.max(0, Number(options.delay) || 0) },
    });
    let privateKeyFile: string | undefined;
    if (standIns.client) {
      privateKeyFile = resolve(options.keyOut);
      writeSecret(privateKeyFile, standIns.client.privateKeyPem);
    }
    const meshConfig = standIns.mesh ? writeMeshSettings(resolve(options.meshOut), standIns.mesh) : undefined;
    const settingsFile = writeStandInsSettings({
      ads: {
        baseUrl: standIns.adsBaseUrl,
        tokenUrl: standIns.tokenUrl,
        apiKey: standIns.client?.apiKey ?? options.apiKey!,
        ...(standIns.client ? { kid: standIns.client.kid } : {}),
        ...(privateKeyFile ? { privateKeyFile } : {}),
      },
      ...(meshConfig ? { meshConfig } : {}),
    });
    console.log('local stand-ins (loopback; not the NHS sandbox):');
    console.log(`  token endpoint  ${standIns.tokenUrl}`);
    console.log(`  ADS API         ${standIns.adsBaseUrl}/$process-message (and /submission)`);
    if (standIns.mesh) console.log(`  MESH            ${standIns.mesh.url} (mailbox ${standIns.mesh.mailboxId})`);
    console.log(`settings written to ${relative(process.cwd(), settingsFile) || settingsFile}; from this folder, with no exports:`);
    console.log('  ads-fhir submit out/*.json && ads-fhir reconcile && ads-fhir outbox status');
    console.log('Ctrl-C to stop.');
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    removeStandInsSettings();
    const stats = standIns.adsServer.store.stats();
    await standIns.stop();
    console.log(`stopped; received ${stats.received} submissions (${stats.duplicates} duplicates)`);
  } catch (error) {
    console.error(`stand-ins: ${describeError(error)}`);
    process.exitCode = 1;
  }
}

/** A secret file: 0600 from its creation, folder created as needed. */
function writeSecret(path: string, value: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, value, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** Writes a MESH config for `reconcile --config`, its secrets in 0600 files beside it (never printed). */
function writeMeshSettings(file: string, mesh: { url: string; mailboxId: string; password: string; sharedKey: string }): string {
  const base = file.replace(/\.json$/, '');
  const passwordFile = writeSecret(`${base}.password`, mesh.password);
  const sharedKeyFile = writeSecret(`${base}.shared-key`, mesh.sharedKey);
  writeSecret(file, `${JSON.stringify({ baseUrl: mesh.url, mailboxId: mesh.mailboxId, passwordFile, sharedKeyFile }, null, 2)}\n`);
  return file;
}
