import type { StructureDefinition } from 'fhir/r4';
import { FhirPathInvariantEvaluator } from '../../src/fhirpath/index.js';
import { parseFhirXml } from '../../src/format/index.js';
import { generateSnapshot } from '../../src/packages/index.js';
import type { CanonicalResource, ConformanceResolver } from '../../src/packages/types.js';
import { LocalTerminology, TerminologyBindingChecker } from '../../src/terminology/index.js';
import { MemoryResolver } from '../../src/validation/core-resolver.js';
import { fromFormatIssue } from '../../src/validation/format-issues.js';
import type { RunnerOptions } from '../../src/validation/conformance/index.js';

/**
 * Adds generated snapshots for the case's StructureDefinitions that ship only a differential, in
 * dependency order (a profile on a profile waits for its base).
 */
function resolverWithSnapshots(core: CanonicalResource[], extra: CanonicalResource[]): ConformanceResolver {
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
        resolver.add({ ...sd, snapshot: { element: generateSnapshot(sd, base, resolver) } } as CanonicalResource);
      } catch {
        // Left without a snapshot: the runner reports the case as snapshot-missing.
      }
    }
    pending = next;
  }
  return resolver;
}

/**
 * The toolkit's own XML reader, snapshot generator, local terminology and FHIRPath invariants, as the product wires
 * them. The suite's expected outcomes count every consequence of a defect, as the reference validator reports them,
 * so the cases run with `reportConsequences` (docs/validation.md, "Root-cause reporting"); `rootCause` scores the
 * toolkit's default reporting instead.
 */
export function conformanceDefaults(rootCause = false): Pick<RunnerOptions, 'xmlParser' | 'createResolver' | 'terminology' | 'invariants' | 'reportConsequences'> {
  const invariants = new FhirPathInvariantEvaluator();
  return {
    reportConsequences: !rootCause,
    xmlParser: (xml) => {
      const parsed = parseFhirXml(xml);
      return { resource: parsed.resource, issues: parsed.issues.map(fromFormatIssue) };
    },
    createResolver: resolverWithSnapshots,
    terminology: (resolver) => new TerminologyBindingChecker(new LocalTerminology(resolver)),
    invariants: () => invariants,
  };
}
