/**
 * The token and ADS stand-ins started together on loopback, sharing one token registry; with a freshly
 * generated client key pair registered unless applications are given.
 */
import { generateSigningKey, type GeneratedSigningKey } from '../submission/keys.js';
import { type AdsServerOptions, type RunningAdsServer, startAdsServer } from './ads-server.js';
import { TokenRegistry } from './token-registry.js';
import { type RegisteredApp, type RunningTokenServer, startTokenServer, type TokenServerOptions } from './token-server.js';

/** Settings of {@link startSandbox}. */
export interface SandboxOptions {
  /** Registered applications; default: one generated application (see `client`). */
  apps?: RegisteredApp[];
  /** API key of the generated application (default `sandbox-api-key`). */
  apiKey?: string;
  /** Key id of the generated key (default `sandbox-key-1`). */
  kid?: string;
  /** Options passed to the ADS stand-in (registry and port excepted). */
  ads?: Omit<AdsServerOptions, 'registry' | 'port' | 'host'>;
  /** Options passed to the token stand-in. */
  token?: Pick<TokenServerOptions, 'expiresInSeconds' | 'now'>;
  /** Ports (default 0: ephemeral for both). */
  tokenPort?: number;
  adsPort?: number;
  host?: string;
}

/** Running stand-ins. */
export interface RunningSandbox {
  /** The exact token URL (also the assertion audience). */
  tokenUrl: string;
  /** The ADS base URL: submit to `{adsBaseUrl}/$process-message`. */
  adsBaseUrl: string;
  /** The generated client credentials, when `apps` was not given. */
  client: (GeneratedSigningKey & { apiKey: string }) | undefined;
  registry: TokenRegistry;
  tokenServer: RunningTokenServer;
  adsServer: RunningAdsServer;
  stop(): Promise<void>;
}

/** Starts the token and ADS stand-ins. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  let client: RunningSandbox['client'];
  let apps = options.apps;
  if (!apps) {
    const apiKey = options.apiKey ?? 'sandbox-api-key';
    client = { ...(await generateSigningKey(options.kid ?? 'sandbox-key-1')), apiKey };
    apps = [{ apiKey, jwks: client.jwks }];
  }
  const registry = new TokenRegistry(options.token?.now);
  const host = options.host ?? '127.0.0.1';
  const tokenServer = await startTokenServer({ ...options.token, apps, registry, port: options.tokenPort ?? 0, host });
  let adsServer: RunningAdsServer;
  try {
    adsServer = await startAdsServer({ ...options.ads, registry, port: options.adsPort ?? 0, host });
  } catch (error) {
    await tokenServer.stop();
    throw error;
  }
  return {
    tokenUrl: tokenServer.tokenUrl,
    adsBaseUrl: adsServer.baseUrl,
    client,
    registry,
    tokenServer,
    adsServer,
    stop: async () => {
      await Promise.all([adsServer.stop(), tokenServer.stop()]);
    },
  };
}
