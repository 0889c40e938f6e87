/** The MESH client's settings and results, and the shared transport's request and answer as MESH sees them. */
import type { Exchange, NetRequest, NetResponse } from '../net/index.js';
import type { MeshRetryOptions } from './retry.js';

/** One HTTP exchange as the MESH client sees it (the shared transport's request). */
export type MeshRequest = NetRequest;
/** A fully buffered MESH response (the shared transport's answer). */
export type MeshResponse = NetResponse;
/** Sends one request; the client adds auth, retries and parsing on top. Inject one in tests. */
export type MeshTransport = Exchange;

/**
 * Mutual TLS material for real MESH deployments: the client certificate issued for
 * `local_id.ods_code.api.mesh-client.nhs.uk`, its private key (and passphrase), and the
 * environment's root/sub CA. Server certificate verification is always on and cannot be disabled.
 */
export interface MeshTlsOptions {
  cert?: string | Buffer;
  key?: string | Buffer;
  ca?: string | Buffer | Array<string | Buffer>;
  passphrase?: string;
  /** Expected server name when it differs from the URL host (SNI and certificate check). */
  servername?: string;
}

/** Limits applied by the built-in transport. */
export interface MeshTransportLimits {
  /** Abort a response body larger than this; default 110 MiB (MESH allows 100 MB per request). */
  maxResponseBytes?: number;
  /** Abort a request that has not completed within this many ms; default 120 000. */
  timeoutMs?: number;
}

/** MESH API versions, chosen by the `Accept` header. */
export type MeshApiVersion = 1 | 2;

/** `Accept` values per API version. */
export const MESH_ACCEPT: Record<MeshApiVersion, string> = {
  1: 'application/vnd.mesh.v1+json',
  2: 'application/vnd.mesh.v2+json',
};

/** Default chunk size for sending: 75 MiB of uncompressed data, as the reference client. */
export const DEFAULT_CHUNK_SIZE = 75 * 1024 * 1024;

/** Configuration of a {@link MeshClient}. Secrets come from files or the environment, never code. */
export interface MeshClientOptions {
  /** e.g. `https://msg.intspineservices.nhs.uk` (integration) or a loopback stand-in. */
  baseUrl: string;
  mailboxId: string;
  mailboxPassword: string;
  /** The environment shared secret used as the HMAC key. */
  sharedKey: string;
  /** Default 2 (`application/vnd.mesh.v2+json`). */
  apiVersion?: MeshApiVersion;
  /** Mutual TLS for real deployments (ignored when `transport` is given). */
  tls?: MeshTlsOptions;
  /** Response size and timeout limits for the built-in transport. */
  limits?: MeshTransportLimits;
  /** Replace the HTTP layer (tests); default: the shared transport of `src/net` (redirects refused). */
  transport?: MeshTransport;
  retry?: MeshRetryOptions;
  /** Uncompressed bytes per chunk when sending; default {@link DEFAULT_CHUNK_SIZE}. */
  chunkSizeBytes?: number;
  /** Largest reassembled message accepted on download; default 1 GiB. */
  maxMessageBytes?: number;
  /** Sent as `mex-ClientVersion` on the handshake. */
  clientVersion?: string;
  /** Observability hook; receives no secrets and no payload. */
  onRetry?: (event: { operation: string; attempt: number; status?: number; delayMs: number }) => void;
  /** Injectable clock, sleep and randomness for tests. */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** One page of inbox message ids. */
export interface MeshInboxPage {
  messageIds: string[];
  /** Where the next page is, if the server says there is one (v2 `links.next`, or v1 continuation). */
  next?: string;
  approxInboxCount?: number;
}

/** Inbox listing options. */
export interface MeshInboxOptions {
  /** 10..5000; the server default is 500. */
  maxResults?: number;
  /** MESH workflow filter syntax, e.g. `ADS_*` or `!*_ACK*`. */
  workflowFilter?: string;
}

/** What to send. */
export interface MeshSendOptions {
  to: string;
  workflowId: string;
  body: Buffer | string;
  subject?: string;
  /** Your reference; must not contain patient identifiers. */
  localId?: string;
  fileName?: string;
  contentType?: string;
  /** gzip each chunk independently; default true. */
  compress?: boolean;
  /** Override the client's chunk size for this message. */
  chunkSizeBytes?: number;
}

/** Result of a send. */
export interface MeshSendResult {
  messageId: string;
  chunks: number;
}

/** Normalised tracking information (v1 and v2 both map here). */
export interface MeshTrackingInfo {
  messageId: string;
  /** Lower case, e.g. `accepted`, `acknowledged`, `undeliverable`. */
  status?: string;
  statusCode?: string;
  statusEvent?: string;
  statusDescription?: string;
  statusSuccess?: boolean;
  localId?: string;
  workflowId?: string;
  recipient?: string;
  /** The server's object as received. */
  raw: Record<string, unknown>;
}
