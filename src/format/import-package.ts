import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { PackageManifest } from '../packages/types.js';
import { stringifyFhirJson } from './decimal.js';
import { FormatError, type FormatIssue } from './errors.js';
import { parseFhirXml } from './xml-to-json.js';

/** `package.json` of the generated package: the store's fields plus any others to keep (description, author...). */
export type ImportManifest = PackageManifest & Record<string, unknown>;

export interface ImportOptions {
  /**
   * Decides whether a resource goes to `example/`. Default: the source file sits under a folder named
   * `example` or `examples`, or the resource is not a conformance resource.
   */
  isExample?: (resource: { resourceType: string }, sourcePath: string) => boolean;
}

/** One converted file of the package, relative to the package folder. */
export interface ImportedPackageFile {
  path: string;
  content: string;
}

export interface ImportReport {
  /** Conformance resources written at the package root. */
  resources: number;
  examples: number;
  /** Elements the converter could not place, by source file (relative to the source folder). */
  issues: { source: string; issue: FormatIssue }[];
}

/**
 * The conformance resource types of R4 (the specification's Conformance and Terminology modules): they live
 * at the root of a FHIR package; everything else is an example.
 */
export const CONFORMANCE_TYPES: ReadonlySet<string> = new Set([
  'StructureDefinition', 'ValueSet', 'CodeSystem', 'ConceptMap', 'NamingSystem', 'SearchParameter', 'OperationDefinition',
  'CapabilityStatement', 'ImplementationGuide', 'StructureMap', 'GraphDefinition', 'CompartmentDefinition',
  'MessageDefinition', 'TerminologyCapabilities', 'ExampleScenario',
]);

function defaultIsExample(resource: { resourceType: string }, sourcePath: string): boolean {
  return sourcePath.split(sep).some((segment) => /^examples?$/i.test(segment)) || !CONFORMANCE_TYPES.has(resource.resourceType);
}

function xmlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return xmlFiles(path);
      return name.toLowerCase().endsWith('.xml') ? [path] : [];
    });
}

/** The fields of a resource that `.index.json` (index-version 2) lists. */
function indexEntry(filename: string, r: Record<string, unknown>): Record<string, unknown> {
  const entry: Record<string, unknown> = { filename, resourceType: r['resourceType'], id: r['id'] };
  for (const key of ['url', 'version', 'kind', 'type', 'supplements', 'content']) {
    if (typeof r[key] === 'string') entry[key] = r[key];
  }
  return entry;
}

function json(value: unknown): string {
  return `${stringifyFhirJson(value, 2)}\n`;
}

/**
 * Converts a folder of FHIR XML resources into the files of a FHIR NPM package (in memory):
 * `package.json`, one `<ResourceType>-<id>.json` per conformance resource, `example/` for instances,
 * and an `.index.json` in each folder. Decimals keep their written text. Output order is
 * deterministic, so the same input always gives byte-identical files.
 * Throws {@link FormatError} naming the file when one cannot be converted, or when two resources
 * would get the same file name.
 */
export function buildPackageFromXml(sourceDir: string, manifest: ImportManifest, options: ImportOptions = {}): { files: ImportedPackageFile[]; report: ImportReport } {
  const isExample = options.isExample ?? defaultIsExample;
  const folders = new Map<string, Map<string, Record<string, unknown>>>([['', new Map()], ['example', new Map()]]);
  const report: ImportReport = { resources: 0, examples: 0, issues: [] };
  for (const file of xmlFiles(sourceDir)) {
    const source = relative(sourceDir, file);
    let converted;
    try {
      converted = parseFhirXml(readFileSync(file), { decimals: 'exact' });
    } catch (e) {
      if (e instanceof FormatError) throw new FormatError(e.code, `${source}: ${e.message}`);
      throw e;
    }
    for (const issue of converted.issues) report.issues.push({ source, issue });
    const resource = converted.resource as unknown as Record<string, unknown> & { resourceType: string };
    if (typeof resource['id'] !== 'string') throw new FormatError('invalid-input', `${source}: resource has no id, so it cannot be named in the package`);
    const folder = isExample(resource, source) ? 'example' : '';
    const name = `${resource.resourceType}-${resource['id']}.json`;
    const files = folders.get(folder)!;
    if (files.has(name)) throw new FormatError('invalid-input', `${source}: a second resource would be written as ${folder ? `${folder}/` : ''}${name}`);
    files.set(name, resource);
    if (folder) report.examples++;
    else report.resources++;
  }
  const out: ImportedPackageFile[] = [{ path: 'package.json', content: json(manifest) }];
  for (const [folder, files] of folders) {
    if (folder && files.size === 0) continue;
    const names = [...files.keys()].sort();
    const prefix = folder ? `${folder}/` : '';
    for (const name of names) out.push({ path: prefix + name, content: json(files.get(name)) });
    out.push({ path: `${prefix}.index.json`, content: json({ 'index-version': 2, files: names.map((n) => indexEntry(n, files.get(n)!)) }) });
  }
  return { files: out, report };
}

/**
 * Converts a folder of FHIR XML conformance resources into a FHIR NPM package folder at `outDir`
 * (see {@link buildPackageFromXml}). Files a previous import wrote (`*.json`, `.index.json`,
 * `example/`) are replaced; other files in `outDir` (a README, say) are left alone.
 */
export function importPackageFromXml(sourceDir: string, outDir: string, manifest: ImportManifest, options: ImportOptions = {}): ImportReport {
  if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) throw new FormatError('invalid-input', `Source folder not found: ${sourceDir}`);
  const { files, report } = buildPackageFromXml(sourceDir, manifest, options);
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(outDir)) {
    if (name.endsWith('.json')) rmSync(join(outDir, name));
  }
  rmSync(join(outDir, 'example'), { recursive: true, force: true });
  for (const file of files) {
    const path = join(outDir, file.path);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, file.content);
  }
  return report;
}

/**
 * Reads a source `package.json` for an import, optionally replacing its dependencies
 * (UK Core's source lists `hl7.fhir.r5.core`, which an R4 package must not depend on).
 */
export function readImportManifest(file: string, dependencies?: Record<string, string>): ImportManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new FormatError('invalid-input', `${file}: not a readable JSON package manifest`);
  }
  const manifest = parsed as ImportManifest;
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new FormatError('invalid-input', `${file}: a package manifest needs a name and a version`);
  }
  return dependencies ? { ...manifest, dependencies } : manifest;
}
