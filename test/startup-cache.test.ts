/**
 * The on-disk cache of compiled profiles and generated snapshots, through the public entry point: a later
 * service over the same packages reads what an earlier one derived, and a damaged cache is rebuilt.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../src/packages/test-fixtures.js';
import { createValidationService } from '../src/validation/index.js';

const bundle = readFileSync(join(import.meta.dirname, '..', 'examples', 'bundles', 'road-traffic-collision.json'), 'utf8');

async function outcomeWith(cacheDir: string): Promise<string> {
  const service = await createValidationService({ store: { cacheDir } });
  return JSON.stringify(service.validateText(bundle, { format: 'json' }).outcome);
}

describe('on-disk cache of compiled profiles and snapshots', () => {
  it('is read by later services, and a damaged cache is rebuilt, never trusted', async () => {
    const cacheDir = tempDir('ads-fhir-derived-');
    const first = await outcomeWith(cacheDir);
    const files = readdirSync(join(cacheDir, 'derived'));
    const compiled = join(cacheDir, 'derived', files.find((f) => f.startsWith('compiled-profiles-'))!);
    expect(files.some((f) => f.startsWith('snapshots-'))).toBe(true);
    expect(await outcomeWith(cacheDir)).toBe(first);

    // What the later service validates with comes from the file: forbid Patient.birthDate in the cached ADS Patient.
    const lines = readFileSync(compiled, 'utf8').split('\n');
    const patient = lines.find((l) => l.startsWith('https://fhir.nhs.uk/R4/StructureDefinition/UKCore-ADS-Patient\t'))!;
    const [key, json] = patient.split('\t') as [string, string];
    const form = JSON.parse(json) as { nodes: { f: { path?: string; max?: number | null } }[] };
    form.nodes.find((n) => n.f.path === 'Patient.birthDate')!.f.max = 0;
    appendFileSync(compiled, `${key}\t${JSON.stringify(form)}\n`);
    const tampered = await outcomeWith(cacheDir);
    expect(tampered).not.toBe(first);
    expect(tampered).toContain('birthDate');

    // Snapshots too: a generated UK Core Patient snapshot is read back, not generated again.
    const snapshots = join(cacheDir, 'derived', files.find((f) => f.startsWith('snapshots-'))!);
    const url = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient';
    const entry = readFileSync(snapshots, 'utf8').split('\n').find((l) => l.split('\t')[0]!.endsWith(`|${url}`))!;
    const [snapshotKey, elements] = entry.split('\t') as [string, string];
    appendFileSync(snapshots, `${snapshotKey}\t${elements.replace('"short":"', '"short":"read from the cache: ')}\n`);
    const later = await createValidationService({ store: { cacheDir } });
    expect(JSON.stringify(later.store.structureDefinition(url)?.snapshot)).toContain('read from the cache: ');

    // Garbage in every cache file: the next service derives everything again and says the same as the first.
    for (const f of readdirSync(join(cacheDir, 'derived'))) writeFileSync(join(cacheDir, 'derived', f), '\u0000garbage\t{\n\tnot json\nx');
    expect(await outcomeWith(cacheDir)).toBe(first);
  }, 120_000);
});
