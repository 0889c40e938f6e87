/**
 * Local audit trail of accesses to patient data: who (user id and role given
 * by the caller), what (record id, action, outcome) and when, in an
 * append-only store chained under the audit key (HMAC). Patient identifiers
 * are kept only as keyed hashes.
 * @module
 */
export type { AuditAction, AuditActor, AuditEvent, AuditSink, StoredAuditEntry } from './types.js';
export { SqliteAuditStore, type AuditHead } from './sqlite-audit-store.js';
export { verifyAuditChain, type AuditVerification, type VerifyOptions } from './verify.js';
export { loadAuditKey, patientRef, keyFingerprint, AuditKeyError, AUDIT_KEY_ENV } from './audit-key.js';
export { audited } from './audited.js';
export { canonicalJson } from './canonical-json.js';
export { type ChainSettings, entryHash, GENESIS_HASH, keyedEntryHash, metaSeal } from './chain.js';
export { recordAudit, recordAuditSync, AuditSinkError, type AuditOption, type AuditReport } from './option.js';
export { patientIdsOf, auditRecordIdOf } from './patient-ids.js';
