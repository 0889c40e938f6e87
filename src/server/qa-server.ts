import type { OperationOutcome } from 'fhir/r4';
import Fastify, { type FastifyInstance } from 'fastify';
import { positionOf } from '../reporting/index.js';
import { QA_PAGE_HTML } from './qa-page.html.js';

/** What the QA page needs from the validator: validate text, list the profiles one may pick. */
export interface QaValidationService {
  /** Validates a JSON or XML payload; with `withResource`, also returns the payload as FHIR JSON when it parsed. */
  validateText(text: string, options: { profiles?: string[]; withResource?: boolean }): { outcome: OperationOutcome; resource?: unknown };
  profiles(): Array<{ url: string; name: string; type: string }>;
}

export interface QaServerOptions {
  service: QaValidationService;
  /** Interface to listen on; loopback unless the caller says otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Largest request body accepted, in bytes (default 20 MB). */
  bodyLimit?: number;
}

export interface QaServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Serves the QA page and its JSON API on loopback. Requests are logged without bodies, so no
 * patient data reaches the log.
 */
export async function startQaServer(options: QaServerOptions): Promise<QaServer> {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 20 * 1024 * 1024 });
  const profiles = options.service.profiles();

  app.addHook('onSend', async (_req, reply) => {
    // The page loads nothing from elsewhere: forbid it outright.
    reply.header('content-security-policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' blob:");
    reply.header('x-content-type-options', 'nosniff');
  });
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(QA_PAGE_HTML));
  app.get('/profiles', async () => profiles);
  /**
   * Validates `payload` (JSON or XML text) and returns the outcome, the payload's lines as sent (XML stays XML), and
   * for each issue the index of the line it points at (from its line extension), or null.
   */
  app.post<{ Body: { payload?: unknown; profile?: unknown } }>('/validate', async (req, reply) => {
    const { payload, profile } = req.body ?? {};
    if (typeof payload !== 'string' || payload.trim() === '') return reply.code(400).send({ message: 'The payload is empty: paste or open a FHIR JSON or XML payload' });
    if (profile !== undefined && typeof profile !== 'string') return reply.code(400).send({ message: 'The profile must be a canonical URL' });
    const { outcome } = options.service.validateText(payload, { ...(profile ? { profiles: [profile] } : {}) });
    const lines = payload.replace(/^\uFEFF/, '').split(/\r?\n/);
    return {
      outcome,
      lines,
      issueLines: outcome.issue.map((i) => {
        const line = positionOf(i)?.line;
        return line !== undefined && line >= 1 && line <= lines.length ? line - 1 : null;
      }),
    };
  });
  app.setErrorHandler((error: { statusCode?: number }, _req, reply) => {
    const status = error.statusCode ?? 500;
    // Fastify's own messages name no payload content; anything else is reported generically.
    const message = status === 413 ? 'The payload is larger than this server accepts' : status < 500 ? 'The request could not be read' : 'The server failed on this request';
    void reply.code(status).send({ message });
  });
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { url: address.endsWith('/') ? address : `${address}/`, app, close: () => app.close() };
}

