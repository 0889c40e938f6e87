/**
 * What `ads-fhir validate` loads: only its own code and what a JSON run needs. The HTTP server, JOSE, SQLite, the
 * XML parser, the tar reader and fhirpath.js (the fast FHIRPath closures cover the ADS profiles' invariants)
 * stay unloaded, which is most of what made a one-bundle run slow to start.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../src/packages/test-fixtures.js';

describe('ads-fhir validate on a JSON bundle', () => {
  it('does not load the modules other commands, XML or the full FHIRPath engine need', () => {
    const list = join(tempDir('ads-fhir-modules-'), 'modules.txt');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', './bench/module-probe.mjs', 'src/cli/main.ts', 'validate', 'examples/bundles/road-traffic-collision.json'],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ADS_MODULE_PROBE: list } },
    );
    expect(r.status).toBe(0);
    const loaded = readFileSync(list, 'utf8');
    expect(loaded).toContain('src/cli/commands/validate.ts');
    // The UCUM library (its units here are plain ones its table vouches for) and the HTTP transport (nothing is sent) neither.
    for (const name of ['fastify', 'jose', 'better-sqlite3', 'fhirpath', 'fast-xml-parser', 'tar-stream', 'ajv', 'fhir-kit-client', '@lhncbc/ucum-lhc/source', 'src/server/', 'src/mesh/', 'src/net/transport.ts', 'src/cli/commands/serve.ts']) {
      expect(loaded, name).not.toContain(name.includes('/') ? name : `/node_modules/${name}/`);
    }
  }, 150_000);
});
