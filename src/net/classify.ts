/**
 * Socket and TLS failures turned into {@link NetError}s that name the cause by code, never by echoing the
 * library's text (which can quote certificate subjects or buffers).
 */
import { NetError } from './errors.js';

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);
const CLIENT_REFUSED =
  /ALERT_(BAD_CERTIFICATE|CERTIFICATE_EXPIRED|UNKNOWN_CA|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|DECRYPT_ERROR|HANDSHAKE_FAILURE|CERTIFICATE_REVOKED)$/;
const PROTOCOL = /UNSUPPORTED_PROTOCOL|ALERT_PROTOCOL_VERSION|NO_PROTOCOLS_AVAILABLE|WRONG_VERSION_NUMBER/;
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Other local TLS set-up failures (a key that does not load, a bad CA bundle): a retry cannot fix them. */
const LOCAL_TLS = /^(ERR_SSL_|ERR_OSSL_|ERR_TLS_|ERR_CRYPTO_)/;

/** How far an exchange got when it failed: tells a refused client certificate from other resets. */
export type ExchangeStage = 'none' | 'handshake-done' | 'answered';

/** The error code of a socket or TLS failure, with OpenSSL alerts reported only as EPROTO text recovered. */
function codeOf(error: unknown): string {
  let code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'EPROTO') {
    const text = (error as Error).message ?? '';
    // Recover the alert name only; the rest of the text is never echoed.
    const alert = /alert ([a-z ]+?)(?::|$)/i.exec(text)?.[1];
    if (alert) code = `ERR_SSL_ALERT_${alert.trim().toUpperCase().replace(/ /g, '_')}`;
    else if (/unsupported protocol|wrong version number|no protocols available/i.test(text)) code = 'ERR_SSL_UNSUPPORTED_PROTOCOL';
  }
  return code;
}

/** Turns a socket or TLS error into a typed, redacted {@link NetError}. A NetError passes through. */
export function classifyConnectionError(error: unknown, service: string, host: string, stage: ExchangeStage = 'answered'): NetError {
  if (error instanceof NetError) return error;
  const code = codeOf(error);
  const tls = (tlsCode: NetError['tlsCode'], message: string) => new NetError('tls', `${service}: ${message}`, { tlsCode, retryable: false });
  if (UNTRUSTED.has(code)) return tls('SERVER_CERT_UNTRUSTED', `server certificate of ${host} is not signed by a trusted CA (${code})`);
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return tls('SERVER_CERT_EXPIRED', `server certificate of ${host} is outside its validity period (${code})`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return tls('HOSTNAME_MISMATCH', `server certificate is not issued for ${host}`);
  if (PROTOCOL.test(code)) return tls('TLS_PROTOCOL_TOO_OLD', `${host} did not agree TLS 1.2 or later (${code})`);
  if (CLIENT_REFUSED.test(code)) return tls('CLIENT_CERT_REFUSED', `${host} refused the client certificate (${code})`);
  if (code === 'ECONNRESET' && stage !== 'answered') {
    const when = stage === 'handshake-done' ? 'just after' : 'during';
    return new NetError(
      'network',
      `${service}: ${host} closed the connection ${when} the TLS handshake without answering; the most common cause is a client certificate it does not accept (${code})`,
      { retryable: true },
    );
  }
  if (NETWORK_CODES.has(code)) return new NetError('network', `${service}: network error talking to ${host} (${code})`, { retryable: true });
  if (LOCAL_TLS.test(code)) return new NetError('tls', `${service}: TLS set-up for ${host} failed (${code})`, { retryable: false });
  return new NetError('network', `${service}: connection to ${host} failed${code ? ` (${code})` : ''}`, { retryable: true });
}
