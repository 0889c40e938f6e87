/**
 * NHS API Platform application-restricted access: signed-JWT client credentials.
 *
 * A client assertion (RS512, header `kid` and `typ: JWT`; `iss` = `sub` = API key, `aud` = the exact token
 * URL, a fresh uuid `jti`, integer `exp` at most 5 minutes ahead) is exchanged, form-encoded, for an
 * opaque access token that lives `expires_in` seconds (a JSON string). The token is cached until shortly
 * before it expires and re-minted when the API refuses it.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { type CryptoKey, SignJWT } from 'jose';
import {
  type Clock,
  createTransport,
  defaultRetryPolicy,
  type Exchange,
  excerpt,
  forgetSecret,
  NetError,
  parseRetryAfter,
  registerSecret,
  type RetryPolicy,
  systemClock,
  type TlsOptions,
  withRetry,
} from '../net/index.js';
import { parseJson } from './client.js';
import { fromNetError, SubmissionError, TokenError } from './errors.js';

/** Settings of the token client. */
export interface TokenClientOptions {
  /** The exact token endpoint URL, also the assertion's `aud` (e.g. `https://int.api.service.nhs.uk/oauth2/token`). */
  tokenUrl: string;
  /** The application's API key: `iss` and `sub` of the assertion. */
  apiKey: string;
  /** Key id registered with the public key in the application's JWKS. */
  kid: string;
  /** The RSA private key (see `loadPrivateKey`). */
  privateKey: KeyObject | CryptoKey;
  /** Seconds from now to the assertion's `exp`: 1..300, default 240 (room for small clock differences). */
  assertionLifetimeSeconds?: number;
  /** Re-mint this many seconds before the token's `expires_in` runs out (default 30). */
  refreshMarginSeconds?: number;
  /** Time limit per token request (default 10 s). */
  timeoutMs?: number;
  /** Retries on 5xx, 429, timeouts and network errors (default 3 attempts). */
  retry?: RetryPolicy;
  /**
   * When the server says the assertion expired or is too far in the future and its `Date` header shows
   * our clock is off by more than 5 s, mint once more with the clock corrected (default true).
   */
  correctClockSkew?: boolean;
  /** A private CA for the token endpoint; server checks stay on. */
  tls?: TlsOptions;
  /** Replaces the HTTP layer (tests); default: the shared transport of `src/net` (redirects refused). */
  transport?: Exchange;
  clock?: Clock;
}

/** A source of bearer tokens for the API. */
export interface AccessTokenProvider {
  /** A valid access token, from the cache when possible. */
  getToken(): Promise<string>;
  /** Drops `token` from the cache (the API refused it) so the next `getToken` mints a new one. */
  invalidate(token: string): void;
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SKEW_TOLERANCE_MS = 5_000;

/** Mints client assertions and exchanges them for access tokens, with a cache. */
export class TokenClient implements AccessTokenProvider {
  private cached: CachedToken | undefined;
  private inFlight: Promise<string> | undefined;
  /** Our estimate of (server clock - our clock), learned from a rejected assertion. */
  private skewMs = 0;
  private readonly clock: Clock;
  private readonly exchange: Exchange;
  private readonly lifetime: number;

  constructor(private readonly options: TokenClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.exchange =
      options.transport ??
      createTransport({ service: 'token request', timeoutMs: options.timeoutMs ?? 10_000, maxResponseBytes: 64 * 1024, ...(options.tls ? { tls: options.tls } : {}) })
        .exchange;
    this.lifetime = options.assertionLifetimeSeconds ?? 240;
    if (!Number.isInteger(this.lifetime) || this.lifetime < 1 || this.lifetime > 300) {
      throw new SubmissionError('config', 'assertionLifetimeSeconds must be an integer from 1 to 300');
    }
    registerSecret(options.apiKey);
  }

  /** The server-minus-local clock offset the client currently applies, in ms (0 until a skew was seen). */
  get clockSkewMs(): number {
    return this.skewMs;
  }

  async getToken(): Promise<string> {
    const cached = this.cached;
    if (cached && this.clock.now() < cached.refreshAt) return cached.token;
    // Concurrent callers share one token request.
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
    forgetSecret(token);
  }

