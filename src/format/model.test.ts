import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreFormatModel, findChild, formatCacheFile, type ModelType } from './model.js';

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

  it('caches the compiled model so later processes skip the 35 MB definitions', () => {
    coreFormatModel();
    const file = formatCacheFile();
    expect(existsSync(file)).toBe(true);
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { types: unknown[] };
    expect(cached.types.length).toBe(coreFormatModel().types.size);
    // The false flags are left out of the file and put back on reading: every element has all three.
    for (const t of coreFormatModel().types.values()) {
      for (const e of t.elements) expect([typeof e.array, typeof e.choice, typeof e.attribute], `${t.name}.${e.name}`).toEqual(['boolean', 'boolean', 'boolean']);
    }
  });
});
