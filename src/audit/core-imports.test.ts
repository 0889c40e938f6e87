import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The core records to the trail through the pure modules only: loading it must never load the SQLite store.
const CORE = ['packages', 'format', 'validation', 'terminology', 'fhirpath', 'builder', 'mapping'];
const PURE = new Set(['option.js', 'patient-ids.js', 'types.js']);
/** Defines constants only and imports nothing (checked below). */
const LEAF = '../systems/index.js';
const src = path.resolve(import.meta.dirname, '..');

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.name.endsWith('.test.ts'))
    .map((f) => path.join(f.parentPath, f.name));
}

describe('core imports of the audit folder', () => {
  it('name only its pure modules', () => {
    const seen: string[] = [];
    for (const folder of CORE) {
      for (const file of sources(path.join(src, folder))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/from '([^']*\/audit\/[^']*)'/g)) {
          const target = path.resolve(path.dirname(file), m[1]!);
          seen.push(`${path.relative(src, file)} -> ${path.basename(target)}`);
          expect(path.dirname(target)).toBe(path.join(src, 'audit'));
          expect(PURE.has(path.basename(target)), `${file} imports ${m[1]}`).toBe(true);
        }
      }
    }
    expect(seen.some((s) => s.startsWith(`validation${path.sep}`))).toBe(true);
    expect(seen.some((s) => s.startsWith(`builder${path.sep}`))).toBe(true);
  });

  it('the pure modules import nothing but each other and the leaf module of system URLs', () => {
    for (const name of PURE) {
      const imports = [...readFileSync(path.join(src, 'audit', name.replace(/\.js$/, '.ts')), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const i of imports) expect((PURE.has(path.basename(i)) && i.startsWith('./')) || i === LEAF, `${name} imports ${i}`).toBe(true);
    }
    // The system URLs may be shared only while their module stays a leaf (it then loads nothing else).
    expect(readFileSync(path.join(src, 'systems', 'index.ts'), 'utf8')).not.toMatch(/\bfrom '|\bimport\(/);
  });
});
