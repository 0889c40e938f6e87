import { describe, expect, it } from 'vitest';
import { audited } from './audited.js';
import type { AuditEvent } from './types.js';

describe('audited', () => {
  const base = { actor: { userId: 'u', role: 'r' }, action: 'validate' as const, recordId: 'NLO/1', patientIds: ['9434765919'] };

  it('records success and returns the result', async () => {
    const events: AuditEvent[] = [];
    expect(await audited({ record: (e) => void events.push(e) }, base, () => 42)).toBe(42);
    expect(events).toMatchObject([{ outcome: 'success', action: 'validate', recordId: 'NLO/1' }]);
  });

  it('records failure with the error code only and re-throws', async () => {
    const events: AuditEvent[] = [];
    const boom = Object.assign(new Error('patient 9434765919 is bad'), { code: 'TRIAGE_INVALID' });
    await expect(audited({ record: (e) => void events.push(e) }, base, () => Promise.reject(boom))).rejects.toBe(boom);
    expect(events).toMatchObject([{ outcome: 'failure', detail: 'TRIAGE_INVALID' }]);
    expect(JSON.stringify(events[0]!.detail)).not.toContain('9434765919');
  });

  it('works without a sink', async () => {
    expect(await audited(undefined, base, () => 'ok')).toBe('ok');
  });
});
