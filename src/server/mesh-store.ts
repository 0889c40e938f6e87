import { randomBytes } from 'node:crypto';

/** One stored chunk: the bytes as uploaded and whether they are gzip-encoded. */
export interface StoredChunk {
  data: Buffer;
  gzip: boolean;
}

/** Lifecycle of a stand-in message. */
export type StoredMessageStatus = 'uploading' | 'accepted' | 'acknowledged' | 'expired';

/** A message held by the stand-in (DATA or REPORT). */
export interface StoredMessage {
  id: string;
  /** Insertion order; drives paging. */
  seq: number;
  from: string;
  to: string;
  workflowId: string;
  messageType: 'DATA' | 'REPORT';
  subject?: string;
  localId?: string;
  fileName?: string;
  contentType?: string;
  checksum?: string;
  partnerId?: string;
  linkedMessageId?: string;
  /** On a REPORT: the intended receiver of the undelivered message (its `Mex-To`). */
  intendedRecipient?: string;
  statusCode: string;
  statusEvent: string;
  statusDescription: string;
  statusSuccess: 'SUCCESS' | 'ERROR';
  totalChunks: number;
  /** Index k-1 holds chunk k; a hole means the chunk is missing. */
  chunks: Array<StoredChunk | undefined>;
  status: StoredMessageStatus;
  createdAt: number;
  statusAt: number;
  expiresAt: number;
}

/** Fields a caller may set when creating a message. */
export type NewMessage = Pick<StoredMessage, 'from' | 'to' | 'workflowId' | 'totalChunks'> &
  Partial<
    Pick<
      StoredMessage,
      | 'messageType'
      | 'subject'
      | 'localId'
      | 'fileName'
      | 'contentType'
      | 'checksum'
      | 'partnerId'
      | 'linkedMessageId'
      | 'intendedRecipient'
      | 'statusCode'
      | 'statusEvent'
      | 'statusDescription'
      | 'statusSuccess'
    >
  >;

/** Inputs of a REPORT, as the reference sandbox's admin endpoint takes them. */
export interface NewReport {
  /** The mailbox whose inbox receives the report. */
  mailboxId: string;
  /** The receiver the reported message was meant for. */
  intendedRecipient?: string;
  code: string;
  description: string;
  workflowId: string;
  subject?: string;
  localId?: string;
  fileName?: string;
  linkedMessageId?: string;
  /** Sets the status event: `undeliverable` -> TRANSFER, `error` -> SEND. */
  status?: 'undeliverable' | 'error';
}

/** Formats `yyyyMMddHHmmss` (UTC), the MESH status timestamp shape. */
export function meshStatusTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * In-memory MESH state: messages, per-mailbox inboxes, expiry with non-delivery REPORTs.
 * Messages are never purged, so acknowledged or expired ids keep answering 410.
 */
