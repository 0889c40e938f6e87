import type { ValidationIssue } from '../../plugin-types/index.js';
import { UCUM_SYSTEM } from '../../terminology/ucum.js';
import { identifierRulesFor, ukIdentifierRules } from '../../terminology/uk/index.js';
import { checkAdsBundle, isAdsBundle, PROFILES } from './ads/index.js';
import type { ReportIssue } from './report.js';
import { checkUcumQuantity } from './ucum.js';
import { checkUkIdentifierNode } from './uk-identifiers.js';
import { walkTyped } from './walk.js';

/**
 * The rule modules that run after the profile walk, on every resource the input holds (contained resources and
 * bundle entries included): UK identifier rules on every Identifier, UCUM codes on every Quantity that claims
 * UCUM, and the ADS business rules on every Bundle claiming the ADS Bundle profile. Each module is pure and takes
 * a node (or resource) and a report callback, so it can move into the engine's rule table as it is.
 *
 * `reported` is what the profile walk found: a finding the walk already made at the same place (the Quantity rule's
 * or a binding's Unknown_Code_in on the same unit code) is not reported twice. `mayApply` false: no string value of
 * `root` is one {@link domainRulesMayApply} answers true for (the caller looked), so no rule can apply and the walk
 * is skipped. Never throws.
 */
export function domainRuleIssues(root: unknown, context: { reported: readonly ValidationIssue[]; mayApply?: boolean }): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (context.mayApply === false) return out;
  // Made on the first finding: most inputs give none.
  let already: Set<string> | undefined;
  const report: ReportIssue = (rule, severity, code, path, message) => {
    already ??= new Set(context.reported.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => i.expression));
    if (severity === 'error' && (already.has(path) || already.has(path.replace(/\.code$/, '')))) return;
    out.push({ severity, code, expression: path, message, rule });
  };
  try {
    walkTyped(root, rootPath(root), (n) => {
      if (n.type === 'Identifier') checkUkIdentifierNode(n, root, report);
      else if (n.node === n.resource) {
        if (isAdsBundle(n.node)) checkAdsBundle(n.node, report, { path: n.path });
      } else checkUcumQuantity(n, report);
    });
  } catch {
    out.push({ severity: 'error', code: 'exception', expression: '', message: 'The UK, UCUM and ADS rules could not be run on this input', rule: 'ADSFHIR_DOMAIN_RULES_FAILED' });
  }
  return out;
}

function rootPath(root: unknown): string {
  const type = (root as { resourceType?: unknown } | null)?.resourceType;
  return typeof type === 'string' ? type : '';
}

const ADS_BUNDLE_VERSIONED = `${PROFILES.bundle}|`;

/** A string's 8th and 9th characters, the first two that set the values below apart from most URLs ('http://h', 'http://l'). */
const signature = (s: string): number => (s.charCodeAt(7) << 16) | s.charCodeAt(8);
const STARTS = [UCUM_SYSTEM, ...Object.keys(ukIdentifierRules), PROFILES.bundle];
const SIGNATURES = new Set(STARTS.map(signature));
const SHORTEST = Math.min(...STARTS.map((s) => s.length));

/**
 * Whether a string value may make a rule module apply: an Identifier.system with UK rules, the UCUM system of a
 * Quantity, the ADS Bundle profile in meta.profile. Every module starts from one of these values, so a payload none
 * of whose strings is one gives no finding. Asked of every string of a payload: most are told by their length or
 * two characters.
 */
export function domainRulesMayApply(s: string): boolean {
  if (s.length < SHORTEST || !SIGNATURES.has(signature(s))) return false;
  return s === UCUM_SYSTEM || identifierRulesFor(s).length > 0 || s === PROFILES.bundle || s.startsWith(ADS_BUNDLE_VERSIONED);
}
