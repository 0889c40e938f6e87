/**
 * Recorded oracle cases (test/oracle/cases, written by `npm run oracle`): each payload goes through
 * createValidationService and is scored against the HL7 Java validator's recorded outcome (L1 verdict, L2 counts).
 * test/oracle/expectations.json pins the level each case reached when it was last updated: a case that agreed and
 * now disagrees fails (a regression), and so does a disagreement that now agrees until the pin is updated
 * (`npm run oracle -- --update-expectations`), so progress is recorded. No Java is needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationService } from '../../src/index.js';
import { createAdsValidator, validateWithAds } from '../../tools/oracle/ads-side.js';
import { caseKey, loadCases, loadExpectations } from '../../tools/oracle/cases.js';
import { levelOf, score } from '../../tools/oracle/score.js';

const cases = loadCases();
const pins = loadExpectations();

describe('oracle: recorded cases against the pinned agreement', () => {
  let service: ValidationService;
  beforeAll(async () => {
    service = (await createAdsValidator()).service;
  });

  it('pins every recorded case, and nothing else', () => {
    expect(Object.keys(pins).sort()).toEqual(cases.map(caseKey).sort());
    for (const c of cases) expect(pins[caseKey(c)]?.family).toBe(c.family);
  });

  it.each(cases.map((c) => [caseKey(c), c] as const))('%s', (key, c) => {
    const ads = validateWithAds(service, c.payload, c.format);
    const s = score(c.reference.issues, ads.issues);
    const now = levelOf(s);
    const pinned = pins[key]?.level;
    const rank = { none: 0, L1: 1, L2: 2 } as const;
    const why =
      pinned !== undefined && rank[now] > rank[pinned]
        ? 'agrees better than pinned: record it with npm run oracle -- --update-expectations'
        : 'agrees less than pinned (regression)';
    expect(now, `${key} (${c.mutation}): reference e${s.reference.errors}/w${s.reference.warnings}, ads-fhir e${s.ads.errors}/w${s.ads.warnings}; ${why}`).toBe(pinned);
  });
});
