import { describe, expect, it } from 'vitest';
import { DefaultNotificationParser, encodeDefaultNotification } from './notifications.js';

const parser = new DefaultNotificationParser();

describe('DefaultNotificationParser', () => {
  it('parses what encodeDefaultNotification writes', () => {
    const body = encodeDefaultNotification({
      submissionRef: { bundleId: 'b-1' },
      status: 'accepted',
      outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] },
    });
    expect(parser.parse(body, {})).toEqual({
      submissionRef: { bundleId: 'b-1' },
      status: 'accepted',
      issues: [{ severity: 'information', code: 'informational' }],
    });
  });

  it('falls back to mex-LocalID for the receipt id', () => {
    const body = Buffer.from(JSON.stringify({ format: 'ads-fhir-submission-notification', version: 1, status: 'rejected', outcome: { resourceType: 'OperationOutcome', issue: [] } }));
    expect(parser.parse(body, { 'mex-localid': 'r-9' })?.submissionRef).toEqual({ receiptId: 'r-9' });
    expect(parser.parse(body, {})).toBeUndefined();
  });

  it('returns undefined for anything that is not the default format', () => {
    const bad = [
      '',
      'not json',
      '[]',
      JSON.stringify({ format: 'other', version: 1, status: 'rejected', submission: { receiptId: 'x' } }),
      JSON.stringify({ format: 'ads-fhir-submission-notification', version: 2, status: 'rejected', submission: { receiptId: 'x' } }),
      JSON.stringify({ format: 'ads-fhir-submission-notification', version: 1, status: 'maybe', submission: { receiptId: 'x' } }),
      JSON.stringify({ format: 'ads-fhir-submission-notification', version: 1, status: 'rejected', submission: { receiptId: 'x' }, outcome: { resourceType: 'Patient' } }),
    ];
    for (const b of bad) expect(parser.parse(Buffer.from(b), {})).toBeUndefined();
  });

  it('drops malformed issues instead of failing', () => {
    const body = Buffer.from(
      JSON.stringify({
        format: 'ads-fhir-submission-notification',
        version: 1,
        status: 'rejected',
        submission: { receiptId: 'x' },
        outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'loud', code: 'x' }, 'junk', { severity: 'error', code: 'invalid' }] },
      }),
    );
    expect(parser.parse(body, {})?.issues).toEqual([{ severity: 'error', code: 'invalid' }]);
  });
});
