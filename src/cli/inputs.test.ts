import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { globToRegExp, ignoreMatcher } from './ignore.js';
import { detectFormat, expandPaths, readPayloads, UsageError, type Payload, type UnreadablePayload } from './inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'ads-inputs-'));
mkdirSync(join(dir, 'sub'));
mkdirSync(join(dir, 'empty'));
writeFileSync(join(dir, 'a.json'), '\uFEFF{"resourceType":"Patient"}');
writeFileSync(join(dir, 'sub', 'b.xml'), '<Patient xmlns="http://hl7.org/fhir"/>');
writeFileSync(join(dir, 'sub', 'notes.txt'), 'ignored');
writeFileSync(join(dir, 'c.ndjson'), '{"resourceType":"Patient"}\n\n{"resourceType":"Observation"}\n');
writeFileSync(join(dir, 'bin.json'), Buffer.from([0x7b, 0x00, 0x01, 0x02]));
writeFileSync(join(dir, 'big.json'), '{"a":"' + 'x'.repeat(2000) + '"}');
mkdirSync(join(dir, 'cases', 'old'), { recursive: true });
writeFileSync(join(dir, 'cases', 'one.json'), '{}');
writeFileSync(join(dir, 'cases', 'one.expect.json'), '{}');
writeFileSync(join(dir, 'cases', 'old', 'two.json'), '{}');

async function collect(file: string, maxBytes = 1000, stdin?: NodeJS.ReadableStream) {
  const out: Array<Payload | UnreadablePayload> = [];
  for await (const p of readPayloads(file, { maxBytes, ...(stdin ? { stdin } : {}) })) out.push(p);
  return out;
}

describe('command-line inputs', () => {
  it('expands folders recursively to payload files only, and globs', async () => {
    const files = await expandPaths([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.json', 'big.json', 'bin.json', 'c.ndjson', 'cases/old/two.json', 'cases/one.json', 'sub/b.xml']);
    expect(await expandPaths([join(dir, '*.ndjson')])).toEqual([join(dir, 'c.ndjson')]);
  });
  it('takes an existing path literally even when it holds pattern characters', async () => {
    const odd = join(dir, 'sub', 'copy (1) [a].json');
    writeFileSync(odd, '{"resourceType":"Patient"}');
    expect(await expandPaths([odd])).toEqual([odd]);
  });
  it('refuses missing paths, empty folders and patterns that match nothing as usage errors', async () => {
    await expect(expandPaths([join(dir, 'nope.json')])).rejects.toBeInstanceOf(UsageError);
    await expect(expandPaths([join(dir, 'empty')])).rejects.toThrow(/holds no .json/);
    await expect(expandPaths([join(dir, '*.zzz')])).rejects.toThrow(/No file matches/);
  });
  it('reads one payload per file, strips a BOM and detects the format', async () => {
    expect(await collect(join(dir, 'a.json'))).toEqual([{ name: join(dir, 'a.json'), format: 'json', text: '{"resourceType":"Patient"}' }]);
    expect((await collect(join(dir, 'sub', 'b.xml')))[0]).toMatchObject({ format: 'xml' });
    expect(detectFormat('  <x/>', 'a.json')).toBe('xml');
  });
  it('reads NDJSON line by line, naming each by its line number', async () => {
    const names = (await collect(join(dir, 'c.ndjson'))).map((p) => p.name);
    expect(names).toEqual([`${join(dir, 'c.ndjson')}:1`, `${join(dir, 'c.ndjson')}:2`, `${join(dir, 'c.ndjson')}:3`]);
  });
  it('turns binary and oversized files into unreadable payloads, not crashes', async () => {
    expect((await collect(join(dir, 'bin.json')))[0]).toMatchObject({ problem: expect.stringMatching(/binary/) });
    expect((await collect(join(dir, 'big.json')))[0]).toMatchObject({ problem: expect.stringMatching(/over the limit/) });
  });
  it('reads stdin with the same limit', async () => {
    expect(await collect('-', 1000, Readable.from(['{"resourceType":', '"Patient"}']))).toEqual([{ name: '-', format: 'json', text: '{"resourceType":"Patient"}' }]);
    expect((await collect('-', 5, Readable.from(['{"resourceType":"Patient"}'])))[0]).toMatchObject({ problem: expect.stringMatching(/larger/) });
  });

  it('leaves the expected outcomes of examples (*.expect.json) out of folders, but reads them when named or matched', async () => {
    const cases = join(dir, 'cases');
    expect(await expandPaths([cases])).toEqual([join(cases, 'old', 'two.json'), join(cases, 'one.json')]);
    expect(await expandPaths([join(cases, 'one.expect.json')])).toEqual([join(cases, 'one.expect.json')]);
    expect(await expandPaths([join(cases, '*.json')])).toEqual([join(cases, 'one.expect.json'), join(cases, 'one.json')]);
  });
  it('leaves out what --ignore matches, by file name or by path, in folders and patterns', async () => {
    const cases = join(dir, 'cases');
    expect(await expandPaths([cases], { ignore: ['two.json'] })).toEqual([join(cases, 'one.json')]);
    expect(await expandPaths([cases], { ignore: [join(cases, 'old')] })).toEqual([join(cases, 'one.json')]);
    expect(await expandPaths([join(cases, '*.json')], { ignore: ['*.expect.*'] })).toEqual([join(cases, 'one.json')]);
    await expect(expandPaths([cases], { ignore: ['*.json'] })).rejects.toThrow(/not ignored/);
    await expect(expandPaths([join(cases, '*.json')], { ignore: ['*'] })).rejects.toBeInstanceOf(UsageError);
  });
  it('matches ignore patterns as globs: *, **, ?, {a,b} and [...]', () => {
    expect(globToRegExp('*.json').test('a.json')).toBe(true);
    expect(globToRegExp('*.json').test('x/a.json')).toBe(false);
    expect(globToRegExp('a/**/b.json').test('a/b.json')).toBe(true);
    expect(globToRegExp('a/**/b.json').test('a/x/y/b.json')).toBe(true);
    expect(globToRegExp('a/**').test('a/x/y')).toBe(true);
    expect(globToRegExp('f?.{xml,json}').test('f1.xml')).toBe(true);
    expect(globToRegExp('f[0-9].json').test('fa.json')).toBe(false);
    expect(globToRegExp('a.b+c(d)').test('a.b+c(d)')).toBe(true);
    const ignored = ignoreMatcher(['tmp', 'payloads/old/']);
    expect(ignored('x/tmp/a.json')).toBe(true);
    expect(ignored('payloads/old/a.json')).toBe(true);
    expect(ignored('./payloads/new/a.json')).toBe(false);
  });
});
