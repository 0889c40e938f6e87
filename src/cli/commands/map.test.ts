import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../submission/index.js';
import { register, runMap } from './map.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ads-map-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io(tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t), isTTY: tty, columns: 100 } } };
}

const CAD = 'examples/mappings/cad.mapping.json';

describe('ads-fhir map', () => {
  it('exits 0 when every record went into a bundle, and draws progress on a terminal only', async () => {
    const t = io(true);
    const code = await runMap('examples/cad-extract.csv', { mapping: CAD, out: join(dir, 'out'), ndjson: true, report: join(dir, 'report.json') }, t.io);
    expect(code).toBe(0);
    expect(t.out.join('')).toContain('bundles written: 5');
    expect(t.err.join('')).toMatch(/\[#+\] 100% 8 records 5 bundles/);
    expect((await readdir(join(dir, 'out'))).length).toBe(6);
    expect(JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))).toMatchObject({ bundlesWritten: 5 });
    const plain = io(false);
    expect(await runMap('examples/cad-extract.csv', { mapping: CAD, out: join(dir, 'again') }, plain.io)).toBe(0);
    expect(plain.err).toEqual([]);
  });

  it('exits 1 when some records are invalid or skipped, naming rows and columns but no values', async () => {
    const csv = (await readFile('examples/cad-extract.csv', 'utf8')).replace('29/03/2026 00:52:10', '29/03/2026 01:52:10').replace('9990000212', '9990000213');
    await writeFile(join(dir, 'bad.csv'), csv);
    const t = io();
    expect(await runMap(join(dir, 'bad.csv'), { mapping: CAD, out: join(dir, 'out') }, t.io)).toBe(1);
    const text = t.out.join('');
    expect(text).toContain('row 2 call.connectedAt (CallConnected): is a local time skipped by the clock change in Europe/London');
    expect(text).toContain('row 3 patient.nhsNumber.value (NHSNumber): the NHS number check digit is wrong');
    expect(text).not.toContain('9990000213');
  });

  it('exits 2 on a mapping error, a format mismatch or a missing extract, writing nothing', async () => {
    await writeFile(join(dir, 'broken.json'), JSON.stringify({ input: { format: 'csv' }, grouping: { call: { column: 'A' } }, items: { 'call.cadId': { column: 'A' } } }));
    const t = io();
    expect(await runMap('examples/cad-extract.csv', { mapping: join(dir, 'broken.json'), out: join(dir, 'out') }, t.io)).toBe(2);
    expect(t.err.join('')).toContain('the required ADS item call.origin (ADS2B call origin) has no source');
    expect(await runMap('examples/epcr-extract.json', { mapping: CAD, out: join(dir, 'out') }, io().io)).toBe(2);
    expect(await runMap(join(dir, 'none.csv'), { mapping: CAD, out: join(dir, 'out') }, io().io)).toBe(2);
    await writeFile(join(dir, 'semi.csv'), (await readFile('examples/cad-extract.csv', 'utf8')).replaceAll(',', ';'));
    const semi = io();
    expect(await runMap(join(dir, 'semi.csv'), { mapping: CAD, out: join(dir, 'out') }, semi.io)).toBe(2);
    expect(semi.out.join('')).toContain('stopped: the header has one column: the extract seems delimited by ";"');
    expect(await readdir(join(dir, 'out')).catch(() => [])).toEqual([]);
  });

  it('--enqueue queues exactly the bundles it wrote in the outbox, for submit to deliver', async () => {
    const csv = (await readFile('examples/cad-extract.csv', 'utf8')).replace('9990000212', '9990000213');
    await writeFile(join(dir, 'one-bad.csv'), csv);
    const box = join(dir, 'outbox.sqlite');
    const t = io();
    expect(await runMap(join(dir, 'one-bad.csv'), { mapping: CAD, out: join(dir, 'out'), enqueue: box }, t.io)).toBe(1);
    expect(t.out.join('')).toContain(`bundles queued: 4 (in ${box}`);
    const outbox = Outbox.open(box);
    try {
      expect(outbox.status()).toMatchObject({ queued: 4, total: 4 });
      const written = await Promise.all((await readdir(join(dir, 'out'))).map(async (f) => JSON.parse(await readFile(join(dir, 'out', f), 'utf8')).id));
      const queued = outbox.list({ states: ['queued'] }).map((e) => JSON.parse(outbox.payload(e.id)!).id);
      expect(queued.sort()).toEqual(written.sort());
    } finally {
      outbox.close();
    }

    const again = io();
    expect(await runMap('examples/cad-extract.csv', { mapping: CAD, out: join(dir, 'again'), enqueue: join(dir, 'no-such-dir', 'x', 'outbox.sqlite'), json: true }, again.io)).toBe(0);
    expect(JSON.parse(again.out.join(''))).toMatchObject({ bundlesWritten: 5, queued: 5 });
  });

  it('registers the subcommand with its options', () => {
    const program = new Command();
    register(program);
    const map = program.commands.find((c) => c.name() === 'map')!;
    expect(map.options.map((o) => o.long)).toEqual(['--mapping', '--out', '--output', '--ndjson', '--report', '--json', '--verbose', '--no-validate', '--enqueue', '--audit-db', '--audit-key-file', '--user', '--role']);
  });
});
