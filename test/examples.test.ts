import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Coding, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.js';
import { readAdsPackage } from '../src/builder/ads-package.js';

const bundlesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'bundles');
const pkg = readAdsPackage();
const byUrl = new Map(pkg.resources.map((r) => [r.url, r]));

function codings(value: unknown, out: Coding[] = []): Coding[] {
  if (Array.isArray(value)) value.forEach((v) => codings(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.system === 'string' && typeof o.code === 'string') out.push(o as Coding);
    Object.values(o).forEach((v) => codings(v, out));
  }
  return out;
}
function extensionUrls(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => extensionUrls(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'extension' && Array.isArray(v)) for (const e of v) if (typeof e?.url === 'string' && e.url.startsWith('http')) out.push(e.url);
      extensionUrls(v, out);
    }
  }
  return out;
}

describe('examples', () => {
  it('has one saved JSON per example and nothing else', () => {
    expect(readdirSync(bundlesDir).sort()).toEqual(Object.keys(EXAMPLES).map((n) => `${n}.json`).sort());
  });

  describe.each(Object.entries(EXAMPLES))('%s', (name, build) => {
    const { bundle, outcome } = build();

    it('saved JSON equals what the code builds now (regenerate: npx tsx examples/write-bundles.ts)', () => {
      const saved = JSON.parse(readFileSync(path.join(bundlesDir, `${name}.json`), 'utf8')) as Bundle;
      expect(saved).toEqual(bundle);
    });

    it('passes the builder checks', () => {
      expect(outcome.issue.filter((i) => i.severity !== 'information')).toEqual([]);
    });

    it('claims only profiles and extensions of the ADS package or UK Core, and ADS codes that exist', () => {
      const claimed = [bundle, ...(bundle.entry ?? []).map((e) => e.resource)].flatMap((r) => r?.meta?.profile ?? []);
      for (const p of claimed) expect((byUrl.get(p) as StructureDefinition | undefined)?.resourceType, p).toBe('StructureDefinition');
      for (const url of extensionUrls(bundle)) {
        expect(byUrl.has(url) || url.startsWith('https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-'), url).toBe(true);
      }
      for (const c of codings(bundle).filter((c) => c.system!.startsWith('https://fhir.nhs.uk/R4/CodeSystem/'))) {
        const cs = byUrl.get(c.system!) as { concept?: { code: string }[] } | undefined;
        expect(cs?.concept?.some((x) => x.code === c.code), `${c.system}|${c.code}`).toBe(true);
      }
    });
  });

  it('covers the incidents the data set needs', () => {
    const rtc = EXAMPLES['road-traffic-collision']!().bundle;
    const count = (type: string, profile?: string) => (rtc.entry ?? []).filter((e) => e.resource?.resourceType === type && (!profile || e.resource.meta?.profile?.[0]?.endsWith(profile))).length;
    expect([count('Location', 'Vehicle-Location'), count('Patient'), count('Encounter', 'PatientContact-Encounter')]).toEqual([2, 3, 3]);
    const stop = EXAMPLES['stop-code-no-response']!().bundle;
    expect(stop.entry?.some((e) => e.resource?.resourceType === 'Patient')).toBe(false);
    expect((stop.entry?.[0]?.resource as { status?: string }).status).toBe('stopped');
  });
});
