import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StructureDefinition } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../src/validation/index.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const examples = join(repo, 'profiles', 'ukcore', 'example');
const defectsDoc = join(repo, 'docs', 'ukcore-example-defects.md');
const UKCORE = 'https://fhir.hl7.org.uk/StructureDefinition/';

interface Listed {
  file: string;
  /** Text one of the example's errors must contain: it fails for the reason given, not another. */
  finding: string;
}

/** Rows of the tables in docs/ukcore-example-defects.md: `| \`file\` | profile | \`finding\` | why |`. */
function listedFailures(): Listed[] {
  const rows: Listed[] = [];
  for (const line of readFileSync(defectsDoc, 'utf8').split('\n')) {
    const m = /^\|\s*`([^`]+\.json)`\s*\|[^|]*\|\s*`([^`]+)`\s*\|/.exec(line);
    if (m?.[1] && m[2]) rows.push({ file: m[1], finding: m[2] });
  }
  return rows;
}

/**
 * The profile an example claims: its meta.profile, else the most specific UK Core profile of the
 * resource's type whose name parts all appear in the file name
 * (`Observation-UKCore-Observation-VitalSigns-BMI-...` -> UKCore-Observation-VitalSigns-BMI,
 * `Observation-UKCore-VitalSigns-Observation-OxygenSaturation-...` -> UKCore-Observation-VitalSigns-OxygenSaturation),
 * which for extension examples such as `Patient-Extension-UKCore-BirthSex-Example` is UKCore-<type>.
 * The UK Core source has no profile for some types (Immunization, Specimen, ...): those examples are
 * validated against core R4, and their extensions against their definitions.
 */
function declaredProfiles(service: ValidationService, file: string, resource: { resourceType?: string; meta?: { profile?: string[] } }): string[] {
  if (resource.meta?.profile?.length) return [];
  const nameParts = new Set(file.replace(/-Example\.json$/, '').split('-'));
  let best: { url: string; parts: number } | undefined;
  for (const sd of service.store.all<StructureDefinition>('StructureDefinition')) {
    if (sd.type !== resource.resourceType || sd.derivation !== 'constraint' || !sd.url.startsWith(`${UKCORE}UKCore-`)) continue;
    const parts = sd.url.slice(UKCORE.length).split('-');
    if (parts.every((p) => nameParts.has(p)) && parts.length > (best?.parts ?? 0)) best = { url: sd.url, parts: parts.length };
  }
  return best ? [best.url] : [];
}

describe('UK Core examples', () => {
  let service: ValidationService;
  const errorsByFile = new Map<string, string[]>();
  const files = readdirSync(examples)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .sort();

  beforeAll(async () => {
    service = await createValidationService();
    for (const file of files) {
      const resource = JSON.parse(readFileSync(join(examples, file), 'utf8')) as { resourceType?: string };
      const outcome = service.validate(resource, { profiles: declaredProfiles(service, file, resource) });
      const errors = outcome.issue
        .filter((i) => i.severity === 'error' || i.severity === 'fatal')
        .map((i) => `${i.expression?.[0] ?? ''}: ${i.details?.text ?? ''}`);
      if (errors.length) errorsByFile.set(file, errors);
    }
  });

  it('are all there to validate', () => {
    expect(files.length).toBeGreaterThan(150);
  });

  it('validate clean except the ones listed in docs/ukcore-example-defects.md, each for its listed reason', () => {
    const listed = listedFailures();
    const failing = [...errorsByFile.keys()];
    // A new failure must be investigated and listed; a listed example that now passes must leave the list.
    expect(failing).toEqual(listed.map((l) => l.file).sort());
    for (const { file, finding } of listed) {
      expect(errorsByFile.get(file)?.some((e) => e.includes(finding)), `${file} fails with "${finding}"`).toBe(true);
    }
  });

  it('are counted right in docs/ukcore-example-defects.md', () => {
    const counts = /\*\*(\d+) validate clean, (\d+) (?:is a defect|are defects) of the examples, (\d+) (?:is a suspected validator bug|are suspected validator bugs)\.\*\*/.exec(
      readFileSync(defectsDoc, 'utf8'),
    );
    const [clean, defects, bugs] = (counts ?? []).slice(1).map(Number);
    expect(clean).toBe(files.length - errorsByFile.size);
    expect((defects ?? 0) + (bugs ?? 0)).toBe(errorsByFile.size);
  });

  it('take their profile from the file name when meta.profile is absent', () => {
    const bmi = files.find((f) => f.startsWith('Observation-UKCore-Observation-VitalSigns-BMI-'));
    expect(bmi).toBeDefined();
    expect(declaredProfiles(service, bmi ?? '', { resourceType: 'Observation' })).toEqual([`${UKCORE}UKCore-Observation-VitalSigns-BMI`]);
    expect(declaredProfiles(service, 'Observation-UKCore-VitalSigns-Observation-OxygenSaturation-Example.json', { resourceType: 'Observation' })).toEqual([
      `${UKCORE}UKCore-Observation-VitalSigns-OxygenSaturation`,
    ]);
    expect(declaredProfiles(service, 'Patient-Extension-UKCore-BirthSex-Example.json', { resourceType: 'Patient' })).toEqual([`${UKCORE}UKCore-Patient`]);
    expect(declaredProfiles(service, 'Specimen-Extension-UKCore-SpecialHandling-Example.json', { resourceType: 'Specimen' })).toEqual([]);
  });
});
