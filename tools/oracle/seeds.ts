/**
 * The seed payloads variants are made from, in a fixed order so that (seed, index) always picks the same one:
 * the official R4 examples (not the conformance resources), the UK Core examples, the ADS example bundles, the
 * ADS broken examples and the JSON inputs of the shared HL7 suite (when ../shared is there).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { r4ExamplesFolder } from './package-cache.js';
import { PROJECT_DIR } from './paths.js';
import type { JsonObject } from './sites.js';

export interface Seed {
  /** `group/file`, stable across machines. */
  source: string;
  group: SeedGroup;
  resource: JsonObject;
}

export type SeedGroup = 'r4-examples' | 'ukcore-examples' | 'ads-bundles' | 'ads-broken' | 'hl7-suite';

/** Resource types that define rather than record: not instances a QA tester validates. */
const CONFORMANCE = new Set([
  'StructureDefinition', 'ValueSet', 'CodeSystem', 'ConceptMap', 'SearchParameter', 'OperationDefinition', 'CapabilityStatement',
  'CompartmentDefinition', 'NamingSystem', 'ImplementationGuide', 'StructureMap', 'GraphDefinition', 'MessageDefinition',
  'TerminologyCapabilities', 'ExampleScenario',
]);

/** Seeds above this size are left out: they slow both validators and make recorded cases hard to review. */
export const MAX_SEED_BYTES = 40_000;

export const SHARED_SUITE_DIR = join(PROJECT_DIR, '..', 'shared', 'fhir-test-cases');

function readJson(file: string): JsonObject | undefined {
  try {
    if (statSync(file).size > MAX_SEED_BYTES) return undefined;
    const r = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!r || typeof r !== 'object' || Array.isArray(r)) return undefined;
    const obj = r as JsonObject;
    return typeof obj.resourceType === 'string' && !CONFORMANCE.has(obj.resourceType) ? obj : undefined;
  } catch {
    return undefined;
  }
}

function fromFolder(group: SeedGroup, dir: string, keep: (f: string) => boolean = () => true): Seed[] {
  if (!existsSync(dir)) return [];
  const out: Seed[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json') || f === 'package.json' || f.startsWith('.') || !keep(f)) continue;
    const resource = readJson(join(dir, f));
    if (resource) out.push({ source: `${group}/${f}`, group, resource });
  }
  return out;
}

function suiteSeeds(): Seed[] {
  const index = join(SHARED_SUITE_DIR, 'r4-index.json');
  if (!existsSync(index)) return [];
  const cases = (JSON.parse(readFileSync(index, 'utf8')) as { cases: { file: string; fmt: string; tier: string }[] }).cases;
  const files = [...new Set(cases.filter((c) => c.fmt === 'json' && !c.tier.startsWith('C')).map((c) => c.file))].sort();
  const out: Seed[] = [];
  for (const f of files) {
    const resource = readJson(join(SHARED_SUITE_DIR, 'validator', f));
    if (resource) out.push({ source: `hl7-suite/${f}`, group: 'hl7-suite', resource });
  }
  return out;
}

/** Every seed, grouped; groups that are absent (no ../shared) are simply empty. */
export function loadSeeds(): Map<SeedGroup, Seed[]> {
  const groups = new Map<SeedGroup, Seed[]>();
  groups.set('r4-examples', fromFolder('r4-examples', r4ExamplesFolder()));
  groups.set('ukcore-examples', fromFolder('ukcore-examples', join(PROJECT_DIR, 'profiles', 'ukcore', 'example')));
  groups.set('ads-bundles', fromFolder('ads-bundles', join(PROJECT_DIR, 'examples', 'bundles')));
  groups.set('ads-broken', fromFolder('ads-broken', join(PROJECT_DIR, 'examples', 'broken'), (f) => !f.endsWith('.expect.json')));
  groups.set('hl7-suite', suiteSeeds());
  for (const [k, v] of groups) if (!v.length) groups.delete(k);
  return groups;
}
