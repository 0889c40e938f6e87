import { afterAll, beforeAll } from 'vitest';
import { MeshClient, MeshTokenGenerator, type MeshClientOptions } from '../../src/mesh/index.js';
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

/** A fresh, valid `Authorization` value for mailbox `index` (for raw HTTP requests). */
export function authFor(index: number, now?: () => Date): string {
  const m = MAILBOXES[index]!;
  return new MeshTokenGenerator({ mailboxId: m.mailboxId, mailboxPassword: m.password, sharedKey: SHARED_KEY }, now).next();
}

/** Starts one stand-in for the enclosing `describe` and closes it afterwards. */
export function useStandIn(extra: Partial<MeshServerOptions> = {}): { server: MeshStandIn } {
  const ctx = {} as { server: MeshStandIn };
  beforeAll(async () => {
    ctx.server = await startStandIn(extra);
  });
  afterAll(async () => {
    await ctx.server?.close();
  });
  return ctx;
}
