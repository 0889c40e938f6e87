import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One step's expectation: the outcome the reference validator produced. */
export interface ExpectedOutcome {
  issue?: { severity: string; code?: string; expression?: string[]; extension?: { url: string }[]; details?: { text?: string } }[];
}

export interface SuiteStep {
  kind: 'base' | 'profile';
  /** Profile source (file in the suite or canonical URL), for profile steps. */
  profileSource?: string;
  supporting: string[];
  expected: ExpectedOutcome | undefined;
  assumeValidRestReferences: boolean;
}

export interface SuiteCase {
  name: string;
  tier: string;
  file: string;
  fmt: 'json' | 'xml';
  module: string;
  /** Files loaded for every step. */
  supporting: string[];
  allowedExtensionDomains: string[];
  noHtmlInMarkdown: boolean;
  bundleProfiles: { rule: string; profile: string }[];
  /** The case asks for references to be resolved from the suite folder (validateReference). */
  validateReference: boolean;
  /** Display language(s) the case is validated with (`en, de`). */
  language?: string;
  steps: SuiteStep[];
}

interface IndexRow {
  name: string;
  tier: string;
  file: string;
  fmt: 'json' | 'xml';
  module: string;
  /** Outcome files of the case (`java/R4.<name>-base.json`, ...). */
  outcomes?: string[];
}

interface ManifestCase {
  name: string;
  file: string;
  version?: string;
  supporting?: string[];
  profiles?: string[];
  java?: string | { outcome?: ExpectedOutcome };
  profile?: { source?: string; supporting?: string[]; java?: string | { outcome?: ExpectedOutcome }; assumeValidRestReferences?: boolean };
  assumeValidRestReferences?: boolean;
  'allowed-extension-domain'?: string | string[];
  noHtmlInMarkdown?: boolean;
  'bundle-param'?: { rule: string; profile: string };
  validateReference?: string;
  language?: string;
}

/** Reads the suite laid out as `<dir>/r4-index.json` + `<dir>/validator/manifest.json`. */
export function loadSuite(dir: string): SuiteCase[] {
  const index = JSON.parse(readFileSync(join(dir, 'r4-index.json'), 'utf8')) as { cases: IndexRow[] };
  const manifest = JSON.parse(readFileSync(join(dir, 'validator', 'manifest.json'), 'utf8')) as { 'test-cases': ManifestCase[] };
  const r4 = manifest['test-cases'].filter((c) => (c.version ?? '').startsWith('4.0'));
  const cases: SuiteCase[] = [];
  for (const row of index.cases) {
    // Names repeat in the manifest; the index's outcome files say which entry the row is.
    const m =
      r4.find((c) => c.name === row.name && c.file === row.file && typeof c.java === 'string' && (row.outcomes ?? []).includes(c.java)) ??
      r4.find((c) => c.name === row.name && c.file === row.file) ??
      r4.find((c) => c.name === row.name);
    if (!m) continue;
    const steps: SuiteStep[] = [{ kind: 'base', supporting: [], expected: readOutcome(dir, m.java), assumeValidRestReferences: m.assumeValidRestReferences === true }];
    if (m.profile?.source) {
      steps.push({ kind: 'profile', profileSource: m.profile.source, supporting: m.profile.supporting ?? [], expected: readOutcome(dir, m.profile.java), assumeValidRestReferences: (m.profile.assumeValidRestReferences ?? m.assumeValidRestReferences) === true });
    }
    const domains = m['allowed-extension-domain'];
    cases.push({
      name: row.name,
      tier: row.tier,
      file: row.file,
      fmt: row.fmt,
      module: row.module,
      supporting: [...(m.supporting ?? []), ...(m.profiles ?? [])],
      allowedExtensionDomains: domains === undefined ? [] : Array.isArray(domains) ? domains : [domains],
      noHtmlInMarkdown: m.noHtmlInMarkdown === true,
      bundleProfiles: m['bundle-param'] ? [m['bundle-param']] : [],
      validateReference: m.validateReference !== undefined,
      ...(typeof m.language === 'string' ? { language: m.language } : {}),
      steps,
    });
  }
  return cases;
}

function readOutcome(dir: string, ref: ManifestCase['java']): ExpectedOutcome | undefined {
  if (!ref) return undefined;
  if (typeof ref !== 'string') return ref.outcome;
  try {
    return JSON.parse(readFileSync(join(dir, 'validator', 'outcomes', ref), 'utf8')) as ExpectedOutcome;
  } catch {
    return undefined;
  }
}
