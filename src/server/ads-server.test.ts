import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAdsServer, type ReceivedInfo, startAdsServer } from './ads-server.js';

let server: RunningAdsServer;
const received: { bundle: unknown; receiptId: string; info: ReceivedInfo }[] = [];

beforeAll(async () => {
  server = await startAdsServer({
    bodyLimit: 1024,
    validate: (bundle) => {
      const ok = Array.isArray((bundle as { entry?: unknown }).entry);
      return { valid: ok, issues: ok ? [] : [{ severity: 'error', expression: 'Bundle.entry' }] };
    },
    onReceived: (bundle, receiptId, info) => received.push({ bundle, receiptId, info }),
  });
});
afterAll(async () => {
  await server.stop();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/fhir+json', ...headers }, body });

describe('ADS stand-in (open access)', () => {
  it('stores the bundle, answers the receipt and reports the verdict to the hook', async () => {
    const response = await post('/$process-message', '{"resourceType":"Bundle","id":"b-1"}', { 'x-correlation-id': 'c-1' });
    expect(response.status).toBe(200);
    const { message } = (await response.json()) as { message: string };
    expect(server.store.body(message)).toBe('{"resourceType":"Bundle","id":"b-1"}');
    const last = received.at(-1)!;
    expect(last.receiptId).toBe(message);
    expect(last.info).toMatchObject({ correlationId: 'c-1', verdict: { valid: false } });
    expect(server.store.list().at(-1)).toMatchObject({ bundleId: 'b-1', valid: false, correlationId: 'c-1' });
  });

  it('serves the legacy /submission path too', async () => {
    expect((await post('/submission', '{"resourceType":"Bundle","entry":[]}')).status).toBe(200);
    expect(received.at(-1)!.info.verdict).toEqual({ valid: true, issues: [] });
  });

  it('answers the published error bodies', async () => {
    const notFound = await post('/elsewhere', '{}');
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ error: 'Server Not Found' });
    const bare = await fetch(server.baseUrl);
    expect(bare.status).toBe(404);
    const put = await fetch(`${server.baseUrl}/submission`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(await put.json()).toEqual({ error: 'Request method must be POST, not PUT' });
  });

  it('answers 400 for a body that is not JSON and 413 past the body limit', async () => {
    const bad = await post('/$process-message', '{nope');
    expect(bad.status).toBe(400);
    const big = await post('/$process-message', JSON.stringify({ resourceType: 'Bundle', pad: 'x'.repeat(2048) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'Payload Too Large' });
  });

  it('counts duplicates by correlation id', async () => {
    const before = server.store.stats();
    await post('/$process-message', '{"resourceType":"Bundle","id":"dup"}', { 'x-correlation-id': 'dup-corr' });
    await post('/$process-message', '{"resourceType":"Bundle","id":"dup"}', { 'x-correlation-id': 'dup-corr' });
    const after = server.store.stats();
    expect(after.received - before.received).toBe(2);
    expect(after.duplicates - before.duplicates).toBe(1);
    expect(server.store.duplicateKeys().get('dup-corr')).toBe(2);
  });
});
