/**
 * The token, ADS and MESH stand-ins started together on loopback, sharing one token registry; with a
 * freshly generated client key pair registered unless applications are given. When a validator is given,
 * the ADS stand-in's verdicts come back to the trust's MESH mailbox as notifications, as the processing
 * service's would.
 */
import { randomBytes } from 'node:crypto';
import type { OperationOutcome } from 'fhir/r4';
import { generateSigningKey, type GeneratedSigningKey } from '../submission/keys.js';
import { AdsNotifier, verdictOf } from './ads-notifier.js';
import { type AdsServerOptions, type ReceivedInfo, type RunningAdsServer, startAdsServer } from './ads-server.js';
import { type MeshStandIn, startMeshServer } from './mesh-server.js';
import { TokenRegistry } from './token-registry.js';
import { type RegisteredApp, type RunningTokenServer, startTokenServer, type TokenServerOptions } from './token-server.js';

/** The MESH side of {@link startSandbox}. */
export interface SandboxMeshOptions {
  /** The trust's mailbox, which receives notifications (default `X26ADS01`). */
  trustMailbox?: string;
  /** The processing service's mailbox, which sends them (default `X26DPS01`). */
  serviceMailbox?: string;
  /** Delay between receiving a bundle and posting its notification (default 200 ms). */
  notificationDelayMs?: number;
  /** Post `accepted` notifications for valid bundles too (default true). */
  confirmValid?: boolean;
  port?: number;
}

/** Settings of {@link startSandbox}. */
export interface SandboxOptions {
  /** Registered applications; default: one generated application (see `client`). */
  apps?: RegisteredApp[];
  /** API key of the generated application (default `sandbox-api-key`). */
  apiKey?: string;
  /** Key id of the generated key (default `sandbox-key-1`). */
  kid?: string;
  /**
   * Checks each received bundle, as the processing service does later. Bundles with an error or fatal
   * issue get a `rejected` notification over MESH with the issues; others an `accepted` one.
   * Takes precedence over `ads.validate`.
   */
  validate?: (bundle: unknown) => OperationOutcome;
  /** Options passed to the ADS stand-in (registry and port excepted). */
  ads?: Omit<AdsServerOptions, 'registry' | 'port' | 'host'>;
  /** Options passed to the token stand-in. */
  token?: Pick<TokenServerOptions, 'expiresInSeconds' | 'now'>;
  /** The MESH stand-in and notifications; `false` to start none. */
  mesh?: SandboxMeshOptions | false;
  /** Ports (default 0: ephemeral for both). */
  tokenPort?: number;
  adsPort?: number;
  host?: string;
}

/** The running MESH stand-in and the trust's credentials for it (generated per run). */
export interface SandboxMesh {
  url: string;
  mailboxId: string;
  password: string;
  sharedKey: string;
  serviceMailbox: string;
  server: MeshStandIn;
  notifier: AdsNotifier;
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
  /** The MESH stand-in, unless `mesh: false`. */
  mesh: SandboxMesh | undefined;
  /** Resolves once every notification scheduled so far has been posted to MESH. */
  notificationsPosted(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the token, ADS and MESH stand-ins. */
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
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  };
  try {
    const mesh = options.mesh === false ? undefined : await startMesh(options.mesh ?? {}, host);
    if (mesh) stops.push(async () => {
      mesh.notifier.cancel();
      await mesh.server.close();
    });
    const tokenServer = await startTokenServer({ ...options.token, apps, registry, port: options.tokenPort ?? 0, host });
    stops.push(() => tokenServer.stop());
    const check = options.validate;
    const validate = check ? (bundle: unknown) => verdictOf(safely(check, bundle)) : options.ads?.validate;
    const onReceived = (bundle: unknown, receiptId: string, info: ReceivedInfo) => {
      options.ads?.onReceived?.(bundle, receiptId, info);
      mesh?.notifier.onReceived(bundle, receiptId, info);
    };
    const adsServer = await startAdsServer({ ...options.ads, validate, onReceived, registry, port: options.adsPort ?? 0, host });
    stops.push(() => adsServer.stop());
    return {
      tokenUrl: tokenServer.tokenUrl,
      adsBaseUrl: adsServer.baseUrl,
      client,
      registry,
      tokenServer,
      adsServer,
      mesh,
      notificationsPosted: () => mesh?.notifier.idle() ?? Promise.resolve(),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function startMesh(options: SandboxMeshOptions, host: string): Promise<SandboxMesh> {
  const mailboxId = options.trustMailbox ?? 'X26ADS01';
  const serviceMailbox = options.serviceMailbox ?? 'X26DPS01';
  const secret = () => randomBytes(18).toString('base64url');
  const password = secret();
  const sharedKey = secret();
  const server = await startMeshServer({
    mailboxes: [
      { mailboxId, password },
      { mailboxId: serviceMailbox, password: secret() },
    ],
    sharedKey,
    host,
    port: options.port ?? 0,
  });
  const notifier = new AdsNotifier({
    mesh: server,
    trustMailbox: mailboxId,
    serviceMailbox,
    ...(options.notificationDelayMs !== undefined ? { delayMs: options.notificationDelayMs } : {}),
    ...(options.confirmValid !== undefined ? { confirmValid: options.confirmValid } : {}),
  });
  return { url: server.url, mailboxId, password, sharedKey, serviceMailbox, server, notifier };
}

/** A validator that throws has found a bundle it cannot judge: an error for the trust, not a 500 from the stand-in. */
function safely(validate: (bundle: unknown) => OperationOutcome, bundle: unknown): OperationOutcome {
  try {
    return validate(bundle);
  } catch {
    return { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'The bundle could not be validated' }] };
  }
}
