import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RedactedError } from '../net/errors.js';

/** Name of the environment variable read by {@link loadAuditKey} when no file is given. */
export const AUDIT_KEY_ENV = 'ADS_FHIR_AUDIT_KEY';

/** The audit key is missing or too short; the message names the source, never the key. */
export class AuditKeyError extends RedactedError {
  override readonly name = 'AuditKeyError';
  readonly code = 'AUDIT_KEY_INVALID';
}

const MIN_KEY_BYTES = 32;

/**
 * Reads the key used to hash patient identifiers: from `file` when given
 * (raw bytes, surrounding whitespace trimmed), else from the environment
 * variable `env` (default {@link AUDIT_KEY_ENV}). At least 32 bytes.
 */
export function loadAuditKey(options: { file?: string; env?: string } = {}): Buffer {
  let key: Buffer;
  let source: string;
  if (options.file !== undefined) {
    source = `audit key file ${options.file}`;
    try {
      key = Buffer.from(readFileSync(options.file, 'utf8').trim(), 'utf8');
    } catch {
      throw new AuditKeyError(`${source} cannot be read`);
    }
  } else {
    const name = options.env ?? AUDIT_KEY_ENV;
    source = `environment variable ${name}`;
    const value = process.env[name];
    if (value === undefined || value.trim() === '') throw new AuditKeyError(`${source} is not set`);
    key = Buffer.from(value.trim(), 'utf8');
  }
  if (key.length < MIN_KEY_BYTES) throw new AuditKeyError(`${source} holds fewer than ${MIN_KEY_BYTES} bytes`);
  return key;
}

/** Keyed hash (HMAC-SHA-256, hex) of a patient identifier: stable per key, useless without it. */
export function patientRef(key: Buffer, patientId: string): string {
  return createHmac('sha256', key).update(patientId.replace(/\s/g, ''), 'utf8').digest('hex');
}

/** A short public fingerprint of the key, stored beside the trail to tell which key hashed it. */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('ads-fhir audit key fingerprint').digest('hex').slice(0, 16);
}
