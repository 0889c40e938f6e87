import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Parameters } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryResolver } from '../../test/support/memory-resolver.js';
import { TerminologyBindingChecker } from './binding-checker.js';
import { FhirServerTerminologyAdapter, readValidateCodeOutput } from './fhir-server-adapter.js';
import { LocalTerminology } from './local-terminology.js';
import { RemoteTerminology, validateWithRemoteTerminology } from './remote-terminology.js';

const SCT = 'http://snomed.info/sct';
const VS = 'https://example.org/ValueSet/findings';
/** What the fake server believes is in VS. */
const MEMBERS = new Set(['22298006', '271737000']);

let server: Server;
let baseUrl: string;
const requests: { url: string; body: Parameters; auth?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as Parameters;
      requests.push({ url: req.url ?? '', body, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      const get = (n: string) => body.parameter?.find((p) => p.name === n);
      const code = get('code')?.valueCode ?? '';
      if (req.method !== 'POST' || req.url !== '/fhir/ValueSet/$validate-code') {
        res.writeHead(404).end();
        return;
      }
      if (code === 'boom') {
        res.writeHead(500, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"OperationOutcome"}');
        return;
      }
      const result = MEMBERS.has(code) && get('url')?.valueUri === VS && get('system')?.valueUri === SCT;
      const out: Parameters = {
        resourceType: 'Parameters',
        parameter: [{ name: 'result', valueBoolean: result }, ...(result ? [{ name: 'display', valueString: 'Myocardial infarction' }] : [{ name: 'message', valueString: `Code ${code} is not in the value set` }])],
      };
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('FhirServerTerminologyAdapter', () => {
  it('POSTs $validate-code parameters and reads the answer', async () => {
    const adapter = new FhirServerTerminologyAdapter({ baseUrl, bearerToken: 'test-token' });
    const yes = await adapter.validateCode({ valueSet: VS, system: SCT, code: '22298006', display: 'Heart attack' });
    expect(yes).toEqual({ result: true, display: 'Myocardial infarction' });
    const no = await adapter.validateCode({ valueSet: VS, system: SCT, code: '195967001' });
    expect(no.result).toBe(false);
    expect(no.message).toContain('not in the value set');
    const last = requests[requests.length - 1];
    expect(last?.auth).toBe('Bearer test-token');
    expect(last?.url).not.toContain('195967001');
  });

  it('rejects on server errors and malformed answers', async () => {
    const adapter = new FhirServerTerminologyAdapter({ baseUrl });
    await expect(adapter.validateCode({ valueSet: VS, system: SCT, code: 'boom' })).rejects.toThrow(/500/);
    expect(() => readValidateCodeOutput({ resourceType: 'Parameters' })).toThrow(/no result/);
    expect(() => readValidateCodeOutput('nonsense')).toThrow(/Parameters/);
  });
});

describe('RemoteTerminology with the binding checker', () => {
  const valueSet = { resourceType: 'ValueSet' as const, url: VS, status: 'active' as const, compose: { include: [{ system: SCT, filter: [{ property: 'concept', op: 'is-a' as const, value: '404684003' }] }] } };

  it('settles SNOMED CT codes in a second pass, caching answers by system|code|valueSet', async () => {
    let clock = 0;
    const remote = new RemoteTerminology(new FhirServerTerminologyAdapter({ baseUrl }), { capacity: 100, failureRetryMs: 1000, now: () => clock });
    const checker = new TerminologyBindingChecker(new LocalTerminology(new MemoryResolver([valueSet])), { remote });
    const validate = () => [
      ...checker.check({ valueSet: VS, strength: 'required', value: { system: SCT, code: '22298006' }, path: 'a' }),
      ...checker.check({ valueSet: VS, strength: 'required', value: { system: SCT, code: '195967001' }, path: 'b' }),
      ...checker.check({ valueSet: VS, strength: 'required', value: { system: SCT, code: 'boom' }, path: 'c' }),
    ];
    const before = requests.length;
    const issues = await validateWithRemoteTerminology(remote, validate);
    expect(requests.length - before).toBe(3);
    expect(issues.map((i) => `${i.expression}:${i.severity}`)).toEqual(['b:error', 'c:information']);
    expect(issues[0]?.message).toContain('terminology server: Code 195967001 is not in the value set');
    expect(issues[1]?.message).toContain('could not answer');
    // the server's display is compared with the coding's
    const display = checker.check({ valueSet: VS, strength: 'required', value: { system: SCT, code: '22298006', display: 'Heart attack' }, path: 'd' });
    expect(display.map((i) => `${i.expression}:${i.severity}`)).toEqual(['d.display:warning']);

    // A later resource with the same codes is served from the cache, failures included for a while...
    await validateWithRemoteTerminology(remote, validate);
    expect(requests.length - before).toBe(3);
    // ...after which only the failed question is asked again.
    clock = 5000;
    await validateWithRemoteTerminology(remote, validate);
    expect(requests.length - before).toBe(4);
  });

  it('reports codes as queued when no second pass runs', () => {
    const remote = new RemoteTerminology({ validateCode: async () => ({ result: true }) });
    const checker = new TerminologyBindingChecker(new LocalTerminology(new MemoryResolver([valueSet])), { remote });
    const issues = checker.check({ valueSet: VS, strength: 'required', value: { system: SCT, code: '73211009' }, path: 'x' });
    expect(issues[0]?.message).toContain('queued for the terminology server');
    expect(remote.pendingCount).toBe(1);
  });
});
