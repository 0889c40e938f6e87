import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

/**
 * A local stand-in for the triage (CQI) service, for tests and demos.
 * The real endpoint paths, payload schema and status codes are issued on
 * onboarding and are not public: everything this server answers is invented.
 * What it does model is the transport: mutual TLS that refuses, at the TLS
 * layer, any client without a certificate signed by the configured CA.
 */
export interface CqiStandInOptions {
  /** Server private key (PEM). */
  key: string | Buffer;
  /** Server certificate (PEM). */
  cert: string | Buffer;
  /** CA(s) whose client certificates are accepted (PEM). */
  clientCa: string | Buffer;
  /** Loopback only; default 127.0.0.1. */
  host?: '127.0.0.1' | '::1' | 'localhost';
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Answer per request; default 202 with a JSON id. May never resolve, to model a hung service. */
  respond?: (submission: ReceivedSubmission) => StandInAnswer | Promise<StandInAnswer>;
  /** TLS version range offered, default TLS 1.2 to 1.3; narrower ranges model a downgrading server. */
  minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher string, e.g. to allow old protocols in a downgrade test. */
  ciphers?: string;
}

/** The stand-in's answer to one submission. */
export interface StandInAnswer {
  status: number;
  body?: string;
}

/** One request the stand-in accepted, as received. */
export interface ReceivedSubmission {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Subject CN of the verified client certificate. */
  clientCommonName: string;
  receivedAt: Date;
}

/** A running stand-in. */
export interface CqiStandIn {
  /** Base URL, `https://host:port`. */
  url: string;
  port: number;
  /** Every accepted request, in arrival order. */
  received: ReceivedSubmission[];
  close(): Promise<void>;
}

const defaultAnswer = (): StandInAnswer => ({ status: 202, body: JSON.stringify({ id: randomUUID() }) });

/** Starts the stand-in on loopback; resolves once it listens. */
export async function startCqiStandIn(options: CqiStandInOptions): Promise<CqiStandIn> {
  const received: ReceivedSubmission[] = [];
  const respond = options.respond ?? defaultAnswer;
  const server: Server = createServer(
    {
      key: options.key,
      cert: options.cert,
      ca: options.clientCa,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: options.minVersion ?? 'TLSv1.2',
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
      ...(options.ciphers ? { ciphers: options.ciphers } : {}),
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const submission: ReceivedSubmission = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: { ...req.headers },
          body: Buffer.concat(chunks),
          clientCommonName: String(peer?.subject?.CN ?? ''),
          receivedAt: new Date(),
        };
        received.push(submission);
        Promise.resolve(respond(submission)).then(
          (answer) => {
            res.writeHead(answer.status, { 'Content-Type': 'application/json' });
            res.end(answer.body ?? '');
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
      });
    },
  );
  // TLS refusals are expected here; they must not crash the process or print anything.
  server.on('tlsClientError', () => {});
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
