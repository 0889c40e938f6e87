/**
 * Imports shown in the README and docs/*.md name an entry point that exists and names it exports, so the guides
 * stay true when the public API changes. Checked against the API report (itself checked against the source).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportPath } from '../../tools/api-render.js';
import { publicEntries } from '../../tools/entries.js';

const exported = new Map(publicEntries().map((e) => {
  const report = readFileSync(reportPath(e), 'utf8');
  return [e.specifier, new Set([...report.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!))];
}));

const guides = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** `import { a, type B, c as d } from 'ads-fhir/x'` in the TypeScript blocks of a guide: the specifier and names. */
function importsOf(markdown: string): { specifier: string; names: string[] }[] {
  const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((code) =>
    [...code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(ads-fhir(?:\/[a-z-]+)?)'/g)].map((m) => ({
      specifier: m[2]!,
      names: m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!).filter(Boolean),
    })),
  );
}

describe('imports in the guides', () => {
  it('finds the guides that show imports', () => {
    expect(guides.filter((g) => importsOf(readFileSync(g, 'utf8')).length > 0).length).toBeGreaterThan(5);
  });

  it.each(guides)('%s imports only exported names of existing entry points', (guide) => {
    for (const { specifier, names } of importsOf(readFileSync(guide, 'utf8'))) {
      const names_ = exported.get(specifier);
      expect(names_, `${guide}: ${specifier} is not an entry point`).toBeDefined();
      for (const name of names) expect(names_!.has(name), `${guide}: ${specifier} does not export ${name}`).toBe(true);
    }
  });
});
