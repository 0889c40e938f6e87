/**
 * The official R4 examples as a corpus of real payloads: hl7.fhir.r4.examples 4.0.1 (a development
 * dependency), every file whose resource is not a conformance resource (the R4 Conformance and Terminology
 * modules: StructureDefinition, ValueSet, CodeSystem, ... - see CONFORMANCE_TYPES). Bundles of definitions
 * (Bundle-types.json, Bundle-valuesets.json, ...) are Bundles, so they are in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CONFORMANCE_TYPES } from '../../src/format/import-package.js';

export const R4_EXAMPLES_PACKAGE = 'hl7.fhir.r4.examples';

/** The folder of the installed package. */
export function r4ExamplesDir(): string {
  return dirname(createRequire(import.meta.url).resolve(`${R4_EXAMPLES_PACKAGE}/package.json`));
}

export interface CorpusFile {
  file: string;
  resource: Record<string, unknown>;
}

/** Every example of the package that is not a conformance resource, by file name. */
export function r4ExampleCorpus(dir = r4ExamplesDir()): CorpusFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'package.json')
    .sort()
    .map((file) => ({ file, resource: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown> }))
    .filter(({ resource }) => typeof resource.resourceType === 'string' && !CONFORMANCE_TYPES.has(resource.resourceType));
}
