/**
 * The checked-in API report (`api/*.api.md`) matches the current public surface, so the surface changes only on
 * purpose: a change of an exported name, kind or signature, or a name added to a folder index, fails here until
 * the report is regenerated and the diff reviewed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicEntries } from '../../tools/entries.js';
import { readSurfaces, type Surfaces } from '../../tools/api-surface.js';
import { API_DIR, renderReportFiles } from '../../tools/api-render.js';
import { importSource } from './helpers.js';

const FIX = 'run `npm run api:report` and review the diff';

describe('API report', () => {
  let surfaces: Surfaces;
  let files: Map<string, string>;
  beforeAll(() => {
    surfaces = readSurfaces(publicEntries());
    files = renderReportFiles(surfaces);
  });

  it('is checked in for every entry point and the internal names, and matches the current surface', () => {
    const differing = [...files].filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text).map(([file]) => file);
    expect(differing, `the public API differs from the checked-in report in ${differing.join(', ')}: ${FIX}`).toEqual([]);
  });

  it('holds no report of an entry point that is gone', () => {
    const stale = readdirSync(API_DIR).map((f) => `${API_DIR}/${f}`).filter((f) => f.endsWith('.api.md') && !files.has(f));
    expect(stale, `stale reports: ${FIX}`).toEqual([]);
  });

  it('names as run-time values exactly what each entry exports at run time', async () => {
    for (const { entry, names } of surfaces.entries) {
      const mod = await importSource(entry.source);
      expect(Object.keys(mod).sort(), entry.specifier).toEqual(names.filter((n) => n.runtime).map((n) => n.name).sort());
    }
  });

  it('lists every exported name of an entry once, with a kind and a declaration', () => {
    for (const { entry, names } of surfaces.entries) {
      expect(new Set(names.map((n) => n.name)).size, entry.specifier).toBe(names.length);
      for (const n of names) {
        expect(n.kind, `${entry.specifier} ${n.name}`).not.toBe('unknown');
        expect(n.declaration, `${entry.specifier} ${n.name}`).toMatch(/\b(class|interface|type|function|const|let|enum|namespace)\b/);
      }
    }
  });
});
