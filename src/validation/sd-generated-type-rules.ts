/**
 * Each type an element of a constraint states must be one the snapshot generated from its base and
 * differential allows at that path (the reference validator's StructureDefinitionValidator.validateElementType,
 * which compares the differential's and the given snapshot's types with those of the snapshot it generated). A
 * stale snapshot that still lists a type the differential no longer allows is the usual case. Where the snapshot
 * cannot be generated here, nothing is said.
 */
import type { StructureDefinition } from 'fhir/r4';
import { generateSnapshot } from '../packages/index.js';
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;
type Resolve = (url: string) => Obj | undefined;

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : String(v ?? ''));

export function checkTypesAgainstGenerated(sd: Obj, base: Obj, path: string, withSnapshot: Resolve, report: Report): void {
  if (sd.derivation !== 'constraint' || list((sd.differential as { element?: unknown } | undefined)?.element).length === 0) return;
  let generated: Obj[];
  try {
    const resolver = { structureDefinition: (u: string) => withSnapshot(u) as StructureDefinition | undefined };
    generated = generateSnapshot(sd as unknown as StructureDefinition, base as unknown as StructureDefinition, resolver) as unknown as Obj[];
  } catch {
    return;
  }
  const typesAt = new Map<string, Set<string>>();
  for (const g of generated) {
    if (typeof g.path !== 'string') continue;
    const codes = typesAt.get(g.path) ?? new Set<string>();
    for (const t of list(g.type)) if (typeof t.code === 'string') codes.add(t.code);
    typesAt.set(g.path, codes);
  }
  const profile = typeof sd.version === 'string' ? `${str(sd.url)}|${sd.version}` : str(sd.url);
  for (const part of ['differential', 'snapshot'] as const) {
    list((sd[part] as { element?: unknown } | undefined)?.element).forEach((e, i) => {
      const allowed = typeof e.path === 'string' ? typesAt.get(e.path) : undefined;
      if (!allowed || allowed.size === 0) return;
      for (const t of list(e.type)) {
        if (typeof t.code !== 'string' || t.code === '' || allowed.has(t.code)) continue;
        const listed = `[${[...allowed].join(', ')}]`;
        report('SD_ED_TYPE_PROFILE_WRONG_TYPE', 'error', 'exception', `${path}.${part}.element[${i}].type[0]`, `The type ${t.code} is not in the list of allowed ${allowed.size === 1 ? 'type' : 'types'} ${listed} in the profile ${profile}`);
      }
    });
  }
}
