import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithShared } from '../support/shared.js';
import { readCoreR4 } from '../../src/packages/core-r4.js';
import { coreSearchParameters } from '../../src/validation/core-resolver.js';
import { loadSuite, runCase, summarise } from '../../src/validation/conformance/index.js';
import { conformanceDefaults } from './defaults.js';

const floor = JSON.parse(readFileSync(resolve(import.meta.dirname, 'floor.json'), 'utf8')) as { tierA: { L1: number; L2: number; L3: number } };

describeWithShared('HL7 validator suite, tier A cases (JSON and XML)', ['fhir-test-cases'], (suiteDir) => {
  it('scores at or above the floor kept in floor.json', async () => {
    const defaults = conformanceDefaults();
    const core = [...readCoreR4(), ...coreSearchParameters()];
    const cases = loadSuite(suiteDir).filter((c) => c.tier.startsWith('A'));
    expect(cases.length).toBeGreaterThan(80);
    const results = cases.map((c) => runCase(c, { dir: suiteDir, core, ...defaults }));
    const { tierA } = summarise(results, true);
    expect(tierA.L1).toBeGreaterThanOrEqual(floor.tierA.L1);
    expect(tierA.L2).toBeGreaterThanOrEqual(floor.tierA.L2);
    expect(tierA.L3).toBeGreaterThanOrEqual(floor.tierA.L3);
  });
});
