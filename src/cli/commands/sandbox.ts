/**
 * `ads-fhir sandbox`: starts the token, ADS and MESH stand-ins on loopback until interrupted, with a freshly
 * generated client key (written to a 0600 file) and prints the settings `submit` and `reconcile` need.
 * Received bundles are checked with the demo's validator; the verdicts arrive over MESH.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { JSONWebKeySet } from 'jose';
import { startSandbox } from '../../server/index.js';
import { describeError } from '../../submission/index.js';
import { demoValidator } from '../demo/index.js';
import { examples } from '../help.js';

interface SandboxCliOptions {
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

export function register(program: Command): void {
  program
    .command('sandbox')
    .description('Run local stand-ins of the NHS token endpoint and the ADS API (loopback only)')
    .option('--token-port <n>', 'token stand-in port', '0')
    .option('--ads-port <n>', 'ADS stand-in port', '0')
    .option('--key-out <file>', 'where to write the generated private key', '.ads-fhir/sandbox-key.pem')
    .option('--jwks <file>', 'register this JWKS instead of generating a key (with --api-key)')
    .option('--api-key <key>', 'API key of the registered application', 'sandbox-api-key')
    .option('--rate-limit <perMinute>', 'ADS stand-in limit per application per minute', '300')
    .option('--store <file>', 'SQLite file for what the ADS stand-in receives (default in memory)')
    .option('--mesh-out <file>', 'where to write the MESH settings for `ads-fhir reconcile --config`', '.ads-fhir/sandbox-mesh.json')
    .option('--no-notify', 'do not validate received bundles or post MESH notifications')
    .option('--delay <ms>', 'wait before posting a notification', '200')
    .addHelpText('after', examples('ads-fhir sandbox --ads-port 8443 --token-port 8444'))
    .action(async (options: SandboxCliOptions) => {
      try {
        const jwks = options.jwks ? (JSON.parse(readFileSync(options.jwks, 'utf8')) as JSONWebKeySet) : undefined;
        const sandbox = await startSandbox({
          apps: jwks ? [{ apiKey: options.apiKey!, jwks }] : undefined,
          apiKey: options.apiKey,
          tokenPort: Number(options.tokenPort),
          adsPort: Number(options.adsPort),
          ads: { rateLimitPerMinute: Number(options.rateLimit) || 300, storePath: options.store },
          ...(options.notify ? { validate: await demoValidator() } : {}),
          mesh: { notificationDelayMs: Math.max(0, Number(options.delay) || 0) },
        });
        console.log(`token endpoint  ${sandbox.tokenUrl}`);
        console.log(`ADS API         ${sandbox.adsBaseUrl}/$process-message (and /submission)`);
        console.log('settings for `ads-fhir submit`:');
        console.log('  export ADS_ENVIRONMENT=local');
        console.log(`  export ADS_BASE_URL=${sandbox.adsBaseUrl}`);
        console.log(`  export ADS_TOKEN_URL=${sandbox.tokenUrl}`);
        console.log(`  export ADS_API_KEY=${options.apiKey}`);
        if (sandbox.client) {
          const keyFile = resolve(options.keyOut);
          mkdirSync(dirname(keyFile), { recursive: true });
          writeFileSync(keyFile, sandbox.client.privateKeyPem, { mode: 0o600 });
          chmodSync(keyFile, 0o600);
          console.log(`  export ADS_KID=${sandbox.client.kid}`);
          console.log(`  export ADS_PRIVATE_KEY_FILE=${keyFile}`);
        }
        if (sandbox.mesh) {
          const meshFile = writeMeshSettings(resolve(options.meshOut), sandbox.mesh);
          console.log(`MESH            ${sandbox.mesh.url} (mailbox ${sandbox.mesh.mailboxId})`);
          console.log(`  then: ads-fhir reconcile --config ${meshFile} && ads-fhir outbox status`);
        }
        console.log('Ctrl-C to stop.');
        await new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        const stats = sandbox.adsServer.store.stats();
        await sandbox.stop();
        console.log(`stopped; received ${stats.received} submissions (${stats.duplicates} duplicates)`);
      } catch (error) {
        console.error(`sandbox: ${describeError(error)}`);
        process.exitCode = 1;
      }
    });
}

/** Writes a MESH config for `reconcile --config`, its secrets in 0600 files beside it (never printed). */
function writeMeshSettings(file: string, mesh: { url: string; mailboxId: string; password: string; sharedKey: string }): string {
  mkdirSync(dirname(file), { recursive: true });
  const base = file.replace(/\.json$/, '');
  const secret = (suffix: string, value: string) => {
    const path = `${base}.${suffix}`;
    writeFileSync(path, value, { mode: 0o600 });
    chmodSync(path, 0o600);
    return path;
  };
  const passwordFile = secret('password', mesh.password);
  const sharedKeyFile = secret('shared-key', mesh.sharedKey);
  writeFileSync(file, `${JSON.stringify({ baseUrl: mesh.url, mailboxId: mesh.mailboxId, passwordFile, sharedKeyFile }, null, 2)}\n`);
  return file;
}
