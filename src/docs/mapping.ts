import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import type { ConformanceResolver } from '../packages/types.js';

/** The four sections of the data set (ADS design overview): one submission, its call, each response, each patient contact. */
export type AdsSection = 'Header' | 'Call' | 'Response' | 'Patient contact';

export const ADS_SECTIONS: readonly AdsSection[] = ['Header', 'Call', 'Response', 'Patient contact'];

/** A value set an element (or one part of a complex extension) is bound to. */
export interface RowBinding {
  /** The part of a complex extension bound, e.g. `responseCategoryCode`; absent for the element itself. */
  readonly part?: string;
  readonly strength: string;
  readonly valueSet: string;
}

/** One ADS data item at one FHIR element. */
export interface MappingRow {
  /** ADS data item id, e.g. `ADS3`, or `DH-…` for items designed by ads-fhir. */
  readonly itemId: string;
  readonly itemName: string;
  /** True when the guide publishes the item id (not a `DH-` id). */
  readonly published: boolean;
  /** `min..max` of the element. */
  readonly cardinality: string;
  /** Element id, e.g. `Communication.extension:aDSCallOrigin`. */
  readonly path: string;
  /** Types, with profiles in brackets, e.g. `Extension(Extension-ADS-CallOrigin)`. */
  readonly type: string;
  /** Binding strength and value set URL, or empty (the first of `bindings`). */
  readonly binding: string;
  /** Every value set the element or its extension's parts are bound to. */
  readonly bindings?: readonly RowBinding[];
  /** The data set section the item belongs to. */
  readonly section?: AdsSection;
  /** Title of the profile the element belongs to, and its URL. */
  readonly profile: string;
  readonly profileUrl: string;
}

/** Which StructureDefinitions to document: by default every one carrying an `ads` mapping. */
export interface MappingOptions {
  readonly identity?: string;
  readonly include?: (sd: StructureDefinition) => boolean;
}

const lastSegment = (url: string) => url.slice(url.lastIndexOf('/') + 1);
const stripSlices = (id: string) => id.split('.').map((s) => s.replace(/:.*$/, '')).join('.');

/**
 * The definition chain of a profile, nearest first: the profile and its bases as far as the resolver knows them,
 * then always the core definition of the type. `complete` is false when a base in between is missing.
 */
function chainOf(resolver: ConformanceResolver, sd: StructureDefinition): { chain: StructureDefinition[]; complete: boolean } {
  const chain: StructureDefinition[] = [];
  let at: StructureDefinition | undefined = sd;
  while (at && chain.length < 20) {
    chain.push(at);
    if (!at.baseDefinition) break;
    const base = resolver.structureDefinition(at.baseDefinition);
    if (!base) {
      const core = resolver.structureDefinition(sd.type);
      if (core && !chain.includes(core)) chain.push(core);
      return { chain, complete: false };
    }
    at = base;
  }
  return { chain, complete: true };
}

/** The core element at a path, following datatypes (e.g. `Communication.identifier.period.start` via Identifier and Period). */
function coreElement(resolver: ConformanceResolver, path: string): ElementDefinition | undefined {
  const [root, ...rest] = path.split('.');
  let sd = resolver.structureDefinition(root!);
  let at = root!;
  let found = sd?.snapshot?.element.find((e) => e.path === at);
  for (const seg of rest) {
    const here = `${at}.${seg}`;
    const direct = sd?.snapshot?.element.find((e) => e.path === here);
    if (direct) {
      at = here;
      found = direct;
      continue;
    }
    const next = (found?.type ?? []).map((t) => resolver.structureDefinition(t.code)).find((t) => t?.snapshot?.element.some((e) => e.path === `${t.type}.${seg}`));
    if (!next) return undefined;
    sd = next;
    at = `${next.type}.${seg}`;
    found = next.snapshot!.element.find((e) => e.path === at);
  }
  return found;
}

/**
 * The effective value of each property of an element: from the nearest definition in the chain that states it
 * (snapshots or differentials, by element id), else from core R4 by path.
 */
function effective(resolver: ConformanceResolver, chain: StructureDefinition[], id: string): Partial<ElementDefinition> {
  const result: Partial<ElementDefinition> = {};
  const props = ['min', 'max', 'type', 'binding'] as const;
  const take = (el: ElementDefinition | undefined) => {
    for (const p of props) if (el && result[p] === undefined && el[p] !== undefined) (result as Record<string, unknown>)[p] = el[p];
  };
  for (const sd of chain) take((sd.snapshot?.element ?? sd.differential?.element ?? []).find((e) => e.id === id));
  const core = coreElement(resolver, stripSlices(id));
  // A slice keeps the base element's max only when the profile says nothing; min of a slice defaults to 0.
  if (id.split('.').pop()!.includes(':') && result.min === undefined) result.min = 0;
  take(core);
  return result;
}

