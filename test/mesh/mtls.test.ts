import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeshClient, MeshNetworkError, MeshRetryExhaustedError, type MeshTlsOptions } from '../../src/mesh/index.js';
import { startMeshServer, type MeshStandIn } from '../../src/server/mesh-server.js';
import { MAILBOXES, SHARED_KEY } from './helpers.js';

/** A throwaway CA, a server certificate for 127.0.0.1 and a passphrase-protected client certificate. */
function makePki(dir: string, passphrase: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Test MESH CA');
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext');
  ssl('req', '-newkey', 'rsa:2048', '-passout', `pass:${passphrase}`, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=SERVER001.X26.api.mesh-client.nhs.uk');
  ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '1');
  const read = (f: string) => readFileSync(path.join(dir, f));
  return { ca: read('ca.pem'), serverKey: read('server.key'), serverCert: read('server.pem'), clientKey: read('client.key'), clientCert: read('client.pem') };
}

describe('mutual TLS', () => {
  const passphrase = `pp-${process.pid}`;
  let dir: string;
  let pki: ReturnType<typeof makePki>;
  let server: MeshStandIn;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mesh-mtls-'));
    pki = makePki(dir, passphrase);
    server = await startMeshServer({
      mailboxes: MAILBOXES,
      sharedKey: SHARED_KEY,
      tls: { key: pki.serverKey, cert: pki.serverCert, ca: pki.ca, requestCert: true },
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (tls: MeshTlsOptions) =>
    new MeshClient({
      baseUrl: server.url,
      mailboxId: MAILBOXES[0]!.mailboxId,
      mailboxPassword: MAILBOXES[0]!.password,
      sharedKey: SHARED_KEY,
      tls,
      sleep: async () => undefined,
    });

  it('connects with client certificate, encrypted key + passphrase and the CA', async () => {
    expect(server.url.startsWith('https://')).toBe(true);
    await expect(client({ cert: pki.clientCert, key: pki.clientKey, passphrase, ca: pki.ca }).handshake()).resolves.toBeUndefined();
  });

  it('fails without a client certificate', async () => {
    const err = await client({ ca: pki.ca }).handshake().catch((e: unknown) => e);
    // Depending on TLS version the refusal is an alert (not retried) or a reset (retried, then given up).
    const network = err instanceof MeshRetryExhaustedError ? err.cause : err;
    expect(network).toBeInstanceOf(MeshNetworkError);
  });

  it('verifies the server: an unknown CA is refused', async () => {
    const err = await client({ cert: pki.clientCert, key: pki.clientKey, passphrase }).handshake().catch((e: unknown) => e);
    // A certificate that does not verify is not retried: it cannot get better.
    expect(err).toBeInstanceOf(MeshNetworkError);
    expect((err as MeshNetworkError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
    expect(String((err as Error).message)).not.toContain(passphrase);
  });
});
