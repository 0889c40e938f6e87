import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4/index.js';
import type { CodeSystem, ElementDefinition, StructureDefinition, ValueSet } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAdsPackage } from '../src/builder/ads-package.js';
import { readCoreR4 } from '../src/packages/core-r4.js';
import type { CanonicalResource } from '../src/packages/types.js';

// Checks the differentials of profiles/ads until the package store can snapshot them.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// UK Core as the toolkit ships it (profiles/ukcore, made from the published XML).
const ukCore = path.resolve(repoRoot, 'profiles', 'ukcore');

/** Published ADS data item ids (shared/ads/README.md section 4); every other id must be marked designed. */
const PUBLISHED_ITEMS = new Set(['ADS0', 'ADS1', 'ADS2A', 'ADS2B', 'ADS3', 'ADS4', 'ADS8', 'ADS10', 'ADS15', 'ADS20', 'ADS21', 'ADS33']);

function readFolder(dir: string): CanonicalResource[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CanonicalResource);
}

const ads = readAdsPackage();
const sds = ads.resources.filter((r): r is StructureDefinition => r.resourceType === 'StructureDefinition');
const byUrl = new Map<string, CanonicalResource>();
const coreSd = new Map<string, StructureDefinition>();
const diffs = new Map<string, StructureDefinition>();

beforeAll(() => {
  for (const r of readCoreR4()) {
    if (r.url) byUrl.set(r.url, r);
    if (r.resourceType === 'StructureDefinition' && r.derivation !== 'constraint') coreSd.set(r.type, r);
  }
  for (const r of [...readFolder(ukCore), ...ads.resources]) {
    if (!r.url) continue;
    byUrl.set(r.url, r);
    if (r.resourceType === 'StructureDefinition') diffs.set(r.url, r);
  }
});

const stripSlices = (id: string): string => id.split('.').map((s) => s.replace(/:.*$/, '')).join('.');

/** The core R4 element at a path like `Communication.identifier.period.start`, walking through datatypes. */
function coreElement(p: string): ElementDefinition | undefined {
  const [root, ...rest] = p.split('.');
  let sd = coreSd.get(root!);
  let at = root!;
  let found = sd?.snapshot!.element.find((e) => e.path === at);
  for (const seg of rest) {
    if (!sd) return undefined;
    const here = `${at}.${seg}`;
    const direct = sd.snapshot!.element.find((e) => e.path === here);
    if (direct) {
      at = here;
      found = direct;
      continue;
    }
    const next = (found?.type ?? []).map((t) => coreSd.get(t.code)).find((t) => t?.snapshot!.element.some((e) => e.path === `${t.type}.${seg}`));
    if (!next) return undefined;
    sd = next;
    at = `${next.type}.${seg}`;
    found = next.snapshot!.element.find((e) => e.path === at);
  }
  return found;
}
const pathExists = (p: string): boolean => coreElement(p) !== undefined;

/** Element ids the profile's base chain (UK Core or ADS) defines in its differentials. */
function baseChainIds(sd: StructureDefinition): Set<string> {
  const ids = new Set<string>();
  for (let base = diffs.get(sd.baseDefinition ?? ''); base; base = diffs.get(base.baseDefinition ?? '')) {
    for (const e of base.differential?.element ?? []) ids.add(e.id!);
  }
  return ids;
}

function slicingDeclared(sd: StructureDefinition, unsliced: string): boolean {
  if (/\.(extension|modifierExtension)$/.test(unsliced)) return true; // core slices extensions by url
  const own = sd.differential!.element.find((e) => e.id === unsliced);
  if (own?.slicing) return true;
  for (let base = diffs.get(sd.baseDefinition ?? ''); base; base = diffs.get(base.baseDefinition ?? '')) {
    if (base.differential?.element.some((e) => e.id === unsliced && e.slicing)) return true;
  }
  return false;
}

function canonicalsOf(r: CanonicalResource): string[] {
  if (r.resourceType === 'StructureDefinition') {
    const fromElements = (r.differential?.element ?? []).flatMap((e: ElementDefinition) => [
      ...(e.type ?? []).flatMap((t) => [...(t.profile ?? []), ...(t.targetProfile ?? [])]),
      ...(e.binding?.valueSet ? [e.binding.valueSet] : []),
    ]);
    return [r.baseDefinition!, ...fromElements];
  }
  if (r.resourceType === 'ValueSet') return (r.compose?.include ?? []).flatMap((i) => [...(i.system ? [i.system] : []), ...(i.valueSet ?? [])]);
  if (r.resourceType === 'CodeSystem') return r.valueSet ? [r.valueSet] : [];
  return [];
}

