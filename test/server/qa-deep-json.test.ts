/** The QA page's API on a payload nested thousands deep, which the CLI validates: an answer, not a 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQaServer, type QaServer } from '../../src/server/index.js';
import { createValidationService } from '../../src/validation/index.js';

let qa: QaServer;
beforeAll(async () => {
  qa = await startQaServer({ service: await createValidationService() });
}, 120_000);
afterAll(async () => {
  await qa?.close();
});

describe('POST /validate', () => {
  it.each([
    ['objects', (depth: number) => `{"resourceType":"Basic","code":${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}}`],
    ['arrays', (depth: number) => `{"resourceType":"Basic","extension":${'['.repeat(depth)}1${']'.repeat(depth)}}`],
  ])('answers a payload of %s nested 6,000 deep with its issues', async (_kind, payloadOf) => {
    const payload = payloadOf(6000);
    const res = await fetch(`${qa.url}validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outcome: { issue: { severity: string }[] }; lines: string[] };
    expect(body.outcome.issue.some((i) => i.severity === 'error' || i.severity === 'fatal')).toBe(true);
    expect(body.lines).toEqual(payload.split('\n'));
  });
});
