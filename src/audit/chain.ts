/**
 * The audit trail's hash chain. Each entry's hash covers the previous entry's hash and the entry itself.
 *
 * Since schema version 2 the hash is keyed: HMAC-SHA-256 under the audit key, over a version tag, the
 * key's fingerprint, the previous hash and the canonical entry. Without the key nobody can recompute a
 * valid chain after editing, deleting, inserting or reordering entries. Entries written before (plain
 * SHA-256, which anyone could recompute) stay verifiable as a legacy prefix: the first keyed entry
 * links to the last of them, so they cannot change without breaking the keyed part.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { StoredAuditEntry } from './types.js';

/** The previous-hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Legacy (schema version 1) entry hash: SHA-256 over the previous hash, a newline and the canonical entry. */
export function entryHash(prevHash: string, entry: StoredAuditEntry): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalJson(entry)}`, 'utf8').digest('hex');
}

/** Keyed entry hash: HMAC-SHA-256 under the audit key, binding the key's fingerprint into the chain. */
export function keyedEntryHash(key: Buffer, fingerprint: string, prevHash: string, entry: StoredAuditEntry): string {
  return createHmac('sha256', key).update(`ads-fhir audit chain v2\n${fingerprint}\n${prevHash}\n${canonicalJson(entry)}`, 'utf8').digest('hex');
}

/** A keyed seal over one of the trail's settings (`chain`, `head`), so it cannot be changed without the key. */
export function metaSeal(key: Buffer, name: string, value: string): string {
  return createHmac('sha256', key).update(`ads-fhir audit ${name}\n${value}`, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string | undefined, b: string): boolean {
  if (a === undefined || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The trail's chain settings, sealed in `audit_meta` (`chain` and `chain_seal`). */
export interface ChainSettings {
  version: 2;
  /** Entries from this sequence number on are keyed; earlier ones are the legacy prefix. */
  keyedFrom: number;
  /** Fingerprint of the key the trail is kept with. */
  fingerprint: string;
}
