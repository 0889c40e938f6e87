import type { CodeSystem, ValueSet } from 'fhir/r4';
import { CODES, readAdsPackage, type CodeTable } from '../builder/index.js';

/** The codes an ADS item may take, and where they come from (a value set canonical or a builder code table). */
export interface ItemCodeSet {
  readonly source: string;
  readonly codes: ReadonlySet<string>;
}

let expanded: Map<string, ReadonlySet<string>> | undefined;

/**
 * Expands the ValueSets of the ADS package in `profiles/ads` (read once): each include is either its listed
 * concepts or, with none listed, every concept of the package's CodeSystem.
 */
function adsValueSets(): Map<string, ReadonlySet<string>> {
  if (expanded) return expanded;
  const { resources } = readAdsPackage();
  const systems = new Map<string, CodeSystem>();
  for (const r of resources) if (r.resourceType === 'CodeSystem') systems.set((r as CodeSystem).url!, r as CodeSystem);
  expanded = new Map();
  for (const r of resources) {
    if (r.resourceType !== 'ValueSet') continue;
    const vs = r as ValueSet;
    const codes = new Set<string>();
    for (const inc of vs.compose?.include ?? []) {
      const listed = inc.concept?.map((c) => c.code) ?? systems.get(inc.system ?? '')?.concept?.map((c) => c.code) ?? [];
      for (const code of listed) codes.add(code);
    }
    expanded.set(vs.url!, codes);
  }
  return expanded;
}

/** The codes of an ADS ValueSet by canonical URL; throws when the package does not hold it (a bug here, not bad input). */
export function valueSetCodes(canonical: string): ItemCodeSet {
  const codes = adsValueSets().get(canonical);
  if (!codes || codes.size === 0) throw new Error(`The ADS package has no value set ${canonical} with codes`);
  return { source: canonical, codes };
}

/** The codes of a builder code table (UK Core sets that the ADS package does not carry). */
export function tableCodes(table: CodeTable): ItemCodeSet {
  return { source: table.system, codes: new Set(table.displays.keys()) };
}

/** A fixed list of codes (FHIR required bindings such as administrative gender). */
export function fixedCodes(source: string, codes: readonly string[]): ItemCodeSet {
  return { source, codes: new Set(codes) };
}

export { CODES };
