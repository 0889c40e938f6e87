import { parseMeshAuthHeader, parseMeshTimestamp, verifyMeshAuthHash } from '../mesh/auth.js';

/** Why a MESH token was refused; `message` is what goes in the 403 body. */
export interface MeshAuthFailure {
  ok: false;
  message: string;
}

/** A token that passed every check. */
export interface MeshAuthSuccess {
  ok: true;
  mailboxId: string;
}

/** Settings of {@link MeshAuthVerifier}. */
export interface MeshAuthVerifierOptions {
  /** mailbox id (upper case) -> password. */
  passwords: ReadonlyMap<string, string>;
  sharedKey: string;
  /** Allowed distance between the token timestamp and server time; MESH uses 2 hours. */
  clockWindowMs: number;
  now: () => number;
}

/**
 * Verifies `NHSMESH` tokens the way MESH does: shape, mailbox match, HMAC, timestamp within the
 * window and single use (a nonce/count pair seen before is refused). Failure texts for shape,
 * mailbox and hash are those of the reference sandbox; the window and replay texts are this
 * stand-in's own, as MESH publishes only the 403.
 */
export class MeshAuthVerifier {
  /** `mailbox:nonce:count` -> time after which the entry can be forgotten. */
  private readonly used = new Map<string, number>();
  private lastPrune = 0;

  constructor(private readonly options: MeshAuthVerifierOptions) {}

  verify(header: string | undefined, pathMailbox: string): MeshAuthSuccess | MeshAuthFailure {
    const token = parseMeshAuthHeader(header);
    if (!token) return { ok: false, message: 'Error reading from Authorization header' };
    const mailboxId = pathMailbox.toUpperCase();
    if (token.mailboxId !== mailboxId) return { ok: false, message: 'Mailbox id does not match token' };
    const password = this.options.passwords.get(mailboxId);
    if (password === undefined) return { ok: false, message: 'No mailbox matched' };
    if (!verifyMeshAuthHash(token, password, this.options.sharedKey)) {
      return { ok: false, message: 'Invalid Authentication Token' };
    }
    const issued = parseMeshTimestamp(token.timestamp);
    const now = this.options.now();
    // The timestamp has minute precision, so allow the minute it names in full.
    if (!issued || issued.getTime() + 60_000 < now - this.options.clockWindowMs || issued.getTime() > now + this.options.clockWindowMs) {
      return { ok: false, message: 'Authentication token timestamp outside the allowed window' };
    }
    this.prune(now);
    const key = `${mailboxId}:${token.nonce}:${token.nonceCount}`;
    if (this.used.has(key)) return { ok: false, message: 'Authentication token already used' };
    this.used.set(key, issued.getTime() + 60_000 + this.options.clockWindowMs);
    return { ok: true, mailboxId };
  }

  /** Tokens older than the window are refused anyway, so their nonces need not be remembered. */
  private prune(now: number): void {
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    for (const [key, until] of this.used) if (until < now) this.used.delete(key);
  }
}
