import os from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { checkEndpoint, createTransport, isRetryable, NetError, withRetry } from '../net/index.js';
import { MeshTokenGenerator } from './auth.js';
import { parseJson, positiveInt, toHttpError, validateSendHeaders } from './client-support.js';
import {
  DEFAULT_CHUNK_SIZE,
  MESH_ACCEPT,
  type MeshApiVersion,
  type MeshClientOptions,
  type MeshInboxOptions,
  type MeshInboxPage,
  type MeshRequest,
  type MeshResponse,
  type MeshSendOptions,
  type MeshSendResult,
  type MeshTrackingInfo,
  type MeshTransport,
} from './client-types.js';
import {
  MeshConfigError,
  meshErrorFromNet,
  MeshGoneError,
  MeshIntegrityError,
  MeshMissingChunkError,
  MeshNotFoundError,
  MeshProtocolError,
  MeshResponseTooLargeError,
  MeshRetryExhaustedError,
} from './errors.js';
import { checksumMatches, contentChecksum, parseChunkRange, readMessageMetadata, splitIntoChunks, type MeshMessage } from './message.js';
import { resolveMeshRetryPolicy, type MeshRetryPolicy } from './retry.js';

export * from './client-types.js';

interface CallOptions {
  retry: boolean;
}

/**
 * MESH client: handshake, inbox paging, chunked/gzip download with verification, acknowledge,
 * chunked send, tracking. Every request gets a fresh `NHSMESH` token; transient statuses are retried
 * with bounded backoff, except the first outbox POST, which is never retried (a retry could deliver
 * the message twice).
 */
