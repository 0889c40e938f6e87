/**
 * The live oracle: where Java, the fetched jars and the package cache are present (`npm run oracle:setup`), the
 * HL7 Java validator is run on a sample of the recorded cases and must still give the recorded outcome (so the
 * recordings are reproducible and the harness works end to end). Elsewhere this says in one line why it is skipped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAdsValidator } from '../../tools/oracle/ads-side.js';
import { loadCases } from '../../tools/oracle/cases.js';
import { runJavaOracle, whyNoJavaOracle } from '../../tools/oracle/java-oracle.js';
import { counts, countedReference } from '../../tools/oracle/score.js';
import { serverDependence } from '../../tools/oracle/terminology-scope.js';

const why = whyNoJavaOracle();
const sample = loadCases().filter((_, i) => i % 15 === 0).slice(0, 8);
if (why) console.log(`oracle live test skipped: ${why}`);

describe.skipIf(why !== undefined || sample.length === 0)('oracle: live run of the HL7 Java validator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ads-fhir-oracle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the recorded outcome again for a sample of recorded cases', async () => {
    const files = sample.map((c, i) => {
      const f = join(dir, `${i}.${c.format}`);
      writeFileSync(f, c.payload);
      return f;
    });
    const run = await runJavaOracle(files);
    const setAside = serverDependence((await createAdsValidator()).service.store);
    expect(run.startupMs).toBeGreaterThan(0);
    sample.forEach((c, i) => {
      const got = run.outcomes.get(files[i] as string);
      expect(got?.crash, c.id).toBeUndefined();
      const n = counts(countedReference(got?.issues ?? [], setAside));
      expect([n.errors, n.warnings], `${c.family}/${c.id}`).toEqual([c.reference.errors, c.reference.warnings]);
    });
  }, 900_000);
});
