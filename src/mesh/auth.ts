import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The custom authorization scheme; exactly one space separates it from the token. */
export const MESH_AUTH_SCHEME = 'NHSMESH';

/** Inputs of one `NHSMESH` token. The secrets never leave this function's caller. */
export interface MeshAuthInput {
  mailboxId: string;
  mailboxPassword: string;
  /** The environment-wide shared secret issued with the mailbox. */
  sharedKey: string;
  nonce: string;
  nonceCount: number | string;
  /** UTC `yyyyMMddHHmm`; see {@link formatMeshTimestamp}. */
  timestamp: string;
}

/** The public parts of a parsed `NHSMESH` header. */
export interface MeshAuthToken {
  mailboxId: string;
  nonce: string;
  nonceCount: string;
  timestamp: string;
  hash: string;
}

/** Formats a date as the 12-digit UTC `yyyyMMddHHmm` the MESH token requires. */
export function formatMeshTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    String(date.getUTCFullYear()).padStart(4, '0') +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes())
  );
}

/** Parses a 12-digit `yyyyMMddHHmm` UTC timestamp; undefined when malformed. */
export function parseMeshTimestamp(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  // Reject roll-overs such as month 13 that Date.UTC silently normalises.
  return formatMeshTimestamp(date) === value ? date : undefined;
}

/** Lowercase hex HMAC-SHA256 over `mailbox:nonce:count:password:timestamp`, keyed by the shared key. */
export function meshAuthHash(input: MeshAuthInput): string {
  const message = [input.mailboxId, input.nonce, String(input.nonceCount), input.mailboxPassword, input.timestamp].join(':');
  return createHmac('sha256', input.sharedKey).update(message, 'utf8').digest('hex');
}

/** Builds the full `Authorization` header value: `NHSMESH MAILBOX:nonce:count:timestamp:hash`. */
export function buildMeshAuthHeader(input: MeshAuthInput): string {
  return `${MESH_AUTH_SCHEME} ${input.mailboxId}:${input.nonce}:${input.nonceCount}:${input.timestamp}:${meshAuthHash(input)}`;
}

/**
 * Parses an `NHSMESH` header into its five parts. Returns undefined for anything malformed
 * (wrong scheme, wrong number of parts, non-numeric count, bad timestamp shape).
 */
export function parseMeshAuthHeader(header: string | undefined): MeshAuthToken | undefined {
  if (!header || !header.startsWith(`${MESH_AUTH_SCHEME} `)) return undefined;
  const parts = header.slice(MESH_AUTH_SCHEME.length + 1).split(':');
  if (parts.length !== 5) return undefined;
  const [mailboxId, nonce, nonceCount, timestamp, hash] = parts as [string, string, string, string, string];
  if (!mailboxId || !nonce || !/^\d+$/.test(nonceCount) || !/^\d{12}$/.test(timestamp) || !/^[0-9a-fA-F]{64}$/.test(hash)) {
    return undefined;
  }
  return { mailboxId, nonce, nonceCount, timestamp, hash };
}

/** Constant-time check of a token's hash against the expected credentials. */
export function verifyMeshAuthHash(token: MeshAuthToken, mailboxPassword: string, sharedKey: string): boolean {
  const expected = Buffer.from(
    meshAuthHash({ ...token, mailboxPassword, sharedKey }),
    'hex',
  );
  const actual = Buffer.from(token.hash.toLowerCase(), 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Credentials for {@link MeshTokenGenerator}. */
export interface MeshCredentials {
  mailboxId: string;
  mailboxPassword: string;
  sharedKey: string;
}

/**
 * Mints one fresh token per request: one nonce per generator, `nonce_count` incremented on every
 * call, as the reference clients do; a token is never reused.
 */
export class MeshTokenGenerator {
  private nonce: string;
  private count = 0;

  constructor(
    private readonly credentials: MeshCredentials,
    private readonly now: () => Date = () => new Date(),
    newNonce: () => string = randomUUID,
  ) {
    this.nonce = newNonce();
  }

  /** The next `Authorization` header value. */
  next(): string {
    this.count += 1;
    return buildMeshAuthHeader({
      mailboxId: this.credentials.mailboxId,
      mailboxPassword: this.credentials.mailboxPassword,
      sharedKey: this.credentials.sharedKey,
      nonce: this.nonce,
      nonceCount: this.count,
      timestamp: formatMeshTimestamp(this.now()),
    });
  }
}
