import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROKEN_CASES } from '../examples/broken/cases.js';
import { DOMAIN_RULES } from '../src/validation/index.js';

// The catalogue of UK, UCUM and ADS rule ids agrees with the code that reports them, with the broken examples that
// exercise them, and with the docs that list them.

const root = path.resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');
const sources = (dir: string) =>
  readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && f.name.endsWith('.ts') && !f.name.endsWith('.test.ts'))
    .map((f) => readFileSync(path.join(f.parentPath, f.name), 'utf8'));
const ids = new Set(DOMAIN_RULES.map((r) => r.id));

/**
 * Covered by test/uk-ucum-rules.test.ts instead: the broken payloads carry one defect each, and these warnings ride
 * along; the UCUM post-pass fires only on Age, Count, Distance and Duration values (a Quantity's code is judged by the
 * walk's own rule), which no ADS profile uses, so no ADS bundle can carry it.
 */
const NO_BROKEN_CASE: Record<string, string> = {
  UK_ODS_ORGANISATION_CODE_UNUSUAL: 'test/uk-ucum-rules.test.ts',
  UK_ODS_SITE_CODE_UNUSUAL: 'test/uk-ucum-rules.test.ts',
  ADSFHIR_UCUM_CODE_INVALID: 'test/uk-ucum-rules.test.ts',
};

describe('the rule catalogue', () => {
  it('lists every id the rule modules report, and nothing else', () => {
    const reported = new Set<string>();
    for (const text of sources('src/validation/domain-rules')) for (const m of text.matchAll(/report\('([A-Z0-9_]+)'/g)) reported.add(m[1]!);
    for (const m of read('src/terminology/uk/rules.ts').matchAll(/rule: '([A-Z0-9_]+)'/g)) reported.add(m[1]!);
    expect([...reported].sort()).toEqual([...ids].sort());
  });

  it('has a broken example for every rule (the first rule id of the case)', () => {
    const first = new Set(BROKEN_CASES.map((c) => c.ruleIds[0]).filter(Boolean));
    expect([...ids].filter((id) => !first.has(id) && !NO_BROKEN_CASE[id])).toEqual([]);
    // Ids of the rule modules must be in their catalogue; the others are the engine's reference keys (test/rule-ids.test.ts).
    const ofRuleModules = (id: string) => /^(UK_|ADS_|ADSFHIR_UCUM_)/.test(id);
    for (const c of BROKEN_CASES) for (const id of c.ruleIds.filter(ofRuleModules)) expect(ids.has(id), `${c.name}: ${id}`).toBe(true);
  });

  it('is documented: UK and UCUM rules in docs/uk-rules.md, ADS rules in docs/builder.md', () => {
    const uk = read('docs/uk-rules.md');
    const ads = read('docs/builder.md');
    for (const r of DOMAIN_RULES) expect((r.id.startsWith('ADS_') ? ads : uk).includes(`\`${r.id}\``), r.id).toBe(true);
  });
});
