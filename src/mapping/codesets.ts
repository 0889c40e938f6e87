import type { CodeSystem, ValueSet } from 'fhir/r4';
import { CODES, readAdsPackage, type CodeTable } from '../builder/index.js';

/** The codes an ADS item may take, and where they come from (a value set canonical or a builder code table). */
export interface ItemCodeSet {
  readonly source: string;
  readonly codes: ReadonlySet<string>;
  /** What each code means, for people (docs/mapping.md lists them). */
  readonly displays: ReadonlyMap<string, string>;
}

let expanded: Map<string, ReadonlyMap<string, string>> | undefined;

/**
 * Expands the ValueSets of the ADS package in `profiles/ads` (read once): each include is either its listed
 * concepts or, with none listed, every concept of the package's CodeSystem.
 */
function adsValueSets(): Map<string, ReadonlyMap<string, string>> {
  if (expanded) return expanded;
  const { resources } = readAdsPackage();
  const systems = new Map<string, CodeSystem>();
  for (const r of resources) if (r.resourceType === 'CodeSystem') systems.set((r as CodeSystem).url!, r as CodeSystem);
  expanded = new Map();
  for (const r of resources) {
    if (r.resourceType !== 'ValueSet') continue;
    const vs = r as ValueSet;
    const codes = new Map<string, string>();
    for (const inc of vs.compose?.include ?? []) {
      const defined = systems.get(inc.system ?? '')?.concept ?? [];
      const listed = inc.concept ?? defined;
      for (const c of listed) codes.set(c.code, c.display ?? defined.find((d) => d.code === c.code)?.display ?? c.code);
    }
    expanded.set(vs.url!, codes);
  }
  return expanded;
}

/** The codes of an ADS ValueSet by canonical URL; throws when the package does not hold it (a bug here, not bad input). */
export function valueSetCodes(canonical: string): ItemCodeSet {
  const displays = adsValueSets().get(canonical);
  if (!displays || displays.size === 0) throw new Error(`The ADS package has no value set ${canonical} with codes`);
  return { source: canonical, codes: new Set(displays.keys()), displays };
}

/** The codes of a builder code table (UK Core sets that the ADS package does not carry). */
export function tableCodes(table: CodeTable): ItemCodeSet {
  return { source: table.system, codes: new Set(table.displays.keys()), displays: table.displays };
}

/** A fixed list of codes with their displays (FHIR required bindings such as administrative gender). */
export function fixedCodes(source: string, entries: ReadonlyArray<readonly [code: string, display: string]>): ItemCodeSet {
  return { source, codes: new Set(entries.map(([code]) => code)), displays: new Map(entries) };
}

export { CODES };
