import type { TriageRecordInput } from './triage-record.js';

/**
 * A complete, valid triage record input with an NHS test-range number, for
 * examples and tests. All values are invented.
 */
export function sampleTriageInput(overrides: Partial<TriageRecordInput> = {}): TriageRecordInput {
  return {
    caseId: 'CASE-20261123-0001',
    providerOdsCode: 'NLO',
    service: '111',
    callConnectedAt: '2026-11-23T17:00:05Z',
    assessmentEndedAt: '2026-11-23T17:12:40Z',
    symptomGroup: '1011',
    symptomDiscriminator: '4052',
    dispositionCode: 'Dx011',
    dispositionAt: '2026-11-23T17:12:30Z',
    finalOutcome: 'Ambulance dispatched',
    nhsNumber: '9434765919',
    ...overrides,
  };
}