function typeText(types: ElementDefinition['type']): string {
  return (types ?? [])
    .map((t) => {
      const profiles = [...(t.profile ?? []), ...(t.targetProfile ?? [])].map(lastSegment);
      return profiles.length ? `${t.code}(${profiles.join(' | ')})` : t.code;
    })
    .join(' | ');
}

/**
 * The bindings of an element: its own, or for an extension slice without one, the binding of the extension's
 * value, or of each part (sub-extension value) of a complex extension.
 */
function bindingsOf(resolver: ConformanceResolver, el: Partial<ElementDefinition>): RowBinding[] {
  if (el.binding?.valueSet) return [{ strength: el.binding.strength, valueSet: el.binding.valueSet }];
  for (const profile of (el.type ?? []).flatMap((t) => (t.code === 'Extension' ? t.profile ?? [] : []))) {
    const ext = resolver.structureDefinition(profile);
    const elements = ext?.snapshot?.element ?? ext?.differential?.element ?? [];
    const simple = elements.find((e) => e.id === 'Extension.value[x]')?.binding;
    if (simple?.valueSet) return [{ strength: simple.strength, valueSet: simple.valueSet }];
    const parts = elements.flatMap((e) => {
      const part = /^Extension\.extension:([^.]+)\.value\[x\]$/.exec(e.id ?? '')?.[1];
      return part && e.binding?.valueSet ? [{ part, strength: e.binding.strength, valueSet: e.binding.valueSet }] : [];
    });
    if (parts.length) return parts;
  }
  return [];
}

const bindingText = (b: RowBinding | undefined): string => (b ? `${b.part ? `${b.part} ` : ''}${b.strength}: ${b.valueSet}` : '');

/**
 * The section of the data set an item belongs to. Reconstructed ids say it (`DH-C` call, `DH-R` response, `DH-P`
 * patient contact). The published items are the Header's one item, the submitting organisation
 * (Communication.sender), and Call items: the header and the call share the Communication.
 */
export function sectionOf(itemId: string, path: string): AdsSection {
  if (itemId.startsWith('DH-R')) return 'Response';
  if (itemId.startsWith('DH-P')) return 'Patient contact';
  if (itemId.startsWith('DH-C')) return 'Call';
  return path === 'Communication.sender' ? 'Header' : 'Call';
}

const NATURAL = new Intl.Collator('en', { numeric: true });
const ORDER = (id: string) => (id.startsWith('DH-C') ? 1 : id.startsWith('DH-R') ? 2 : id.startsWith('DH-P') ? 3 : 0);

/**
 * Every ADS data item mapped by the profiles the resolver knows, in data set order (published ids first), and the
 * base profiles the resolver could not supply (their constraints are then missing from the rows).
 */
export function collectMappingRows(resolver: ConformanceResolver, options: MappingOptions = {}): { rows: MappingRow[]; missingBases: string[] } {
  const identity = options.identity ?? 'ads';
  const rows: MappingRow[] = [];
  const incomplete = new Set<string>();
  for (const listed of resolver.all<StructureDefinition>('StructureDefinition')) {
    if (!listed.mapping?.some((m) => m.identity === identity)) continue;
    if (options.include && !options.include(listed)) continue;
    const sd = resolver.structureDefinition(listed.url) ?? listed;
    const { chain, complete } = chainOf(resolver, sd);
    if (!complete) incomplete.add(sd.baseDefinition ?? sd.url);
    const elements = sd.snapshot?.element ?? sd.differential?.element ?? [];
    for (const el of elements) {
      for (const m of el.mapping ?? []) {
        if (m.identity !== identity) continue;
        const eff = effective(resolver, chain, el.id!);
        const bindings = bindingsOf(resolver, eff);
        rows.push({
          itemId: m.map,
          itemName: m.comment ?? '',
          published: !m.map.startsWith('DH-'),
          cardinality: `${eff.min ?? 0}..${eff.max ?? '*'}`,
          path: el.id!,
          type: typeText(eff.type),
          binding: bindingText(bindings[0]),
          bindings,
          section: sectionOf(m.map, el.id!),
          profile: sd.title ?? sd.name,
          profileUrl: sd.url,
        });
      }
    }
  }
  rows.sort((a, b) => ORDER(a.itemId) - ORDER(b.itemId) || NATURAL.compare(a.itemId, b.itemId) || a.path.localeCompare(b.path));
  return { rows, missingBases: [...incomplete].sort() };
}
