import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readCoreBundle } from '../packages/core-r4.js';
import { buildFormatModel, coreFormatModel, findChild, formatCacheFile, type ModelType } from './model.js';

function type(name: string): ModelType {
  const t = coreFormatModel().types.get(name);
  if (!t) throw new Error(`no ${name}`);
  return t;
}

describe('R4 format model', () => {
  it('knows cardinality, choices, attributes, primitive kinds and content references', () => {
    expect(findChild(type('Patient'), 'name')?.element.array).toBe(true);
    expect(findChild(type('Patient'), 'birthDate')?.element.array).toBe(false);
    expect(findChild(type('Observation'), 'valueQuantity')).toMatchObject({ type: 'Quantity', element: { name: 'value', choice: true } });
    expect(findChild(type('Observation'), 'value')).toBeUndefined();
    expect(findChild(type('Extension'), 'url')?.element.attribute).toBe(true);
    expect(findChild(type('Patient'), 'id')?.element.attribute).toBe(false);
    expect(type('positiveInt').primitive).toBe('integer');
    expect(type('unsignedInt').primitive).toBe('integer');
    expect(type('decimal').primitive).toBe('decimal');
    expect(type('boolean').primitive).toBe('boolean');
    expect(type('date').primitive).toBe('string');
    expect(findChild(type('Questionnaire.item'), 'item')?.type).toBe('Questionnaire.item');
    expect(findChild(type('Bundle.entry'), 'resource')?.type).toBe('Resource');
    expect(type('DomainResource').abstract).toBe(true);
    // Definition order drives XML output: Resource elements first, then DomainResource, then Patient's own.
    expect(type('Patient').elements.slice(0, 9).map((e) => e.name)).toEqual([
      'id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension', 'identifier',
    ]);
  });

  it('caches the compiled model (0600) so later processes skip the 35 MB definitions, and reads back what it built', () => {
    coreFormatModel();
    const file = formatCacheFile();
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length - 1).toBe(coreFormatModel().types.size);
    // A process that reads the cache (types parsed as they are asked for) sees the model built from the definitions.
    const built = buildFormatModel(
      [...readCoreBundle('profiles-types.json'), ...readCoreBundle('profiles-resources.json')].filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition'),
    );
    const script = `const { coreFormatModel } = await import(${JSON.stringify(new URL('./model.ts', import.meta.url).href)});
      const types = coreFormatModel().types; const first = types.get('Patient');
      console.log(JSON.stringify({ first, has: types.has('Observation'), missing: types.get('NoSuchType') ?? null, all: [...types.values()] }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const read = JSON.parse(run.stdout) as { first: ModelType; has: boolean; missing: null; all: ModelType[] };
    expect(read.first).toEqual(built.find((t) => t.name === 'Patient'));
    expect([read.has, read.missing]).toEqual([true, null]);
    expect(read.all).toEqual(built);
    // The false flags are left out of the file and put back on reading: every element has all three.
    for (const t of coreFormatModel().types.values()) {
      for (const e of t.elements) expect([typeof e.array, typeof e.choice, typeof e.attribute], `${t.name}.${e.name}`).toEqual(['boolean', 'boolean', 'boolean']);
    }
  });
});
