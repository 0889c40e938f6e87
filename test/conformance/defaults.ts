import type { StructureDefinition } from 'fhir/r4';
import type { CanonicalResource, ConformanceResolver } from '../../src/packages/types.js';
import { MemoryResolver } from '../../src/validation/core-resolver.js';
import type { BindingChecker, InvariantEvaluator } from '../../src/validation/plugins.js';
import type { RunnerOptions } from '../../src/validation/conformance/index.js';

type Module = Record<string, unknown>;

/** Imports a sibling capability module if it is present in this checkout, else undefined. */
async function optional(relative: string): Promise<Module | undefined> {
  try {
    return (await import(new URL(relative, import.meta.url).href)) as Module;
  } catch {
    return undefined;
  }
}

type GenerateSnapshot = (profile: StructureDefinition, base: StructureDefinition, resolver: ConformanceResolver) => StructureDefinition['snapshot'] extends infer S ? (S extends { element: infer E } ? E : never) : never;

/**
 * Adds generated snapshots for the case's StructureDefinitions that ship only a differential, in
 * dependency order (a profile on a profile waits for its base).
 */
function withSnapshots(generate: GenerateSnapshot) {
  return (core: CanonicalResource[], extra: CanonicalResource[]): ConformanceResolver => {
    const resolver = new MemoryResolver([...core, ...extra]);
    let pending = extra.filter((r): r is StructureDefinition & CanonicalResource => r.resourceType === 'StructureDefinition' && !r.snapshot?.element?.length && !!r.differential);
    for (let round = 0; round < 5 && pending.length; round++) {
      const next: typeof pending = [];
      for (const sd of pending) {
        const base = sd.baseDefinition ? resolver.structureDefinition(sd.baseDefinition) : undefined;
        if (!base?.snapshot?.element?.length) {
          next.push(sd);
          continue;
        }
        try {
          resolver.add({ ...sd, snapshot: { element: generate(sd, base, resolver) } } as CanonicalResource);
        } catch {
          // Left without a snapshot: the runner reports the case as snapshot-missing.
        }
      }
      pending = next;
    }
    return resolver;
  };
}

/**
 * The plug-ins the conformance run uses. Each is picked up when its module is present in the
 * checkout: XML from src/format, snapshot generation from src/packages, bindings from
 * src/terminology, invariants from src/fhirpath. Missing ones leave the affected cases failing.
 */
export async function conformanceDefaults(): Promise<Pick<RunnerOptions, 'xmlParser' | 'createResolver' | 'terminology' | 'invariants'>> {
  const [format, packages, terminology, fhirpath] = await Promise.all([
    optional('../../src/format/index.js'),
    optional('../../src/packages/index.js'),
    optional('../../src/terminology/index.js'),
    optional('../../src/fhirpath/index.js'),
  ]);
  const out: Pick<RunnerOptions, 'xmlParser' | 'createResolver' | 'terminology' | 'invariants'> = {};
  const parseFhirXml = format?.parseFhirXml as ((xml: string) => { resource: unknown }) | undefined;
  if (parseFhirXml) out.xmlParser = (xml) => parseFhirXml(xml).resource;
  const generateSnapshot = packages?.generateSnapshot as GenerateSnapshot | undefined;
  if (generateSnapshot) out.createResolver = withSnapshots(generateSnapshot);
  const Local = terminology?.LocalTerminology as (new (r: ConformanceResolver) => unknown) | undefined;
  const Checker = terminology?.TerminologyBindingChecker as (new (t: unknown) => BindingChecker) | undefined;
  if (Local && Checker) out.terminology = (resolver) => new Checker(new Local(resolver));
  const Evaluator = fhirpath?.FhirPathInvariantEvaluator as (new (o?: object) => InvariantEvaluator) | undefined;
  if (Evaluator) {
    const shared = new Evaluator();
    out.invariants = () => shared;
  }
  return out;
}
