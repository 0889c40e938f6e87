import type { Bundle } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { demoBundles, runDemo } from '../src/cli/demo/index.js';

/** Every identifier value and birth date in the demo's bundles: none may reach the demo's output. */
function patientValues(): string[] {
  const values: string[] = [];
  for (const { bundle } of demoBundles()) {
    for (const entry of (bundle as Bundle).entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType !== 'Patient') continue;
      for (const id of r.identifier ?? []) if (id.value) values.push(id.value);
      if (r.birthDate) values.push(r.birthDate);
      for (const a of r.address ?? []) if (a.postalCode) values.push(a.postalCode);
    }
  }
  return values;
}

describe('the demo', () => {
  it('submits the examples and a broken bundle, reconciles MESH notifications and loses nothing', async () => {
    const lines: string[] = [];
    const result = await runDemo({ log: (line) => lines.push(line), notificationDelayMs: 20 });

    expect(result.problems).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.rows.map((r) => r.name)).toEqual([
      'conveyed-to-ed',
      'road-traffic-collision',
      'stop-code-no-response',
      'transferred-from-111',
      'cardiac-arrest',
      'found-deceased',
      'broken/dangling-reference',
    ]);
    const good = result.rows.filter((r) => !r.name.startsWith('broken/'));
    for (const row of good) {
      expect(row).toMatchObject({ localErrors: 0, status: 'confirmed', notifiedIssues: 0 });
      expect(row.receiptId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const broken = result.rows.find((r) => r.name === 'broken/dangling-reference')!;
    expect(broken).toMatchObject({ status: 'rejected' });
    expect(broken.notifiedIssues).toBeGreaterThanOrEqual(1);
    // The dangling subject itself, then whatever refers to the patient contact that now fails its profile.
    expect(broken.reason).toContain('error not-found [ADSFHIR_REFERENCE_URN_NOT_IN_BUNDLE] @ Bundle.entry[7].resource.subject');

    // Nothing lost: every bundle reached the stand-in once, and every notification matched.
    expect(new Set(result.rows.map((r) => r.bundleId)).size).toBe(7);
    expect(result.received).toEqual({ received: 7, distinct: 7, duplicates: 0 });
    expect(result.notifications).toEqual({ rejected: 1, confirmed: 6, unmatched: 0, acknowledged: 7 });

    const output = lines.join('\n');
    expect(output).toContain('broken/dangling-reference');
    expect(output).toContain(broken.receiptId!);
    const leaked = patientValues().filter((v) => output.includes(v));
    expect(patientValues().length).toBeGreaterThan(3);
    expect(leaked).toEqual([]);
    expect(output).not.toContain('not in the bundle'); // the free-text diagnostics stay out
  });

  it('reports a bundle the service rejects although the local check passed it, with exit code 1', async () => {
    // The local check passes everything; on its second look (inside the stand-in) the first bundle fails.
    const looks = new Map<string, number>();
    let first: string | undefined;
    const result = await runDemo({
      notificationDelayMs: 0,
      validate: (bundle) => {
        const id = (bundle as Bundle).id!;
        first ??= id;
        looks.set(id, (looks.get(id) ?? 0) + 1);
        const fails = id === first && looks.get(id)! > 1;
        return { resourceType: 'OperationOutcome', issue: fails ? [{ severity: 'error', code: 'invalid', expression: ['Bundle'] }] : [] };
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.problems).toEqual(['conveyed-to-ed: rejected, expected confirmed']);
    expect(result.rows[0]).toMatchObject({ status: 'rejected', reason: '1 issue: error invalid @ Bundle' });
  });
});
