/** What was done to patient data. */
export type AuditAction = 'read' | 'build' | 'validate' | 'submit';

/** The locally authenticated end user, as the calling application knows them. */
export interface AuditActor {
  /** Local user id: the toolkit does not authenticate users, the caller does. */
  userId: string;
  /** The user's role, e.g. a national RBAC role code. */
  role: string;
}

/** One access to patient data, as a caller reports it. */
export interface AuditEvent {
  actor: AuditActor;
  action: AuditAction;
  /** Identifier of the record acted on (e.g. provider/case id). Must not be a patient identifier. */
  recordId: string;
  /** Result of the action, e.g. `success`, `failure`, `queued`, `delivered`. */
  outcome: string;
  /** Patient identifiers (e.g. NHS numbers) in plain text; the sink stores keyed hashes only. */
  patientIds?: readonly string[];
  /** Short free text without patient data, e.g. an error code. */
  detail?: string;
  /** When it happened; defaults to now. */
  at?: Date;
}

/**
 * Where capabilities report accesses to patient data. Implementations must
 * never store `patientIds` in plain text.
 */
export interface AuditSink {
  record(event: AuditEvent): void | Promise<void>;
}

/** An entry as stored: patient identifiers replaced by keyed hashes. */
export interface StoredAuditEntry {
  seq: number;
  at: string;
  userId: string;
  role: string;
  action: AuditAction;
  recordId: string;
  outcome: string;
  /** HMAC-SHA-256 (hex) of each patient identifier under the audit key. */
  patientRefs: string[];
  detail?: string;
}
