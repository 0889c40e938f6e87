import type { AuditActor, AuditSink } from '../audit/types.js';
import { TransportError } from './errors.js';
import { fhirTriageEncoder, type TriageEncoder } from './encoder.js';
import type { CqiOutbox } from './outbox.js';
import type { CqiLogger, DeliveryReceipt, TriageTransport } from './transport.js';
import type { TriageRecord } from './triage-record.js';

/** Result of {@link CqiClient.submitNow}. */
export type SubmitResult =
  /** `receipt` is absent when another drain running at the same time delivered the record. */
  | { outcome: 'delivered'; seq: number; receipt?: DeliveryReceipt }
  /** `retryable` is false when the cause is the set-up (a server certificate not trusted, ...): retrying will not help until it is fixed. */
  | { outcome: 'queued'; seq: number; reason: string; message: string; retryable: boolean }
  | { outcome: 'rejected'; seq: number; reason: string; message: string };

/** Result of {@link CqiClient.drain}. */
export interface DrainResult {
  delivered: number;
  rejected: number;
  remaining: number;
  /** Why draining stopped before the queue was empty; `retryable` false for a cause only a fix can remove. */
  stoppedBy?: { code: string; message: string; retryable: boolean };
}

/** Options of {@link CqiClient}. */
export interface CqiClientOptions {
  transport: TriageTransport;
  outbox: CqiOutbox;
  /** Default: the project's FHIR R4 encoder. Plug in the onboarding schema here. */
  encoder?: TriageEncoder;
  /** Where each submission is recorded, with the actor given per call. */
  audit?: AuditSink;
  logger?: CqiLogger;
  /** Default deadline of {@link CqiClient.submitNow}. Default 15 000 ms. */
  deadlineMs?: number;
}

/**
 * Statuses that say this record itself is unacceptable: it is set aside so
 * the queue moves on. Others (401, 403, 404...) point at the set-up, which
 * no record can fix, so the queue stops and keeps everything.
 */
const RECORD_REFUSED = new Set([400, 409, 413, 415, 422]);
const PERMANENT_HTTP = (e: TransportError) => e.code === 'HTTP_STATUS' && e.status !== undefined && RECORD_REFUSED.has(e.status);

/** The identifier a record is queued and audited under. */
export function triageRecordId(record: TriageRecord): string {
  return `${record.providerOdsCode}/${record.caseId}`;
}

/**
 * Real-time triage submission with a durable, ordered fallback.
 * Every record is first written to the outbox; the queue is then sent in
 * order, so a new record never overtakes an older one still waiting.
 */
