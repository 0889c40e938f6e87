/** Rows of the outbox table and the bundle checks done before one is stored. */
import type Database from 'better-sqlite3';
import { contentHash, type OutboxState } from './outbox-schema.js';
import { SubmissionError } from './errors.js';

/** One bundle in the outbox, without its payload. */
export interface OutboxEntry {
  id: number;
  correlationId: string;
  /** `Bundle.id`, when the bundle had one. */
  bundleId: string | undefined;
  /** Where the bundle came from, as the submitter named it (the file given to `ads-fhir submit`). */
  source: string | undefined;
  state: OutboxState;
  /** Send attempts started (each may include the client's own retries). */
  attempts: number;
  /** Times this entry was found in `sending` after a crash and re-queued: each may be a duplicate. */
  recovered: number;
  receiptId: string | undefined;
  /** Why the last attempt failed, or why the entry is `failed`: codes, statuses and locations only. */
  lastError: string | undefined;
  /** The processing service's issues for `rejected` (codes and locations), or a note on `confirmed`. */
  detail: string | undefined;
  /** The server's free text about this entry, present only when the outbox was asked to keep it. */
  serverText: string | undefined;
  createdAt: number;
  updatedAt: number;
  nextAttemptAt: number;
  acceptedAt: number | undefined;
  resolvedAt: number | undefined;
}

/** How to find an entry named by a later notification. */
export type OutboxKey = { receiptId: string } | { correlationId: string } | { id: number };

export interface Row {
  id: number;
  correlation_id: string;
  bundle_id: string | null;
  source: string | null;
  state: OutboxState;
  attempts: number;
  recovered: number;
  receipt_id: string | null;
  last_error: string | null;
  detail: string | null;
  server_text: string | null;
  created_at: number;
  updated_at: number;
  next_attempt_at: number;
  accepted_at: number | null;
  resolved_at: number | null;
}

export const ENTRY_COLUMNS = `id, correlation_id, bundle_id, source, state, attempts, recovered, receipt_id, last_error, detail,
  server_text, created_at, updated_at, next_attempt_at, accepted_at, resolved_at`;

export function toEntry(row: Row): OutboxEntry {
  return {
    id: row.id,
    correlationId: row.correlation_id,
    bundleId: row.bundle_id ?? undefined,
    source: row.source ?? undefined,
    state: row.state,
    attempts: row.attempts,
    recovered: row.recovered,
    receiptId: row.receipt_id ?? undefined,
    lastError: row.last_error ?? undefined,
    detail: row.detail ?? undefined,
    serverText: row.server_text ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    nextAttemptAt: row.next_attempt_at,
    acceptedAt: row.accepted_at ?? undefined,
    resolvedAt: row.resolved_at ?? undefined,
  };
}

export function keyColumn(key: OutboxKey): [string, string | number] {
  if ('id' in key) return ['id', key.id];
  if ('receiptId' in key) return ['receipt_id', key.receiptId];
  return ['correlation_id', key.correlationId];
}

/** A bundle checked and ready to store. */
export interface SerialisedBundle {
  payload: string;
  bundleId: string | undefined;
  bundleIdentifier: string | undefined;
  contentHash: string;
  parsed: unknown;
}

/** Checks that `bundle` is a JSON FHIR Bundle and derives what the outbox indexes it by. */
export function serialise(bundle: object | string): SerialisedBundle {
  let parsed: unknown = bundle;
  if (typeof bundle === 'string') {
    try {
      parsed = JSON.parse(bundle);
    } catch {
      throw new SubmissionError('invalid-bundle', 'cannot enqueue: the text is not JSON');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { resourceType?: unknown }).resourceType !== 'Bundle') {
    throw new SubmissionError('invalid-bundle', 'cannot enqueue: not a FHIR Bundle (resourceType must be "Bundle")');
  }
  const payload = typeof bundle === 'string' ? bundle : JSON.stringify(bundle);
  const { id, identifier } = parsed as { id?: unknown; identifier?: { value?: unknown } };
  const value = typeof identifier === 'object' && identifier !== null ? identifier.value : undefined;
  return {
    payload,
    bundleId: typeof id === 'string' ? id : undefined,
    bundleIdentifier: typeof value === 'string' ? value : undefined,
    contentHash: contentHash(parsed),
    parsed,
  };
}

/** A bundle that is already in the outbox (or twice in one batch), and how it was recognised. */
export interface DuplicateBundle {
  /** Position in the batch given to `enqueueMany`. */
  index: number;
  /** The entry already holding it; undefined when the duplicate is earlier in the same batch. */
  entryId: number | undefined;
  /** Its position in the batch, when the duplicate is earlier in the same batch. */
  batchIndex: number | undefined;
  by: 'bundle-id' | 'content';
  bundleId: string | undefined;
}

/**
 * The bundles of a batch that are already in the outbox, or earlier in the same batch. `sql` prepares a
 * statement on the outbox; call it inside the transaction that stores the batch.
 */
export function findDuplicates(sql: (text: string) => Database.Statement, batch: readonly SerialisedBundle[]): DuplicateBundle[] {
  const byId = sql('SELECT id FROM outbox_entries WHERE bundle_id = ? ORDER BY id LIMIT 1');
  const byContent = sql('SELECT id FROM outbox_entries WHERE content_hash = ? ORDER BY id LIMIT 1');
  const seen = new Map<string, number>();
  const found: DuplicateBundle[] = [];
  batch.forEach((b, index) => {
    const idKey = b.bundleId === undefined ? undefined : `id:${b.bundleId}`;
    const contentKey = `content:${b.contentHash}`;
    const stored = b.bundleId === undefined ? undefined : (byId.get(b.bundleId) as { id: number } | undefined);
    const sameContent = stored ? undefined : (byContent.get(b.contentHash) as { id: number } | undefined);
    const earlier = (idKey !== undefined ? seen.get(idKey) : undefined) ?? seen.get(contentKey);
    const entry = stored ?? sameContent;
    if (entry || earlier !== undefined) {
      const by = stored || (idKey !== undefined && seen.has(idKey)) ? 'bundle-id' : 'content';
      found.push({ index, entryId: entry?.id, batchIndex: entry ? undefined : earlier, by, bundleId: b.bundleId });
    }
    if (idKey !== undefined && !seen.has(idKey)) seen.set(idKey, index);
    if (!seen.has(contentKey)) seen.set(contentKey, index);
  });
  return found;
}

/** Thrown by `enqueueMany` when a bundle is already queued or sent and `force` was not given; nothing is stored. */
export class DuplicateBundleError extends SubmissionError {
  override readonly name = 'DuplicateBundleError';
  constructor(readonly duplicates: readonly DuplicateBundle[]) {
    super('duplicate', `cannot enqueue: ${duplicates.length} bundle${duplicates.length === 1 ? ' is' : 's are'} already in the outbox (same Bundle.id or same content); nothing was queued`);
  }
}
