import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/spawn-cli.js';

describe('ads-fhir serve, as a user runs it', () => {
  it('says in one line that the port is taken, or that a package is not there, and exits 2', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const busy = await spawnCli(['serve', '--port', port]);
      expect(busy.code).toBe(2);
      expect(busy.stderr.trim().split('\n')).toEqual([`ads-fhir serve: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`]);
    } finally {
      taken.close();
    }
    const missing = await spawnCli(['serve', '--port', '0', '--ig', 'no.such.package#1.0.0'], { env: { FHIR_PACKAGE_CACHE: '/nonexistent-fhir-cache' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ads-fhir serve: --ig no\.such\.package#1\.0\.0: .*\/nonexistent-fhir-cache/);
  });
});