describe('profiles/ads package', () => {
  it('has a manifest that cannot be mistaken for the official package', () => {
    expect(ads.manifest.name).toBe('ads-fhir.reconstructed.ads');
    expect(ads.manifest.dependencies).toEqual({ 'hl7.fhir.r4.core': '4.0.1', 'UKCore.R4.STU.02.00.00': '2.0.0' });
  });

  it('names each file after its resource and uses one canonical base', () => {
    const files = readdirSync(path.join(repoRoot, 'profiles', 'ads')).filter((f) => f.endsWith('.json') && f !== 'package.json').sort();
    const expected = ads.resources.map((r) => `${r.resourceType}-${r.id}.json`).sort();
    expect(files).toEqual(expected);
    for (const r of ads.resources) expect(r.url).toBe(`https://fhir.nhs.uk/R4/${r.resourceType}/${r.id}`);
  });

  it('writes differentials whose ids, paths and slice names agree and exist in R4', () => {
    const problems: string[] = [];
    for (const sd of sds) {
      const elements = sd.differential!.element;
      if (elements[0]?.id !== sd.type) problems.push(`${sd.id}: first element is not the root`);
      const seen = new Set<string>();
      for (const e of elements) {
        if (seen.has(e.id!)) problems.push(`${sd.id}: duplicate ${e.id}`);
        seen.add(e.id!);
        if (stripSlices(e.id!) !== e.path) problems.push(`${sd.id}: ${e.id} has path ${e.path}`);
        const last = e.id!.split('.').pop()!;
        const slice = last.includes(':') ? last.slice(last.indexOf(':') + 1) : undefined;
        if (slice !== e.sliceName) problems.push(`${sd.id}: ${e.id} has sliceName ${e.sliceName}`);
        if (!pathExists(e.path)) problems.push(`${sd.id}: ${e.path} is not an R4 path`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('narrows types and reference targets only to what core R4 allows there', () => {
    const problems: string[] = [];
    const typeOfProfile = (url: string) => (byUrl.get(url) as StructureDefinition | undefined)?.type;
    for (const sd of sds) {
      for (const e of sd.differential!.element) {
        if (!e.type) continue;
        const base = coreElement(e.path);
        const allowed = new Map((base?.type ?? []).map((t) => [t.code, t]));
        for (const t of e.type) {
          // An element of type Resource (Bundle.entry.resource) may be narrowed to any resource type.
          const isResource = coreSd.get(t.code)?.kind === 'resource';
          const baseType = allowed.get(t.code) ?? (isResource ? allowed.get('Resource') : undefined);
          if (!baseType) {
            problems.push(`${sd.id}: ${e.id} type ${t.code} not in ${[...allowed.keys()].join('|')}`);
            continue;
          }
          // A base Reference without targetProfile (Extension.value[x]) may point at any resource.
          const targets = baseType.targetProfile?.length ? baseType.targetProfile.map((u) => u.slice(u.lastIndexOf('/') + 1)) : ['Resource'];
          for (const target of t.targetProfile ?? []) {
            const resourceType = typeOfProfile(target);
            if (!resourceType || !(targets.includes('Resource') || targets.includes(resourceType))) problems.push(`${sd.id}: ${e.id} targets ${resourceType ?? target}`);
          }
          for (const profile of t.profile ?? []) {
            if (typeOfProfile(profile) !== t.code) problems.push(`${sd.id}: ${e.id} profile ${profile} is not a ${t.code}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps cardinalities within core R4 and min within max', () => {
    const problems: string[] = [];
    const num = (max: string | undefined) => (max === undefined || max === '*' ? Infinity : Number(max));
    for (const sd of sds) {
      for (const e of sd.differential!.element) {
        const base = coreElement(e.path);
        if (e.max !== undefined && num(e.max) > num(base?.max)) problems.push(`${sd.id}: ${e.id} max ${e.max} above core ${base?.max}`);
        if (e.min !== undefined && e.min > num(e.max ?? base?.max)) problems.push(`${sd.id}: ${e.id} min ${e.min} above max`);
        if (e.min !== undefined && !e.sliceName && e.min < (base?.min ?? 0)) problems.push(`${sd.id}: ${e.id} min ${e.min} below core ${base?.min}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares or inherits a slicing for every slice it uses', () => {
    const problems: string[] = [];
    for (const sd of sds) {
      const known = new Set([...baseChainIds(sd), ...sd.differential!.element.map((e) => e.id!)]);
      // Slices defined by an element's own type profile (e.g. the sub-extensions of UKCore-TypedDateTime).
      for (const e of sd.differential!.element) {
        for (const profile of (e.type ?? []).flatMap((t) => t.profile ?? [])) {
          const typeProfile = diffs.get(profile);
          const root = typeProfile?.type ?? '';
          for (const inner of typeProfile?.differential?.element ?? []) known.add(e.id! + inner.id!.slice(root.length));
        }
      }
      for (const e of sd.differential!.element) {
        const segments = e.id!.split('.');
        segments.forEach((seg, i) => {
          if (!seg.includes(':')) return;
          const sliceId = segments.slice(0, i + 1).join('.');
          const unsliced = [...segments.slice(0, i), seg.replace(/:.*$/, '')].join('.');
          if (!slicingDeclared(sd, unsliced)) problems.push(`${sd.id}: ${sliceId} has no slicing on ${unsliced}`);
          if (i < segments.length - 1 && !known.has(sliceId)) problems.push(`${sd.id}: ${e.id} is inside unknown slice ${sliceId}`);
        });
      }
    }
    expect(problems).toEqual([]);
  });

  it('resolves every canonical to core R4, UK Core or this package', () => {
    const missing = ads.resources.flatMap((r) => canonicalsOf(r).filter((c) => !byUrl.has(c)).map((c) => `${r.id} -> ${c}`));
    expect(missing).toEqual([]);
  });

  it('maps ADS data items with the ads identity; ids not in the published guide are marked DH-', () => {
    const problems: string[] = [];
    const items = new Set<string>();
    for (const sd of sds) {
      const declared = sd.mapping?.some((m) => m.identity === 'ads' && m.name === 'Ambulance Data Set');
      for (const e of sd.differential!.element) {
        for (const m of e.mapping ?? []) {
          if (m.identity !== 'ads') continue;
          if (!declared) problems.push(`${sd.id} maps ${m.map} without declaring the ads mapping`);
          if (!m.comment) problems.push(`${sd.id}: ${m.map} has no item name`);
          if (!PUBLISHED_ITEMS.has(m.map) && !/^DH-[CRP]\d{2}$/.test(m.map)) problems.push(`${sd.id}: ${m.map} is neither published nor DH-`);
          items.add(m.map);
        }
      }
    }
    expect(problems).toEqual([]);
    for (const id of PUBLISHED_ITEMS) expect(items.has(id), id).toBe(true);
  });

  it('uses only codes its own code systems define in fixed and pattern values', () => {
    const problems: string[] = [];
    const ownCodes = (system: string) => {
      const cs = byUrl.get(system) as CodeSystem | undefined;
      return cs?.resourceType === 'CodeSystem' ? new Set((cs.concept ?? []).map((c) => c.code)) : undefined;
    };
    for (const sd of sds) {
      for (const e of sd.differential!.element) {
        const codings = [...(e.patternCodeableConcept?.coding ?? []), ...(e.patternCoding ? [e.patternCoding] : [])];
        for (const c of codings) {
          const codes = c.system?.startsWith('https://fhir.nhs.uk/R4/') ? ownCodes(c.system) : undefined;
          if (c.system?.startsWith('https://fhir.nhs.uk/R4/') && !codes?.has(c.code!)) problems.push(`${sd.id}: ${c.system}|${c.code}`);
        }
      }
    }
    for (const vs of ads.resources.filter((r): r is ValueSet => r.resourceType === 'ValueSet')) {
      for (const inc of vs.compose?.include ?? []) {
        const cs = byUrl.get(inc.system ?? '') as CodeSystem | undefined;
        const codes = new Set((cs?.concept ?? []).map((c) => c.code));
        for (const c of inc.concept ?? []) if (!codes.has(c.code)) problems.push(`${vs.id}: ${inc.system}|${c.code}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes invariants that compile and tell a good call from a bad one', () => {
    const comm = sds.find((s) => s.id === 'UKCore-ADS-Communication')!;
    const invariants = comm.differential!.element.flatMap((e) => e.constraint ?? []);
    const rcUrl = 'https://fhir.nhs.uk/R4/StructureDefinition/Extension-ADS-ResponseCategory';
    const rc = (type: string, code: string) => ({
      url: rcUrl,
      extension: [
        { url: 'responseCategoryType', valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/R4/CodeSystem/ADS-ResponseCategoryType', code: type }] } },
        { url: 'responseCategoryCode', valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/R4/CodeSystem/ADS-ResponseCategory', code } ] } },
      ],
    });
    const good = { resourceType: 'Communication', status: 'completed', extension: [rc('initial', 'C2'), rc('reporting', 'C1')] };
    const bad = { resourceType: 'Communication', status: 'completed', statusReason: { text: 'x' }, extension: [rc('initial', 'C2'), rc('initial', 'C1')] };
    const run = (key: string, resource: object) =>
      fhirpath.evaluate(resource, invariants.find((c) => c.key === key)!.expression!, undefined, r4model);
    expect(['ads-com-1', 'ads-com-2', 'ads-com-3'].map((k) => run(k, good))).toEqual([[true], [true], [true]]);
    expect(['ads-com-1', 'ads-com-2', 'ads-com-3'].map((k) => run(k, bad))).toEqual([[false], [false], [false]]);
  });
});
