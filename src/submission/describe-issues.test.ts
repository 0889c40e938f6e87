import { describe, expect, it } from 'vitest';
import { describeIssues } from './index.js';

describe('describeIssues', () => {
  it('lists the issues that explain a rejection first, keeping the order within a severity', () => {
    const text = describeIssues([
      { severity: 'information', code: 'informational', expression: ['Bundle.entry[1]'] },
      { severity: 'warning', code: 'code-invalid', expression: ['Bundle.entry[2]'] },
      { severity: 'error', code: 'required', expression: ['Bundle.entry[3]'] },
      { severity: 'information', code: 'informational', expression: ['Bundle.entry[4]'] },
      { severity: 'fatal', code: 'structure' },
    ]);
    expect(text).toBe(
      '5 issues: fatal structure; error required @ Bundle.entry[3]; warning code-invalid @ Bundle.entry[2]; information informational @ Bundle.entry[1]; information informational @ Bundle.entry[4]',
    );
  });
});