  /** Builds one signed client assertion (exposed for tests and diagnostics; each call has a new `jti`). */
  async createAssertion(): Promise<string> {
    const nowSeconds = Math.floor((this.clock.now() + this.skewMs) / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: this.options.kid })
      .setIssuer(this.options.apiKey)
      .setSubject(this.options.apiKey)
      .setAudience(this.options.tokenUrl)
      .setJti(randomUUID())
      .setExpirationTime(nowSeconds + this.lifetime)
      .sign(this.options.privateKey);
  }

  private async fetchToken(): Promise<string> {
    const policy = this.options.retry ?? { ...defaultRetryPolicy, maxAttempts: 3 };
    let skewRetried = false;
    return withRetry(
      async () => {
        try {
          return await this.requestToken();
        } catch (error) {
          if (!skewRetried && error instanceof SkewDetected) {
            skewRetried = true;
            return this.requestToken();
          }
          throw error instanceof SkewDetected ? error.original : error;
        }
      },
      policy,
      { sleep: (ms) => this.clock.sleep(ms) },
    );
  }

  private async requestToken(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await this.createAssertion(),
    });
    const sentAt = this.clock.now();
    let answer;
    try {
      answer = await this.exchange({
        method: 'POST',
        url: this.options.tokenUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        timeoutMs: this.options.timeoutMs ?? 10_000,
        maxResponseBytes: 64 * 1024,
      });
    } catch (error) {
      if (!(error instanceof NetError)) throw error;
      const failure = fromNetError(error);
      throw new TokenError('token-unavailable', failure.message, { retryable: failure.retryable, ...(failure.status !== undefined ? { status: failure.status } : {}) });
    }
    const text = answer.body.toString('utf8');
    const json = parseJson(text) as Record<string, unknown> | undefined;
    if (answer.status === 200) return this.accept(json, sentAt);

    // The token endpoint never receives patient data, so its own words are safe to show; the platform asks
    // users to quote its message_id when they report a problem.
    const description = typeof json?.error_description === 'string' ? json.error_description : undefined;
    const errorName = typeof json?.error === 'string' ? json.error : undefined;
    const messageId = typeof json?.message_id === 'string' ? json.message_id : undefined;
    const serverText = [errorName, description].filter(Boolean).join(': ') || text;
    const retryable = answer.status === 429 || answer.status >= 500;
    const said = [errorName, description && excerpt(description, 200)].filter(Boolean).join(': ');
    const error = new TokenError(
      retryable ? 'token-unavailable' : 'token-rejected',
      `token endpoint answered ${answer.status}${said ? `: ${said}` : ''}${messageId ? ` (message_id ${excerpt(messageId, 80)})` : ''}`,
      {
        status: answer.status,
        retryable,
        serverText,
        retryAfterMs: parseRetryAfter(answer.headers['retry-after'], this.clock.now()),
        ...(messageId ? { messageId } : {}),
      },
    );
    if (description && /'exp' claim.*(expired|future)/i.test(description)) this.learnSkew(answer.headers, sentAt, error);
    throw error;
  }

  private accept(json: Record<string, unknown> | undefined, sentAt: number): string {
    const token = json?.access_token;
    // The platform sends expires_in as a string ("599"); accept a number too.
    const expiresIn = Number(json?.expires_in);
    if (typeof token !== 'string' || token.length === 0 || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new TokenError('token-rejected', 'token endpoint answered 200 without access_token/expires_in', {
        status: 200,
      });
    }
    registerSecret(token);
    const margin = Math.min(this.options.refreshMarginSeconds ?? 30, expiresIn / 2);
    this.cached = { token, refreshAt: sentAt + (expiresIn - margin) * 1000 };
    return token;
  }

  private learnSkew(headers: Record<string, string>, sentAt: number, original: TokenError): void {
    if (this.options.correctClockSkew === false) return;
    const serverDate = Date.parse(headers.date ?? '');
    if (Number.isNaN(serverDate)) return;
    // The Date header has 1 s resolution; compare it with the local time the request went out.
    const skew = serverDate - sentAt;
    if (Math.abs(skew - this.skewMs) <= SKEW_TOLERANCE_MS) return;
    this.skewMs = skew;
    throw new SkewDetected(original);
  }
}

/** Internal signal: the assertion failed on time and the clock offset was corrected; try once more. */
class SkewDetected extends Error {
  constructor(readonly original: TokenError) {
    super(original.message);
  }
}
