import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { SnapshotError, traceSnapshot, type SnapshotResolver } from './generate.js';

/** A problem with a differential: `element` is its index in `differential.element`, absent for the whole profile. */
export interface DifferentialProblem {
  element?: number;
  message: string;
}

const DISCRIMINATOR_TYPES = new Set(['value', 'exists', 'pattern', 'type', 'profile']);

/**
 * Checks that a differential can be turned into a snapshot the way the HL7 generator does it:
 * paths well formed, no slicing at the root, known discriminator types, and elements listed in
 * the order of the base (an element listed after one that comes later in the base is not matched).
 */
export function checkDifferential(profile: StructureDefinition, base: StructureDefinition, resolver: SnapshotResolver): DifferentialProblem[] {
  const diff = profile.differential?.element ?? [];
  const refused = refusal(diff);
  if (refused) return [{ message: `Error generating Snapshot: ${refused} (this usually arises from a problem in the differential)` }];
  let applied: ElementDefinition[];
  let elements: ElementDefinition[];
  try {
    ({ applied, elements } = traceSnapshot(profile, base, resolver));
  } catch (e) {
    // A definition that is not at hand says nothing about the differential itself.
    if (e instanceof SnapshotError && e.missing !== undefined) return [];
    return [{ message: `Error generating Snapshot: ${(e as Error).message} (this usually arises from a problem in the differential)` }];
  }
  const unmatched = outOfOrder(applied.map((el) => elements.indexOf(el)));
  if (unmatched.length === 0) return [];
  const problems: DifferentialProblem[] = unmatched.map((i) => ({
    element: i,
    message: `No match found for ${diff[i]!.id ?? diff[i]!.path} in the generated snapshot: check that the path and definitions are legal in the differential (including order)`,
  }));
  const ids = unmatched.map((i) => diff[i]!.id ?? diff[i]!.path).join(', ');
  problems.push({
    message: `The profile ${profile.url} has ${unmatched.length} element${unmatched.length > 1 ? 's' : ''} in the differential (id: ${ids}) that don't have a matching element in the snapshot: check that the path and definitions are legal in the differential (including order)`,
  });
  return problems;
}

/** Why the HL7 generator would refuse the differential outright, if it would. */
function refusal(diff: ElementDefinition[]): string | undefined {
  for (const el of diff) {
    if (el.path.split('.').some((part) => part === '')) return `Invalid path '${el.path}' in differential: name portion missing ('..')`;
    if (!el.path.includes('.') && el.slicing) return `The profile has slicing at the root ('${el.path}'), which is illegal`;
    for (const d of el.slicing?.discriminator ?? []) {
      if (!DISCRIMINATOR_TYPES.has(d.type)) return `Unknown DiscriminatorType code '${d.type}'`;
    }
  }
  return undefined;
}

/**
 * The HL7 generator walks the base in order and consumes differential elements with a forward-only
 * cursor: an element listed before one it precedes in the snapshot is passed over and never applied.
 * Given each differential element's snapshot position, returns the indexes of those passed over.
 */
function outOfOrder(positions: number[]): number[] {
  const byPosition = positions.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const matched = new Set<number>();
  let cursor = 0;
  for (const { p, i } of byPosition) {
    // An element whose snapshot element was replaced later (a new type profile) is not an order problem.
    if (p < 0) matched.add(i);
    if (p < 0 || i < cursor) continue;
    matched.add(i);
    cursor = i + 1;
  }
  return positions.map((_, i) => i).filter((i) => !matched.has(i));
}