export class MeshStore {
  private readonly messages = new Map<string, StoredMessage>();
  private seq = 0;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly now: () => number,
    private readonly expiryMs: number,
  ) {}

  get(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  /** Creates a message; it is delivered at once unless it still awaits chunks. */
  create(input: NewMessage, firstChunk: StoredChunk | undefined): StoredMessage {
    const now = this.now();
    this.seq += 1;
    const message: StoredMessage = {
      messageType: 'DATA',
      statusCode: '00',
      statusEvent: 'TRANSFER',
      statusDescription: 'Transferred to recipient mailbox',
      statusSuccess: 'SUCCESS',
      ...input,
      id: `${meshStatusTimestamp(now)}${String(this.seq % 1_000_000).padStart(6, '0')}_${randomBytes(3).toString('hex').toUpperCase()}`,
      seq: this.seq,
      chunks: new Array<StoredChunk | undefined>(input.totalChunks).fill(undefined),
      status: 'uploading',
      createdAt: now,
      statusAt: now,
      expiresAt: now + this.expiryMs,
    };
    if (firstChunk) message.chunks[0] = firstChunk;
    this.messages.set(message.id, message);
    this.deliverIfComplete(message);
    return message;
  }

  /** Stores chunk `k` (1-based) of an uploading message. */
  addChunk(message: StoredMessage, k: number, chunk: StoredChunk): void {
    message.chunks[k - 1] = chunk;
    this.deliverIfComplete(message);
  }

  /** Puts a REPORT into a mailbox's inbox (empty body, non-00 status). */
  report(input: NewReport): StoredMessage {
    return this.create(
      {
        from: input.mailboxId,
        to: input.mailboxId,
        ...(input.intendedRecipient !== undefined ? { intendedRecipient: input.intendedRecipient } : {}),
        workflowId: input.workflowId,
        totalChunks: 1,
        messageType: 'REPORT',
        statusCode: input.code,
        statusDescription: input.description,
        statusEvent: input.status === 'error' ? 'SEND' : 'TRANSFER',
        statusSuccess: 'ERROR',
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        ...(input.localId !== undefined ? { localId: input.localId } : {}),
        ...(input.fileName !== undefined ? { fileName: input.fileName } : {}),
        ...(input.linkedMessageId !== undefined ? { linkedMessageId: input.linkedMessageId } : {}),
      },
      { data: Buffer.alloc(0), gzip: false },
    );
  }

  acknowledge(message: StoredMessage): void {
    message.status = 'acknowledged';
    message.statusAt = this.now();
  }

  /**
   * Expires delivered messages past their expiry and sends the sender a code-14 REPORT, as MESH
   * does for messages not collected within five days.
   */
  sweepExpired(): void {
    const now = this.now();
    // A full scan at most once a second keeps large inboxes cheap; expireIfDue covers the gap.
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const message of [...this.messages.values()]) this.expireIfDue(message);
  }

  /** Expires one message if its time has come; true when it is (now) expired. */
  expireIfDue(message: StoredMessage): boolean {
    if (message.status === 'accepted' && message.expiresAt <= this.now()) this.expire(message);
    return message.status === 'expired';
  }

  /** Expires one message now (tests use this instead of waiting five days). */
  expire(message: StoredMessage): void {
    message.status = 'expired';
    message.statusAt = this.now();
    if (message.messageType === 'DATA') {
      this.report({
          mailboxId: message.from,
          intendedRecipient: message.to,
          code: '14',
          description: 'Message not collected by recipient after 5 days',
          workflowId: message.workflowId,
          status: 'undeliverable',
          ...(message.subject !== undefined ? { subject: message.subject } : {}),
          ...(message.localId !== undefined ? { localId: message.localId } : {}),
          linkedMessageId: message.id,
      });
    }
  }

  /** Delivered, unacknowledged, unexpired messages for a mailbox, in arrival order, after `afterSeq`. */
  inbox(mailboxId: string, afterSeq = 0, workflowFilter?: (workflowId: string) => boolean): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const m of this.messages.values()) {
      if (m.to !== mailboxId || m.status !== 'accepted' || m.seq <= afterSeq || this.expireIfDue(m)) continue;
      if (workflowFilter && !workflowFilter(m.workflowId)) continue;
      out.push(m);
    }
    return out;
  }

  private deliverIfComplete(message: StoredMessage): void {
    if (message.status !== 'uploading' || message.chunks.some((c) => c === undefined)) return;
    message.status = 'accepted';
    message.statusAt = this.now();
    message.expiresAt = message.statusAt + this.expiryMs;
  }
}

/**
 * Compiles a MESH `workflow_filter` (`WF`, `!WF`, `WF*`, `!WF*`, `*X*`, `!*X*`, with an optional
 * leading `=`) into a predicate.
 */
export function compileWorkflowFilter(filter: string): (workflowId: string) => boolean {
  let f = filter.startsWith('=') ? filter.slice(1) : filter;
  const negate = f.startsWith('!');
  if (negate) f = f.slice(1);
  const escaped = f.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const re = new RegExp(`^${escaped}$`);
  return (workflowId) => re.test(workflowId) !== negate;
}
