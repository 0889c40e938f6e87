import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { StoredAuditEntry } from './types.js';

/** The previous-hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Entry hash = SHA-256 over the previous hash, a newline and the canonical entry. */
export function entryHash(prevHash: string, entry: StoredAuditEntry): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalJson(entry)}`, 'utf8').digest('hex');
}
