import { MeshClient, type MeshClientOptions } from '../../src/mesh/index.js';
import { startMeshServer, type MeshServerOptions, type MeshStandIn } from '../../src/server/mesh-server.js';

/** Test-only credentials, generated per run so nothing secret is committed. */
export const SHARED_KEY = `shared-${process.pid}-${Date.now()}`;
export const MAILBOXES = [
  { mailboxId: 'X26ABC1', password: `pw1-${process.pid}` },
  { mailboxId: 'X26ABC2', password: `pw2-${process.pid}` },
  { mailboxId: 'X26ABC3', password: `pw3-${process.pid}` },
];

export function startStandIn(extra: Partial<MeshServerOptions> = {}): Promise<MeshStandIn> {
  return startMeshServer({ mailboxes: MAILBOXES, sharedKey: SHARED_KEY, ...extra });
}

/** A client for mailbox `index` against the stand-in; no real waiting between retries. */
export function clientFor(server: MeshStandIn, index = 0, extra: Partial<MeshClientOptions> = {}): MeshClient {
  const mailbox = MAILBOXES[index]!;
  return new MeshClient({
    baseUrl: server.url,
    mailboxId: mailbox.mailboxId,
    mailboxPassword: mailbox.password,
    sharedKey: SHARED_KEY,
    sleep: async () => undefined,
    ...extra,
  });
}
