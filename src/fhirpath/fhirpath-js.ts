/**
 * fhirpath.js and its R4 model, loaded on first use. Loading them costs more than a whole validation
 * of a typical payload (about 100 ms of CPU: the ANTLR parser, the model tables, UCUM), and most runs never
 * need them: invariants in the common subset run as closures (./fast) and the rest of the validator reads
 * no FHIRPath. Everything here is synchronous because validation is; `require` keeps it so.
 */
import { createRequire } from 'node:module';
import type * as FhirPathJs from 'fhirpath';

/** The parts of fhirpath.js's R4 model this project reads. */
export interface R4Model {
  availableTypes: Set<string>;
  path2Type: Record<string, string>;
  pathsDefinedElsewhere: Record<string, string>;
  type2Parent: Record<string, string>;
  choiceTypePaths: Record<string, string[]>;
}

const load = createRequire(import.meta.url);
let engine: typeof FhirPathJs | undefined;
let model: R4Model | undefined;

/** The fhirpath.js engine (compile, evaluate, parse, ucumUtils), loaded on the first call. */
export function fhirpathJs(): typeof FhirPathJs {
  return (engine ??= load('fhirpath') as typeof FhirPathJs);
}

/** fhirpath.js's R4 model, to pass to {@link fhirpathJs}'s compile and evaluate; loaded on the first call. */
export function r4Model(): R4Model {
  return (model ??= load('fhirpath/fhir-context/r4') as R4Model);
}

/** True once fhirpath.js itself has been loaded in this process (for tests and the start-up bench). */
export function fhirpathJsLoaded(): boolean {
  return engine !== undefined;
}
