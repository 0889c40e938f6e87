/**
 * The seeded variant generator. Variant `index` of run `seed` is made by family `index mod F` (the XML family
 * included) from a seed payload and with choices drawn from a PRNG seeded with (seed, index) alone, so any
 * variant can be made again on its own. As a command it writes variants out as files:
 *   npx tsx tools/oracle/generate.ts --count 50 --seed 7 --out /tmp/variants [--family bad-code]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toFhirXml } from '../../src/format/index.js';
import { PackageStore, bundledPackage } from '../../src/packages/index.js';
import { FAMILIES, XML_FAMILY, type Family } from './families/index.js';
import { clone } from './families/util.js';
import { createRng, type Rng } from './prng.js';
import { loadSeeds, type Seed, type SeedGroup } from './seeds.js';
import { walkResource, type Definitions } from './sites.js';

export interface Variant {
  /** `s<seed>-<index>`: enough to make it again. */
  id: string;
  seed: number;
  index: number;
  family: string;
  /** For the XML family: the family that changed the payload before it was written as XML. */
  innerFamily?: string;
  source: string;
  group: SeedGroup;
  /** What was changed, in words. */
  mutation: string;
  format: 'json' | 'xml';
  text: string;
}

export interface GeneratorInput {
  seeds: Map<SeedGroup, Seed[]>;
  defs: Definitions;
  /** Restrict to these family names (the XML family is `xml-form`). */
  families?: string[];
}

const ATTEMPTS = 40;

/** The family names in cycling order (XML last). */
export function familyNames(only?: string[]): string[] {
  const all = [...FAMILIES.map((f) => f.name), XML_FAMILY.name];
  return only?.length ? all.filter((n) => only.includes(n)) : all;
}

/** How often each group is drawn: the large corpora more often, yet the few ADS bundles often enough to matter. */
const GROUP_WEIGHTS: Record<SeedGroup, number> = { 'r4-examples': 35, 'hl7-suite': 20, 'ukcore-examples': 20, 'ads-bundles': 12, 'ads-broken': 13 };

function pickSeed(rng: Rng, seeds: Map<SeedGroup, Seed[]>): Seed {
  const groups = [...seeds.keys()];
  let roll = rng.next() * groups.reduce((n, g) => n + GROUP_WEIGHTS[g], 0);
  let group = groups[0] as SeedGroup;
  for (const g of groups) {
    group = g;
    roll -= GROUP_WEIGHTS[g];
    if (roll < 0) break;
  }
  return rng.pick(seeds.get(group) ?? []);
}

function mutate(family: Family, seed: Seed, rng: Rng, defs: Definitions): { resource: Record<string, unknown>; mutation: string } | undefined {
  const resource = clone(seed.resource);
  const mutation = family.apply({ resource, rng, defs, walk: walkResource(resource, defs) });
  return mutation ? { resource, mutation } : undefined;
}

/** Variant `index` of run `seed`, or undefined when no seed suits its family after several tries. */
export function generateVariant(seed: number, index: number, input: GeneratorInput): Variant | undefined {
  const names = familyNames(input.families);
  const name = names[index % names.length] as string;
  const rng = createRng(`${seed}:${index}`);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const s = pickSeed(rng, input.seeds);
    const base = { id: `s${seed}-${index}`, seed, index, source: s.source, group: s.group };
    if (name !== XML_FAMILY.name) {
      const family = FAMILIES.find((f) => f.name === name) as Family;
      const done = mutate(family, s, rng, input.defs);
      if (done) return { ...base, family: name, mutation: done.mutation, format: 'json', text: JSON.stringify(done.resource, null, 2) };
      continue;
    }
    const inner = rng.pick(FAMILIES.filter((f) => f.name !== 'json-type'));
    const done = mutate(inner, s, rng, input.defs);
    if (!done) continue;
    let xml: ReturnType<typeof toFhirXml>;
    try {
      xml = toFhirXml(done.resource);
    } catch {
      continue;
    }
    // A payload the conversion could not carry whole is not the same payload in XML.
    if (xml.issues.length) continue;
    return { ...base, family: name, innerFamily: inner.name, mutation: `${inner.name}: ${done.mutation}`, format: 'xml', text: xml.xml };
  }
  return undefined;
}

/** `count` variants of run `seed`, from index 0 on (indexes whose family suits no seed are skipped). */
export function generateVariants(seed: number, count: number, input: GeneratorInput): Variant[] {
  const out: Variant[] = [];
  for (let index = 0; out.length < count && index < count * 3; index++) {
    const v = generateVariant(seed, index, input);
    if (v) out.push(v);
  }
  return out;
}

/** The definitions the generator walks with: the same packages ads-fhir validates against. */
export async function loadDefinitions(): Promise<Definitions> {
  return PackageStore.create({ packages: [bundledPackage('ads')] });
}

/** Writes variants as files (`<id>.<family>.json|xml`) and returns their paths. */
export function writeVariants(dir: string, variants: Variant[]): string[] {
  mkdirSync(dir, { recursive: true });
  return variants.map((v) => {
    const file = join(dir, `${v.id}.${v.family}.${v.format}`);
    writeFileSync(file, v.text);
    return file;
  });
}

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const count = Number(arg('--count') ?? 20);
  const seed = Number(arg('--seed') ?? 1);
  const out = resolve(arg('--out') ?? 'oracle-variants');
  const family = arg('--family');
  const variants = generateVariants(seed, count, { seeds: loadSeeds(), defs: await loadDefinitions(), ...(family ? { families: [family] } : {}) });
  writeVariants(out, variants);
  for (const v of variants) console.log(`${v.id}\t${v.family}\t${v.source}\t${v.mutation}`);
  console.log(`${variants.length} variants written to ${out}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
