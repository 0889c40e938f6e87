/**
 * The reference validator's best-practice recommendations on Observations (ObservationValidator): a subject,
 * a performer and an effective[x], reported at the Observation at the best-practice level asked for, through
 * createValidationService.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../../src/validation/index.js';
import { found, service } from './helpers.js';

const RULES = ['All_observations_should_have_a_subject', 'All_observations_should_have_a_performer', 'All_observations_should_have_an_effectiveDateTime_or_an_effectivePeriod'];
const bare = { resourceType: 'Observation', status: 'final', code: { text: 'pulse' } };
const full = { ...bare, subject: { display: 'a patient' }, performer: [{ display: 'a paramedic' }], effectiveInstant: '2026-01-02T10:00:00Z' };

let warn: ValidationService;
let hint: ValidationService;
beforeAll(async () => {
  const reuse = (await service()).store;
  warn = await createValidationService({ reuse, bestPractice: 'warning' });
  hint = await createValidationService({ reuse, bestPractice: 'hint' });
});

describe('Observation best-practice recommendations', () => {
  it('an Observation without subject, performer or effective[x] gets one recommendation each, at the Observation', () => {
    expect(found(warn.validate(bare), RULES)).toEqual(RULES.map((rule) => ({ severity: 'warning', rule, at: 'Observation' })));
  });

  it('any effective[x] type and any performer count', () => {
    expect(found(warn.validate(full), RULES)).toEqual([]);
    expect(found(warn.validate({ ...full, effectiveInstant: undefined, effectivePeriod: { start: '2026-01-02' } }), RULES)).toEqual([]);
    expect(found(warn.validate({ ...full, performer: [] }), RULES)).toEqual([{ severity: 'warning', rule: RULES[1], at: 'Observation' }]);
  });

  it('follows the level asked for, and Observations inside a Bundle are judged where they are', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:0b4cf2a6-3b3e-4a8e-9d55-6b7b3b0c7a01', resource: { ...full, subject: undefined } }] };
    expect(found(hint.validate(bundle), RULES)).toEqual([{ severity: 'information', rule: RULES[0], at: 'Bundle.entry[0].resource' }]);
  });

  it('are off when no level is asked for, and with ignore', async () => {
    expect(found((await service()).validate(bare), RULES)).toEqual([]);
    const ignore = await createValidationService({ reuse: (await service()).store, bestPractice: 'ignore' });
    expect(found(ignore.validate(bare), RULES)).toEqual([]);
  });
});