export class CqiClient {
  private readonly encoder: TriageEncoder;
  private readonly log: CqiLogger;
  /** Serialises draining inside this process, which keeps delivery in order. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: CqiClientOptions) {
    this.encoder = options.encoder ?? fhirTriageEncoder;
    this.log = options.logger ?? (() => {});
  }

  /**
   * Queues `record` durably, then tries to deliver the queue up to and
   * including it, returning by `deadlineMs` at the latest. If it cannot be
   * delivered in time it stays queued for {@link drain}.
   */
  async submitNow(record: TriageRecord, options: { actor?: AuditActor; deadlineMs?: number } = {}): Promise<SubmitResult> {
    const recordId = triageRecordId(record);
    const patientIds = record.nhsNumber !== undefined ? [record.nhsNumber] : [];
    const seq = this.options.outbox.enqueue(recordId, this.encoder.encode(record), patientIds);
    const controller = new AbortController();
    const deadlineMs = options.deadlineMs ?? this.options.deadlineMs ?? 15_000;
    const timer = setTimeout(() => controller.abort(new TransportError('DEADLINE', 'deadline reached', true)), deadlineMs);
    let result: SubmitResult;
    try {
      const receipts = new Map<number, DeliveryReceipt>();
      // A drain already running (e.g. a background one) may hold the queue; the deadline still holds.
      const deadline = new Promise<undefined>((resolve) => controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
      const drained = await Promise.race([this.drain({ signal: controller.signal, until: seq, receipts, ...(options.actor ? { actor: options.actor } : {}) }), deadline]);
      const receipt = receipts.get(seq);
      if (this.options.outbox.isQueued(seq)) {
        const stop = drained?.stoppedBy ?? { code: 'DEADLINE', message: 'deadline reached before delivery', retryable: true };
        result = { outcome: 'queued', seq, reason: stop.code, message: stop.message, retryable: stop.retryable };
      } else if (this.options.outbox.isRejected(seq)) {
        result = { outcome: 'rejected', seq, reason: drained?.stoppedBy?.code ?? 'HTTP_STATUS', message: 'the service refused this record; it is kept in the rejected table' };
      } else result = { outcome: 'delivered', seq, ...(receipt ? { receipt } : {}) };
    } finally {
      clearTimeout(timer);
    }
    if (result.outcome === 'queued') this.log({ level: 'warn', event: 'cqi.queued', message: `record queued as #${seq}: ${result.reason}` });
    return result;
  }

  /**
   * Sends queued items oldest first until the queue is empty, `until` has
   * been sent, `signal` aborts, or an item fails (it stays at the head so
   * order is kept). Items the service refuses for good are set aside.
   */
  drain(options: { signal?: AbortSignal; actor?: AuditActor; until?: number; receipts?: Map<number, DeliveryReceipt> } = {}): Promise<DrainResult> {
    const run = this.chain.then(() => this.drainNow(options));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async drainNow(options: { signal?: AbortSignal; actor?: AuditActor; until?: number; receipts?: Map<number, DeliveryReceipt> }): Promise<DrainResult> {
    const { outbox } = this.options;
    const result: DrainResult = { delivered: 0, rejected: 0, remaining: 0 };
    // One drainer per file keeps the order across processes: wait for another one, within the deadline.
    const ownLease = !outbox.holdsWriterLease;
    try {
      if (ownLease) {
        await outbox.takeWriterLease({
          wait: true,
          ...(options.signal ? { signal: options.signal } : {}),
          onWait: () => this.log({ level: 'warn', event: 'cqi.waiting', message: 'another process is draining this outbox; waiting for it' }),
        });
      }
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      result.stoppedBy = { code: options.signal?.aborted ? 'DEADLINE' : e.code, message: e.message, retryable: true };
      result.remaining = outbox.pending().length;
      return result;
    }
    try {
      return await this.sendQueue(options, result);
    } finally {
      if (ownLease) outbox.releaseWriterLease();
    }
  }

  private async sendQueue(options: { signal?: AbortSignal; actor?: AuditActor; until?: number; receipts?: Map<number, DeliveryReceipt> }, result: DrainResult): Promise<DrainResult> {
    const { outbox } = this.options;
    for (;;) {
      const item = outbox.head();
      if (!item || (options.until !== undefined && item.seq > options.until)) break;
      if (options.signal?.aborted) {
        result.stoppedBy = { code: 'DEADLINE', message: 'deadline reached before delivery', retryable: true };
        break;
      }
      try {
        const receipt = await this.options.transport.send(item.payload, options.signal ? { signal: options.signal } : {});
        outbox.delivered(item.seq);
        options.receipts?.set(item.seq, receipt);
        result.delivered++;
        await this.audit(options.actor, item.recordId, item.patientIds, 'delivered', `HTTP ${receipt.status}`);
      } catch (e) {
        const error = e instanceof TransportError ? e : new TransportError('NETWORK', 'delivery failed', true);
        if (PERMANENT_HTTP(error)) {
          outbox.reject(item.seq, error.code + (error.status ? `_${error.status}` : ''));
          result.rejected++;
          await this.audit(options.actor, item.recordId, item.patientIds, 'rejected', `HTTP ${error.status ?? ''}`.trim());
          this.log({ level: 'error', event: 'cqi.rejected', message: `item #${item.seq} refused by the service (HTTP ${error.status ?? '?'}); set aside` });
          if (options.until === item.seq) result.stoppedBy = { code: error.code, message: error.message, retryable: false };
          continue;
        }
        outbox.recordFailure(item.seq, error.code);
        await this.audit(options.actor, item.recordId, item.patientIds, 'queued', error.code);
        result.stoppedBy = { code: error.code, message: error.message, retryable: error.retryable };
        break;
      }
    }
    result.remaining = outbox.pending().length;
    return result;
  }

  private async audit(actor: AuditActor | undefined, recordId: string, patientIds: string[], outcome: string, detail: string): Promise<void> {
    if (!this.options.audit) return;
    // Deliveries made by a background drain have no interactive user; they are attributed to the system.
    await this.options.audit.record({ actor: actor ?? { userId: 'system', role: 'system' }, action: 'submit', recordId, outcome, patientIds, detail });
  }
}
