import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MeshApiVersion, MeshClientOptions } from './client.js';
import { MeshConfigError } from './errors.js';
import type { MeshTlsOptions } from './client.js';

/**
 * The JSON config file. Secrets are never written inline: they come from the environment or from
 * the files named here (paths are relative to the config file).
 */
export interface MeshConfigFile {
  baseUrl?: string;
  mailboxId?: string;
  apiVersion?: MeshApiVersion;
  /** File holding the mailbox password (alternative to `MESH_MAILBOX_PASSWORD`). */
  passwordFile?: string;
  /** File holding the environment shared key (alternative to `MESH_SHARED_KEY`). */
  sharedKeyFile?: string;
  tls?: { certFile?: string; keyFile?: string; caFile?: string; passphraseFile?: string; servername?: string };
  workflowFilter?: string;
}

/** Environment variables read by {@link loadMeshConfig}. */
export const MESH_ENV = {
  baseUrl: 'MESH_BASE_URL',
  mailboxId: 'MESH_MAILBOX_ID',
  password: 'MESH_MAILBOX_PASSWORD',
  sharedKey: 'MESH_SHARED_KEY',
  apiVersion: 'MESH_API_VERSION',
  cert: 'MESH_CLIENT_CERT',
  key: 'MESH_CLIENT_KEY',
  ca: 'MESH_CA_CERT',
  passphrase: 'MESH_CLIENT_KEY_PASSPHRASE',
  workflowFilter: 'MESH_WORKFLOW_FILTER',
} as const;

/** What {@link loadMeshConfig} resolves: client options plus polling settings. */
export interface LoadedMeshConfig {
  client: MeshClientOptions;
  workflowFilter?: string;
}

/** Overrides from the command line; they win over the environment, which wins over the file. */
export interface MeshConfigOverrides {
  baseUrl?: string;
  mailboxId?: string;
  apiVersion?: string;
  workflowFilter?: string;
}

/**
 * Builds client options from an optional JSON config file, the environment and overrides.
 * Errors name the missing setting, never a value.
 */
export function loadMeshConfig(
  configFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  overrides: MeshConfigOverrides = {},
): LoadedMeshConfig {
  const file = configFile ? readConfigFile(configFile) : {};
  const dir = configFile ? path.dirname(path.resolve(configFile)) : process.cwd();
  const fromFile = (p: string | undefined, what: string) => (p ? readSecretFile(path.resolve(dir, p), what) : undefined);
  const fromEnvPath = (name: string, what: string) => (env[name] ? readSecretFile(env[name]!, what) : undefined);

  const baseUrl = overrides.baseUrl ?? env[MESH_ENV.baseUrl] ?? file.baseUrl;
  const mailboxId = overrides.mailboxId ?? env[MESH_ENV.mailboxId] ?? file.mailboxId;
  const password = env[MESH_ENV.password] ?? fromFile(file.passwordFile, 'passwordFile')?.trim();
  const sharedKey = env[MESH_ENV.sharedKey] ?? fromFile(file.sharedKeyFile, 'sharedKeyFile')?.trim();
  const missing = [
    ...(baseUrl ? [] : [`base URL (${MESH_ENV.baseUrl} or "baseUrl")`]),
    ...(mailboxId ? [] : [`mailbox id (${MESH_ENV.mailboxId} or "mailboxId")`]),
    ...(password ? [] : [`mailbox password (${MESH_ENV.password} or "passwordFile")`]),
    ...(sharedKey ? [] : [`shared key (${MESH_ENV.sharedKey} or "sharedKeyFile")`]),
  ];
  if (missing.length > 0 || !baseUrl || !mailboxId || !password || !sharedKey) {
    throw new MeshConfigError(`MESH configuration is missing: ${missing.join(', ')}`);
  }
  const versionText = overrides.apiVersion ?? env[MESH_ENV.apiVersion] ?? (file.apiVersion !== undefined ? String(file.apiVersion) : '2');
  if (versionText !== '1' && versionText !== '2') throw new MeshConfigError('MESH API version must be 1 or 2');

  const tls: MeshTlsOptions = {};
  const cert = fromEnvPath(MESH_ENV.cert, 'client certificate') ?? fromFile(file.tls?.certFile, 'tls.certFile');
  const key = fromEnvPath(MESH_ENV.key, 'client key') ?? fromFile(file.tls?.keyFile, 'tls.keyFile');
  const ca = fromEnvPath(MESH_ENV.ca, 'CA certificate') ?? fromFile(file.tls?.caFile, 'tls.caFile');
  const passphrase = env[MESH_ENV.passphrase] ?? fromFile(file.tls?.passphraseFile, 'tls.passphraseFile')?.trim();
  if (cert !== undefined) tls.cert = cert;
  if (key !== undefined) tls.key = key;
  if (ca !== undefined) tls.ca = ca;
  if (passphrase !== undefined) tls.passphrase = passphrase;
  if (file.tls?.servername !== undefined) tls.servername = file.tls.servername;
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new MeshConfigError('MESH mutual TLS needs both a client certificate and its key');
  }

  const workflowFilter = overrides.workflowFilter ?? env[MESH_ENV.workflowFilter] ?? file.workflowFilter;
  return {
    client: {
      baseUrl,
      mailboxId,
      mailboxPassword: password,
      sharedKey,
      apiVersion: Number(versionText) as MeshApiVersion,
      ...(Object.keys(tls).length > 0 ? { tls } : {}),
    },
    ...(workflowFilter !== undefined ? { workflowFilter } : {}),
  };
}

function readConfigFile(file: string): MeshConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new MeshConfigError(`cannot read MESH config file ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MeshConfigError(`MESH config file ${file} is not valid JSON`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new MeshConfigError(`MESH config file ${file} must hold a JSON object`);
  const o = json as Record<string, unknown>;
  for (const inline of ['password', 'mailboxPassword', 'sharedKey']) {
    if (inline in o) throw new MeshConfigError(`MESH config file must not hold "${inline}" inline; use the environment or a *File setting`);
  }
  return o as MeshConfigFile;
}

function readSecretFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new MeshConfigError(`cannot read MESH ${what} file ${file}`);
  }
}
