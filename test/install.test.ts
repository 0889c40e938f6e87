import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createValidationService } from '../src/validation/index.js';
import { cliBundle } from '../tsup.config.js';

const root = join(import.meta.dirname, '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
// semver comes with the dependencies (fastify uses it); no typings needed for two calls.
const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

describe('install', () => {
  it('every locked package accepts the lowest Node version of each major ads-fhir supports (no EBADENGINE)', () => {
    const engines = (readJson('package.json').engines as { node: string }).node;
    // The lowest release of every alternative of the range, e.g. 20.19.0 and 22.12.0 for "^20.19.0 || >=22.12.0".
    const lowest = engines.split('||').map((part) => semver.minVersion(part.trim())!.version);
    expect(lowest.length).toBeGreaterThan(0);
    const packages = (readJson('package-lock.json').packages ?? {}) as Record<string, { engines?: { node?: string } | string[]; os?: string[] }>;
    const refused: string[] = [];
    for (const [path, meta] of Object.entries(packages)) {
      const wanted = Array.isArray(meta.engines) ? undefined : meta.engines?.node;
      if (!wanted || path === '') continue;
      for (const node of lowest) if (!semver.satisfies(node, wanted)) refused.push(`${path} wants node ${wanted}, not ${node}`);
    }
    expect(refused).toEqual([]);
  });

  it('bundles the CLI without a warning (FHIR package manifests are not read as Node package.json)', async () => {
    const plugins = cliBundle.esbuildPlugins as Parameters<typeof build>[0]['plugins'];
    const result = await build({
      entryPoints: [join(root, cliBundle.entry['cli-main'])], bundle: true, write: false, platform: 'node', format: 'cjs',
      packages: 'external', logLevel: 'silent', plugins,
      // tsup's CommonJS shim stands in for import.meta.url in the real build (tsup.config.ts `shims`).
      define: { 'import.meta.url': '"file:///shim"' },
    });
    expect(result.warnings.map((w) => `${w.id}: ${w.text}`)).toEqual([]);
    // The plugin keeps the data: the ADS code systems the builder imports are in the bundle.
    expect(result.outputFiles[0]!.text).toContain('https://fhir.nhs.uk/R4/CodeSystem/ADS-StopCode');
  });

  it('validates with core R4 definitions that have no Medplum additions to Meta or HealthcareService', async () => {
    const service = await createValidationService();
    for (const [resource, at] of [
      [{ resourceType: 'Patient', meta: { deleted: true } }, 'Patient.meta'],
      [{ resourceType: 'HealthcareService', offeredIn: [{ reference: 'HealthcareService/x' }] }, 'HealthcareService'],
    ] as const) {
      const issues = service.validate(resource as never).issue.filter((i) => i.severity === 'error');
      expect(issues.map((i) => [i.code, i.expression?.[0]])).toEqual([['structure', at]]);
    }
  });
});
