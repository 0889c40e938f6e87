/** Access tokens issued by the token stand-in, shared with the ADS stand-in that checks them. */
import { randomBytes } from 'node:crypto';

/** What the ADS stand-in learns from a token. */
export interface IssuedToken {
  apiKey: string;
  expiresAt: number;
}

/** In-memory store of opaque access tokens. */
export class TokenRegistry {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Issues a new opaque token for `apiKey`, valid `lifetimeSeconds`. */
  issue(apiKey: string, lifetimeSeconds: number): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { apiKey, expiresAt: this.now() + lifetimeSeconds * 1000 });
    return token;
  }

  /** `valid` with the owner, `expired`, or `unknown` (never issued or revoked). */
  check(token: string): { state: 'valid'; apiKey: string } | { state: 'expired' | 'unknown' } {
    const found = this.tokens.get(token);
    if (!found) return { state: 'unknown' };
    if (this.now() >= found.expiresAt) return { state: 'expired' };
    return { state: 'valid', apiKey: found.apiKey };
  }

  /** Revokes a token (tests use this to exercise the client's re-mint on 403). */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** Revokes every token. */
  revokeAll(): void {
    this.tokens.clear();
  }
}