export class MeshClient {
  readonly mailboxId: string;
  readonly apiVersion: MeshApiVersion;
  private readonly base: URL;
  private readonly tokens: MeshTokenGenerator;
  private readonly transport: MeshTransport;
  private readonly retryPolicy: MeshRetryPolicy;
  private readonly chunkSize: number;
  private readonly maxMessageBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: MeshClientOptions) {
    for (const key of ['mailboxId', 'mailboxPassword', 'sharedKey'] as const) {
      if (typeof options[key] !== 'string' || options[key].length === 0) throw new MeshConfigError(`MESH ${key} is required`);
    }
    if (options.mailboxId.includes(':')) throw new MeshConfigError('MESH mailboxId must not contain ":"');
    try {
      this.base = checkEndpoint(options.baseUrl, 'MESH');
    } catch (error) {
      throw error instanceof NetError ? new MeshConfigError(error.message) : error;
    }
    this.mailboxId = options.mailboxId.toUpperCase();
    this.apiVersion = options.apiVersion ?? 2;
    if (this.apiVersion !== 1 && this.apiVersion !== 2) throw new MeshConfigError('MESH apiVersion must be 1 or 2');
    this.tokens = new MeshTokenGenerator(
      { mailboxId: this.mailboxId, mailboxPassword: options.mailboxPassword, sharedKey: options.sharedKey },
      options.now,
    );
    this.transport =
      options.transport ??
      createTransport({
        service: 'MESH',
        timeoutMs: options.limits?.timeoutMs ?? 120_000,
        maxResponseBytes: options.limits?.maxResponseBytes ?? 110 * 1024 * 1024,
        ...(options.tls ? { tls: options.tls } : {}),
      }).exchange;
    this.retryPolicy = resolveMeshRetryPolicy(options.retry);
    this.chunkSize = positiveInt(options.chunkSizeBytes ?? DEFAULT_CHUNK_SIZE, 'chunkSizeBytes');
    this.maxMessageBytes = positiveInt(options.maxMessageBytes ?? 1024 * 1024 * 1024, 'maxMessageBytes');
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Validates the mailbox ("handshake"); call once per 24 hours. */
  async handshake(): Promise<void> {
    await this.call('handshake', 'POST', this.mailboxPath(), {
      headers: {
        'mex-clientversion': this.options.clientVersion ?? 'ads-fhir==0.1.0',
        'mex-osname': os.type(),
        'mex-osversion': os.release(),
        'mex-osarchitecture': os.arch(),
      },
    });
  }

  /** One page of inbox ids. Pass `page.next` back as `continueFrom` for the next one. */
  async listInboxPage(options: MeshInboxOptions & { continueFrom?: string } = {}): Promise<MeshInboxPage> {
    let target: string;
    if (options.continueFrom?.startsWith('/')) {
      target = options.continueFrom;
    } else {
      const query = new URLSearchParams();
      if (options.maxResults !== undefined) query.set('max_results', String(options.maxResults));
      if (options.workflowFilter !== undefined) query.set('workflow_filter', options.workflowFilter);
      if (options.continueFrom !== undefined) query.set('continue_from', options.continueFrom);
      const qs = query.toString();
      target = `${this.mailboxPath()}/inbox${qs ? `?${qs}` : ''}`;
    }
    const res = await this.call('list inbox', 'GET', target, {});
    const json = parseJson(res.body, 'inbox listing') as { messages?: unknown; links?: { next?: unknown }; approx_inbox_count?: unknown };
    if (!Array.isArray(json.messages) || !json.messages.every((m) => typeof m === 'string')) {
      throw new MeshProtocolError('MESH inbox listing has no "messages" array of strings');
    }
    const page: MeshInboxPage = { messageIds: json.messages as string[] };
    if (typeof json.approx_inbox_count === 'number') page.approxInboxCount = json.approx_inbox_count;
    if (typeof json.links?.next === 'string' && json.links.next.length > 0) {
      page.next = this.sameOriginPath(json.links.next);
    } else if (this.apiVersion === 1) {
      // v1 has no links: a full page means "there may be more"; continue from the last id.
      const limit = options.maxResults ?? 500;
      const last = page.messageIds[page.messageIds.length - 1];
      if (page.messageIds.length >= limit && last !== undefined) page.next = last;
    }
    return page;
  }

  /** Every inbox id, page by page, following `links.next` (v2) or the last id (v1). */
  async *inboxMessageIds(options: MeshInboxOptions = {}): AsyncGenerator<string> {
    const seen = new Set<string>();
    let continueFrom: string | undefined;
    for (;;) {
      const page = await this.listInboxPage({ ...options, ...(continueFrom !== undefined ? { continueFrom } : {}) });
      for (const id of page.messageIds) {
        if (seen.has(id)) continue;
        seen.add(id);
        yield id;
      }
      if (page.next === undefined) return;
      if (page.next === continueFrom) throw new MeshProtocolError('MESH inbox paging did not advance');
      continueFrom = page.next;
    }
  }

  /** All inbox ids as an array (see {@link inboxMessageIds}). */
  async listInbox(options: MeshInboxOptions = {}): Promise<string[]> {
    const ids: string[] = [];
    for await (const id of this.inboxMessageIds(options)) ids.push(id);
    return ids;
  }

  /**
   * Downloads a message, following chunks (`206` + `Mex-Chunk-Range: 1:n`, then `/{id}/{k}`),
   * inflating gzip chunks independently and verifying ranges and any recognisable checksum. A chunk
   * that cannot be fetched raises {@link MeshMissingChunkError}; nothing is acknowledged here.
   */
  async download(messageId: string): Promise<MeshMessage> {
    const path = `${this.mailboxPath()}/inbox/${encodeURIComponent(messageId)}`;
    const first = await this.call('download', 'GET', path, { headers: { 'accept-encoding': 'gzip' } });
    const metadata = readMessageMetadata(messageId, first.headers);
    const firstRange = parseChunkRange(first.headers['mex-chunk-range']) ?? { chunk: 1, total: 1 };
    if (firstRange.chunk !== 1) throw new MeshIntegrityError(messageId, `first response is chunk ${firstRange.chunk}`);
    if (first.status === 206 && firstRange.total === 1) throw new MeshIntegrityError(messageId, '206 without a chunk range');
    const total = firstRange.total;
    metadata.totalChunks = total;
    const parts: Buffer[] = [this.decode(messageId, first)];
    let size = parts[0]!.length;
    for (let k = 2; k <= total; k++) {
      if (first.status === 200) throw new MeshMissingChunkError(messageId, k, total);
      let res: MeshResponse;
      try {
        res = await this.call('download chunk', 'GET', `${path}/${k}`, { headers: { 'accept-encoding': 'gzip' } });
      } catch (err) {
        if (err instanceof MeshNotFoundError || err instanceof MeshGoneError) {
          throw new MeshMissingChunkError(messageId, k, total, { cause: err });
        }
        throw err;
      }
      const range = parseChunkRange(res.headers['mex-chunk-range']);
      if (range && (range.chunk !== k || range.total !== total)) {
        throw new MeshIntegrityError(messageId, `expected chunk ${k}:${total}, got ${range.chunk}:${range.total}`);
      }
      if (res.status === 200 && k < total) throw new MeshMissingChunkError(messageId, k + 1, total);
      if (res.status === 206 && k === total) throw new MeshIntegrityError(messageId, 'server reports more chunks than announced');
      const part = this.decode(messageId, res);
      size += part.length;
      if (size > this.maxMessageBytes) throw new MeshResponseTooLargeError(this.maxMessageBytes);
      parts.push(part);
    }
    const body = Buffer.concat(parts);
    if (metadata.checksum !== undefined && checksumMatches(metadata.checksum, body) === false) {
      throw new MeshIntegrityError(messageId, 'content checksum mismatch');
    }
    return { metadata, body };
  }

  /** Acknowledges a message, removing it from the inbox. Call only once it is safely stored. */
  async acknowledge(messageId: string): Promise<void> {
    await this.call('acknowledge', 'PUT', `${this.mailboxPath()}/inbox/${encodeURIComponent(messageId)}/status/acknowledged`, {});
  }

  /**
   * Sends a message, chunked when larger than the chunk size. The uncompressed payload is split,
   * each chunk gzipped independently, the first POSTed to the outbox (never retried) and the rest
   * to `/outbox/{id}/{k}` (retried on transient failures).
   */
  async send(options: MeshSendOptions): Promise<MeshSendResult> {
    const data = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
    const chunkSize = positiveInt(options.chunkSizeBytes ?? this.chunkSize, 'chunkSizeBytes');
    const compress = options.compress ?? true;
    const parts = splitIntoChunks(data, chunkSize);
    const total = parts.length;
    const encode = (part: Buffer) => (compress ? gzipSync(part) : part);
    const headers: Record<string, string> = {
      'mex-from': this.mailboxId,
      'mex-to': options.to,
      'mex-workflowid': options.workflowId,
      'mex-content-checksum': contentChecksum(data),
      'content-type': options.contentType ?? 'application/octet-stream',
    };
    if (options.subject !== undefined) headers['mex-subject'] = options.subject;
    if (options.localId !== undefined) headers['mex-localid'] = options.localId;
    if (options.fileName !== undefined) headers['mex-filename'] = options.fileName;
    if (options.contentType !== undefined) headers['mex-content-type'] = options.contentType;
    if (compress) headers['content-encoding'] = 'gzip';
    if (total > 1) headers['mex-chunk-range'] = `1:${total}`;
    validateSendHeaders(headers);

    const res = await this.call('send', 'POST', `${this.mailboxPath()}/outbox`, { headers, body: encode(parts[0]!) }, { retry: false });
    const json = parseJson(res.body, 'send response') as { message_id?: unknown; messageID?: unknown };
    const messageId = typeof json.message_id === 'string' ? json.message_id : json.messageID;
    if (typeof messageId !== 'string' || messageId.length === 0) throw new MeshProtocolError('MESH send response has no message id');

    for (let k = 2; k <= total; k++) {
      const chunkHeaders: Record<string, string> = { 'mex-chunk-range': `${k}:${total}`, 'content-type': 'application/octet-stream' };
      if (compress) chunkHeaders['content-encoding'] = 'gzip';
      await this.call('send chunk', 'POST', `${this.mailboxPath()}/outbox/${encodeURIComponent(messageId)}/${k}`, {
        headers: chunkHeaders,
        body: encode(parts[k - 1]!),
      });
    }
    return { messageId, chunks: total };
  }

  /** Status of a message this mailbox sent. */
  async track(messageId: string): Promise<MeshTrackingInfo> {
    const res = await this.call('track', 'GET', `${this.mailboxPath()}/outbox/tracking?messageID=${encodeURIComponent(messageId)}`, {});
    const raw = parseJson(res.body, 'tracking response') as Record<string, unknown>;
    const str = (...keys: string[]) => {
      for (const k of keys) if (typeof raw[k] === 'string' && raw[k] !== '') return raw[k] as string;
      return undefined;
    };
    const info: MeshTrackingInfo = { messageId: str('message_id', 'messageId', 'dtsId') ?? messageId, raw };
    const set = <K extends keyof MeshTrackingInfo>(key: K, value: MeshTrackingInfo[K] | undefined) => {
      if (value !== undefined) info[key] = value;
    };
    set('status', str('status')?.toLowerCase());
    set('statusCode', str('status_code', 'statusCode'));
    set('statusEvent', str('status_event', 'statusEvent'));
    set('statusDescription', str('status_description', 'statusDescription'));
    set('localId', str('local_id', 'localId'));
    set('workflowId', str('workflow_id', 'workflowId'));
    set('recipient', str('recipient'));
    const success = raw.status_success ?? raw.statusSuccess;
    if (typeof success === 'boolean') info.statusSuccess = success;
    else if (typeof success === 'string') info.statusSuccess = success.toUpperCase() === 'SUCCESS';
    return info;
  }

  private mailboxPath(): string {
    return `/messageexchange/${encodeURIComponent(this.mailboxId)}`;
  }

  /** Keeps paging on the configured origin so credentials never go to another host. */
  private sameOriginPath(link: string): string {
    const resolved = new URL(link, this.base);
    if (resolved.origin !== this.base.origin) throw new MeshProtocolError('MESH paging link points to another host');
    return `${resolved.pathname}${resolved.search}`;
  }

  private decode(messageId: string, res: MeshResponse): Buffer {
    const encoding = (res.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (encoding === '' || encoding === 'identity') return res.body;
    if (encoding !== 'gzip') throw new MeshIntegrityError(messageId, `unsupported content encoding "${encoding}"`);
    try {
      return gunzipSync(res.body, { maxOutputLength: this.maxMessageBytes });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new MeshResponseTooLargeError(this.maxMessageBytes);
      throw new MeshIntegrityError(messageId, 'gzip chunk could not be inflated', { cause: err });
    }
  }

  /**
   * One logical call: a fresh token per attempt, the shared retry policy on MESH's transient statuses and
   * on connection failures, typed errors. `retry: false` sends exactly once.
   */
  private async call(
    operation: string,
    method: MeshRequest['method'],
    pathAndQuery: string,
    parts: { headers?: Record<string, string>; body?: Buffer },
    callOptions: CallOptions = { retry: true },
  ): Promise<MeshResponse> {
    const url = new URL(pathAndQuery, this.base).toString();
    const policy = callOptions.retry ? this.retryPolicy : { ...this.retryPolicy, maxAttempts: 1 };
    let attempts = 0;
    let lastStatus: number | undefined;
    try {
      return await withRetry(
        async () => {
          attempts++;
          lastStatus = undefined;
          const res = await this.exchangeOnce(method, url, parts);
          lastStatus = res.status;
          if (res.status >= 200 && res.status < 300) return res;
          throw toHttpError(res, operation);
        },
        policy,
        {
          sleep: this.sleep,
          random: this.random,
          onRetry: (_error, delayMs, attempt) => this.options.onRetry?.({ operation, attempt, ...(lastStatus !== undefined ? { status: lastStatus } : {}), delayMs }),
        },
      );
    } catch (error) {
      // Retries ran out on a transient failure: say so, with the last status seen.
      if (callOptions.retry && attempts >= policy.maxAttempts && isRetryable(error)) {
        throw new MeshRetryExhaustedError(operation, attempts, lastStatus, { cause: error });
      }
      throw error;
    }
  }

  /** One HTTP exchange with a fresh `NHSMESH` token; transport failures become MESH errors. */
  private async exchangeOnce(method: MeshRequest['method'], url: string, parts: { headers?: Record<string, string>; body?: Buffer }): Promise<MeshResponse> {
    const request: MeshRequest = {
      method,
      url,
      headers: {
        accept: MESH_ACCEPT[this.apiVersion],
        'user-agent': `ads-fhir;${os.type()};${os.release()}`,
        ...parts.headers,
        authorization: this.tokens.next(),
      },
      ...(parts.body ? { body: parts.body } : {}),
    };
    try {
      return await this.transport(request);
    } catch (error) {
      if (error instanceof NetError) throw meshErrorFromNet(error);
      throw error;
    }
  }
}
