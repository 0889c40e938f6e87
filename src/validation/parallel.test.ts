import { describe, expect, it } from 'vitest';
import { ValidationPool, ValidationPoolError, type ParallelItem } from './parallel.js';
import { createValidationService } from './service.js';

const crashing = new URL('../../test/fixtures/crashing-worker.ts', import.meta.url);

/** A mixed NDJSON feed: valid, invalid and malformed lines, JSON and XML. */
function mixedLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    switch (i % 5) {
      case 0:
        lines.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'female', birthDate: '1980-02-29' }));
        break;
      case 1:
        lines.push(JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'nonsense', birthDate: '1981-02-29' }));
        break;
      case 2:
        lines.push(`{"resourceType": "Observation", "status": "final", "code": {"text": "x${i}"}, `);
        break;
      case 3:
        lines.push(JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'pulse' }, valueQuantity: { value: 60 + i }, unknownThing: true }));
        break;
      default:
        lines.push(`<Patient xmlns="http://hl7.org/fhir"><id value="x${i}"/><gender value="male"/></Patient>`);
    }
  }
  return lines;
}

describe('ValidationPool', () => {
  it('gives the same outcomes, in input order, as validating line by line in one thread', async () => {
    const lines = mixedLines();
    const service = await createValidationService();
    const expected = lines.map((text) => service.validateText(text).outcome);
    const items: ParallelItem[] = lines.map((text) => ({ text }));
    // An item that already has its outcome keeps its place.
    const unreadable = { outcome: { resourceType: 'OperationOutcome' as const, issue: [{ severity: 'fatal' as const, code: 'structure' as const, details: { text: 'too large' } }] } };
    items.splice(7, 0, unreadable);
    expected.splice(7, 0, unreadable.outcome);

    const pool = await ValidationPool.create({ workers: 2, batchSize: 3, batchesPerWorker: 2 });
    try {
      const got = [];
      for await (const r of pool.validate(items)) got.push(r);
      expect(got.map((r) => r.index)).toEqual(items.map((_, i) => i));
      expect(got.map((r) => r.item)).toEqual(items);
      expect(got.map((r) => r.outcome)).toEqual(expected);
      expect(expected.filter((o) => o.issue.some((i) => i.severity === 'error' || i.severity === 'fatal')).length).toBeGreaterThan(20);
      expect(pool.stats.batches).toBe(Math.ceil(items.length / 3));
      expect(pool.stats.peakWorkerHeapBytes).toBeGreaterThan(0);
      expect(pool.stats.workerBusy).toBeGreaterThan(0);
      expect(pool.stats.workerBusy).toBeLessThanOrEqual(1);
    } finally {
      await pool.close();
    }
  });

  it('reads the input only a few batches ahead of the results taken', async () => {
    let read = 0;
    function* endless(): Generator<ParallelItem> {
      for (;;) {
        read++;
        yield { text: 'ok' };
      }
    }
    const pool = await ValidationPool.create({ workers: 2, batchSize: 5, batchesPerWorker: 2, batchesAhead: 6, workerUrl: crashing });
    try {
      let taken = 0;
      let mostAhead = 0;
      for await (const _ of pool.validate(endless())) {
        mostAhead = Math.max(mostAhead, read - taken);
        if (++taken === 300) break;
      }
      // 6 batches of 5 payloads read but not yet taken, however long the input.
      expect(mostAhead).toBe(30);
    } finally {
      await pool.close();
    }
  });

  it('reports the payloads of a worker that crashed and carries on with a new worker', async () => {
    const pool = await ValidationPool.create({ workers: 1, batchSize: 2, workerUrl: crashing });
    try {
      const texts = ['a', 'b', 'c', 'CRASH', 'e', 'f', 'THROW', 'h'];
      const got = [];
      for await (const r of pool.validate(texts.map((text) => ({ text })))) got.push(r);
      const fatal = got.filter((r) => r.outcome.issue.some((i) => i.severity === 'fatal')).map((r) => r.item.text);
      // Only the batch a worker was validating is lost; the batch queued behind it goes to the new worker.
      expect(fatal).toEqual(['c', 'CRASH', 'THROW', 'h']);
      expect(got.find((r) => r.item.text === 'CRASH')?.outcome.issue[0]?.details?.text).toMatch(/worker stopped unexpectedly \(exit code 3\)/);
      expect(got.find((r) => r.item.text === 'THROW')?.outcome.issue[0]?.details?.text).toMatch(/worker blew up/);
      expect(pool.stats.restarts).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('fails with a ValidationPoolError instead of hanging once no worker is left', async () => {
    const pool = await ValidationPool.create({ workers: 1, batchSize: 1, maxRestarts: 0, workerUrl: crashing });
    try {
      const got: string[] = [];
      const run = async () => {
        for await (const r of pool.validate(['a', 'CRASH', 'c', 'd'].map((text) => ({ text })))) got.push(r.item.text);
      };
      await expect(run()).rejects.toThrow(ValidationPoolError);
      expect(got).toContain('a');
    } finally {
      await pool.close();
    }
  });

  it('rejects creation when a worker cannot load its packages', async () => {
    await expect(ValidationPool.create({ workers: 2, workerUrl: crashing, profiles: ['fail-to-start'] })).rejects.toThrow(/could not load its packages: no such package/);
  });
});
