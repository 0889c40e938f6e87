import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { generateSnapshot, type SnapshotResolver } from './generate.js';

/** The element fields the oracle compares: what a validator acts on. */
export function comparableElement(el: ElementDefinition): Record<string, unknown> {
  const fixed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(el)) if (k.startsWith('fixed') || k.startsWith('pattern')) fixed[k] = v;
  return {
    path: el.path,
    min: el.min,
    max: el.max,
    type: (el.type ?? []).map((t) => ({ code: t.code, profile: t.profile ?? [], targetProfile: t.targetProfile ?? [] })),
    fixed,
    binding: el.binding ? { strength: el.binding.strength, valueSet: el.binding.valueSet } : undefined,
  };
}

/** Result of regenerating one published snapshot. */
export interface OracleResult {
  url: string;
  /** Elements in the published snapshot. */
  expected: number;
  /** Published elements whose generated twin (same id) agrees on every compared field. */
  matched: number;
  /** Generated elements with no published twin. */
  extra: number;
  /** First few differences, for the report. */
  differences: string[];
  error?: string;
}

/**
 * Strips a published snapshot, regenerates it from the differential (unless `alreadyGenerated`
 * elements are given) and compares element by element.
 */
export function checkAgainstPublished(published: StructureDefinition, resolver: SnapshotResolver, alreadyGenerated?: ElementDefinition[]): OracleResult {
  const expected = published.snapshot?.element ?? [];
  const result: OracleResult = { url: published.url, expected: expected.length, matched: 0, extra: 0, differences: [] };
  let generated: ElementDefinition[];
  try {
    const base = published.baseDefinition ? resolver.structureDefinition(published.baseDefinition) : undefined;
    if (!base) throw new Error(`base ${published.baseDefinition} not found`);
    const { snapshot: _drop, ...stripped } = published;
    // The published R4 snapshots predate the generator's slice-minimum rule (SnapshotOptions).
    generated = alreadyGenerated ?? generateSnapshot(stripped as StructureDefinition, base, resolver, { sliceMinimumSums: false });
  } catch (e) {
    result.error = (e as Error).message;
    return result;
  }
  const byId = new Map(generated.map((g) => [g.id, g]));
  for (const want of expected) {
    const got = byId.get(want.id);
    byId.delete(want.id);
    const a = JSON.stringify(comparableElement(want));
    const b = got ? JSON.stringify(comparableElement(got)) : 'missing';
    if (a === b) result.matched++;
    else if (result.differences.length < 5) result.differences.push(`${want.id}: ${describeDifference(want, got)}`);
  }
  result.extra = byId.size;
  if (byId.size && result.differences.length < 5) result.differences.push(`extra: ${[...byId.keys()].slice(0, 5).join(', ')}`);
  return result;
}

function describeDifference(want: ElementDefinition, got: ElementDefinition | undefined): string {
  if (!got) return 'missing';
  const a = comparableElement(want);
  const b = comparableElement(got);
  return Object.keys(a)
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} want ${JSON.stringify(a[k])} got ${JSON.stringify(b[k])}`)
    .join('; ');
}
