import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The folder rules of src/: arrows between capability folders run one way (no cycles), and the core
 * capabilities never reach transports, servers or the CLI. Imports are read from the source text
 * (static `import ... from`, `export ... from` and dynamic `import('...')` of relative paths);
 * type-only imports count too, since a type cycle is still a design cycle.
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Folders that make up the core: usable offline, with no network, server or CLI code. */
const CORE = ['packages', 'format', 'validation', 'terminology', 'fhirpath', 'builder', 'mapping', 'plugin-types', 'json-schema', 'systems'];
/** What the core must never import: transports, servers, the CLI and the SQLite audit store. */
const OUTER = ['submission', 'mesh', 'cqi', 'server', 'cli', 'audit/sqlite-audit-store.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [full] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Relative imports of each file under src/, as paths relative to src/ with `.ts` endings. */
function importsBySrcFile(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      const resolved = path.relative(SRC, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts');
      if (!resolved.startsWith('..')) targets.push(resolved.split(path.sep).join('/'));
    }
    out.set(path.relative(SRC, file).split(path.sep).join('/'), targets);
  }
  return out;
}

/** The top-level folder of a path relative to src/ (files at the root of src/ are their own unit). */
const folderOf = (rel: string): string => (rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : rel);

/** Edges between folders, each with one file-level import that makes it (for the failure message). */
function folderGraph(imports: Map<string, string[]>): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const [file, targets] of imports) {
    const from = folderOf(file);
    if (!from.includes('/') && file === from) continue; // src/index.ts re-exports everything by design
    for (const t of targets) {
      const to = folderOf(t);
      if (to === from || !t.includes('/')) continue;
      const edges = graph.get(from) ?? graph.set(from, new Map()).get(from)!;
      if (!edges.has(to)) edges.set(to, `${file} -> ${t}`);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('architecture of src/', () => {
  const imports = importsBySrcFile();
  const graph = folderGraph(imports);

  it('reads the imports of the source tree', () => {
    // Guards the parser: the validator's folder imports the plug-in contract and the packages.
    expect(graph.get('validation')?.has('plugin-types')).toBe(true);
    expect(graph.get('validation')?.has('packages')).toBe(true);
  });

  it('has no import cycle between folders', () => {
    const described = cycles(graph).map((c) =>
      c.map((from) => c.filter((to) => graph.get(from)?.has(to)).map((to) => graph.get(from)!.get(to)!)).flat().join('\n  '),
    );
    expect(described).toEqual([]);
  });

  it('keeps the core free of transports, servers and the CLI', () => {
    const offending: string[] = [];
    for (const [file, targets] of imports) {
      if (!CORE.includes(folderOf(file))) continue;
      for (const t of targets) if (OUTER.some((o) => t === o || t.startsWith(`${o}/`))) offending.push(`${file} -> ${t}`);
    }
    expect(offending).toEqual([]);
  });
});
