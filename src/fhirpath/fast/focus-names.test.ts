import { describe, expect, it } from 'vitest';
import { compileFast } from './compile.js';
import { focusNames } from './focus-names.js';
import { parseFast } from './parse.js';

const names = (expression: string) => focusNames(parseFast(expression)!)?.sort();

describe('children an expression reads', () => {
  it('are the names navigated from the node, not those below them or inside per-item criteria', () => {
    expect(names('duration.empty() or durationUnit.exists()')).toEqual(['duration', 'durationUnit']);
    expect(names("entry.where(fullUrl.exists()).select(fullUrl & resource.meta.versionId).isDistinct()")).toEqual(['entry']);
    expect(names("name.matches('[A-Z]') and code.combine(other).isDistinct()")).toEqual(['code', 'name', 'other']);
    expect(names("extension('http://x').exists()")).toEqual(['extension']);
    expect(names('value is Quantity implies value.code.exists()')).toEqual(['value']);
  });

  it('are unknown when the expression reads the node as a whole, its type or the environment', () => {
    expect(names('$this.code.exists()')).toBeUndefined();
    expect(names('children().count() > 1')).toBeUndefined();
    expect(names('hasValue() or extension.exists()')).toBeUndefined();
    expect(names("%resource.type = 'batch' or entry.empty()")).toBeUndefined();
    expect(names('Patient.name.exists()')).toBeUndefined();
    expect(names('constructor.exists()')).toBeUndefined();
  });

  it('give the JSON keys of the compiled expression: companions and the typed spellings of choice elements', () => {
    const reads = compileFast('value.empty() or system.exists()')!.reads!;
    expect(reads).toEqual(expect.arrayContaining(['value', '_value', 'valueQuantity', '_valueString', 'system', '_system']));
    expect(reads).not.toContain('systemString');
    expect(compileFast('$this.exists()')!.reads).toBeUndefined();
  });
});
