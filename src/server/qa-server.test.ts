import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValidationService } from '../validation/index.js';
import { startQaServer, type QaServer } from './qa-server.js';

let server: QaServer;
beforeAll(async () => {
  server = await startQaServer({ service: await createValidationService() });
});
afterAll(async () => {
  await server.close();
});

const post = (body: unknown) => server.app.inject({ method: 'POST', url: '/validate', payload: body as object });

describe('QA page API', () => {
  it('returns the payload lines as sent (XML stays XML) and, per issue, the line its position names', async () => {
    const xml = '<Patient xmlns="http://hl7.org/fhir">\r\n  <gender value="bogus"/>\n  <bogus/>\n</Patient>';
    const r = await post({ payload: xml });
    const body = r.json() as { outcome: { issue: { severity: string; expression?: string[] }[] }; lines: string[]; issueLines: (number | null)[] };
    expect(body.lines).toEqual(['<Patient xmlns="http://hl7.org/fhir">', '  <gender value="bogus"/>', '  <bogus/>', '</Patient>']);
    const at = body.outcome.issue.map((i, k) => [i.expression?.[0], body.issueLines[k]]);
    expect(at).toContainEqual(['Patient.gender', 1]);
    expect(at).toContainEqual(['Patient.bogus', 2]);
  });

  it('answers an empty payload in plain words, not with the shape of the API', async () => {
    const r = await post({ payload: '   ' });
    expect(r.statusCode).toBe(400);
    expect((r.json() as { message: string }).message).not.toMatch(/[{}"]/);
  });
});
