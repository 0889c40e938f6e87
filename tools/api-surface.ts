/**
 * The public API surface of each entry point, read with the TypeScript compiler API: every exported name, its
 * kind and its declaration as the `.d.ts` a user receives would spell it (comments and private members left out).
 * `npm run api:report` writes it to `api/<entry>.api.md`; a test compares the checked-in files with it, so the
 * surface changes only on purpose.
 *
 * Only the entry files are given to the compiler (it follows their imports), and the checker is asked only about
 * the exported declarations, so a report takes a few seconds.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { declarationText } from './api-declarations.js';
import type { PublicEntry } from './entries.js';

export interface ExportedName {
  name: string;
  /** class, interface, type, function, const, let, enum, namespace. */
  kind: string;
  /** Exported with `export type`: there is nothing of it at run time. */
  typeOnly: boolean;
  /** Has a value at run time (a class, function, constant, enum), unless type-only. */
  runtime: boolean;
  /** The declarations as in the emitted `.d.ts`, without `export` and comments. */
  declaration: string;
}

export interface EntrySurface {
  entry: PublicEntry;
  names: ExportedName[];
}

/** A folder's index and the names it exports that no public entry exports. */
export interface InternalNames {
  index: string;
  names: { name: string; kind: string }[];
}

export interface Surfaces {
  entries: EntrySurface[];
  internal: InternalNames[];
}

/**
 * Reads the surface of every entry, and what each folder index (`src/<folder>/index.ts`) exports beyond it,
 * in one compiler program. A name is public when its declaration is exported by an entry under any name.
 */
export function readSurfaces(entries: readonly PublicEntry[], root: string = process.cwd()): Surfaces {
  const indexes = folderIndexes(root);
  const program = createProgram([...entries.map((e) => resolve(root, e.source)), ...indexes.map((i) => resolve(root, i))], root);
  const checker = program.getTypeChecker();
  const exportsOf = (file: string): ts.Symbol[] => {
    const source = program.getSourceFile(resolve(root, file));
    if (!source) throw new Error(`api report: ${file} does not exist`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    return moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  };
  const published = new Set<ts.Symbol>();
  const surfaces = entries.map((entry) => {
    const exported = exportsOf(entry.source);
    for (const symbol of exported) published.add(declared(symbol, checker));
    return { entry, names: byName(exported.map((symbol) => describe(symbol, checker))) };
  });
  const internal = indexes.map((index) => ({
    index,
    names: byName(exportsOf(index)
      .filter((symbol) => !published.has(declared(symbol, checker)))
      .map((symbol) => ({ name: symbol.name, kind: kindOf(declared(symbol, checker)) }))),
  }));
  return { entries: surfaces, internal };
}

/** `src/<folder>/index.ts` of every folder that has one, sorted. */
function folderIndexes(root: string): string[] {
  return readdirSync(join(root, 'src'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'src', d.name, 'index.ts')))
    .map((d) => `src/${d.name}/index.ts`)
    .sort();
}

function byName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function createProgram(rootNames: string[], root: string): ts.Program {
  const configFile = join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  if (read.error) throw new Error(`api report: cannot read tsconfig.json: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile));
  return ts.createProgram({ rootNames, options: { ...parsed.options, noEmit: true } });
}

/** The symbol that holds the declaration, through any chain of re-exports. */
function declared(symbol: ts.Symbol, checker: ts.TypeChecker): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function describe(symbol: ts.Symbol, checker: ts.TypeChecker): ExportedName {
  let typeOnly = false;
  // Follow `export { x } from` and `export *` one step at a time: any step may be type-only.
  for (let step: ts.Symbol | undefined = symbol; step && step.flags & ts.SymbolFlags.Alias; step = checker.getImmediateAliasedSymbol(step)) {
    if (step.declarations?.some(isTypeOnlyExport)) typeOnly = true;
  }
  const target = declared(symbol, checker);
  const kind = kindOf(target);
  const runtime = !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0;
  let declaration = declarationText(target, checker);
  if (target.name !== symbol.name) declaration = `// exported as ${symbol.name}\n${declaration}`;
  return { name: symbol.name, kind, typeOnly, runtime, declaration };
}

function isTypeOnlyExport(node: ts.Declaration): boolean {
  if (ts.isExportSpecifier(node)) return node.isTypeOnly || node.parent.parent.isTypeOnly;
  if (ts.isImportSpecifier(node)) return node.isTypeOnly || node.parent.parent.isTypeOnly;
  if (ts.isImportClause(node)) return node.isTypeOnly;
  return false;
}

function kindOf(symbol: ts.Symbol): string {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Variable) {
    const decl = symbol.valueDeclaration;
    const list = decl && ts.isVariableDeclaration(decl) ? decl.parent : undefined;
    return list && ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const ? 'const' : 'let';
  }
  if (f & ts.SymbolFlags.Module) return 'namespace';
  return 'unknown';
}
