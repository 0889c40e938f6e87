/**
 * Typed errors for the triage submission path. Messages name the cause and
 * the field or file, never a value: values may be patient identifiers,
 * passphrases or key material. Like every transport error they are
 * {@link RedactedError}s.
 */
import { RedactedError } from '../net/index.js';

/** Base class: `code` is stable for programs, `message` is for people. */
export class CqiError extends RedactedError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** One problem with one field of a triage record. */
export interface TriageFieldIssue {
  field: string;
  message: string;
}

/** A triage record failed validation; `issues` lists every bad field. */
export class TriageValidationError extends CqiError {
  constructor(readonly issues: readonly TriageFieldIssue[]) {
    super('TRIAGE_INVALID', `invalid triage record: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  }
}

/** Why the local client certificate set-up cannot be used. */
export type TlsConfigErrorCode =
  | 'MISSING_CREDENTIALS'
  | 'FILE_UNREADABLE'
  | 'INVALID_CERTIFICATE'
  | 'INVALID_KEY'
  | 'WRONG_PASSPHRASE'
  | 'KEY_CERT_MISMATCH'
  | 'CLIENT_CERT_EXPIRED'
  | 'CLIENT_CERT_NOT_YET_VALID'
  | 'INVALID_PKCS12'
  | 'INVALID_CA_BUNDLE';

/** The client certificate, key or CA bundle is unusable; found before any connection. */
export class TlsConfigError extends CqiError {
  constructor(
    override readonly code: TlsConfigErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** Why one delivery attempt failed. */
export type TransportErrorCode =
  | 'SERVER_CERT_UNTRUSTED'
  | 'SERVER_CERT_EXPIRED'
  | 'HOSTNAME_MISMATCH'
  | 'TLS_PROTOCOL_TOO_OLD'
  | 'CLIENT_CERT_REFUSED'
  | 'TIMEOUT'
  | 'DEADLINE'
  | 'NETWORK'
  | 'HTTP_STATUS'
  /** Another process is draining the same outbox file. */
  | 'OUTBOX_BUSY';

/** A delivery attempt failed. `retryable` says whether trying again later can help. */
export class TransportError extends CqiError {
  constructor(
    override readonly code: TransportErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(code, message);
  }
}
