import { openBundle } from '../bundle-scope.js';
import { clip } from '../primitives.js';
import type { ResourceWalk } from './walk.js';

/** Which entries a bundle rule selects (BundleValidator.meetsRule), or the rule id of what is wrong with it. */
type Selector = { type: string | undefined; index: string | undefined } | { problem: string; message: string };

/**
 * `Type:n` selects the n-th entry holding a Type (from 0), `Type` (or `Type:*`) every entry holding a
 * Type, `n` the n-th entry of the Bundle.
 */
function parseRule(rule: string, isType: (t: string) => boolean): Selector {
  const colon = rule.indexOf(':');
  const isInteger = (s: string) => /^-?\d+$/.test(s);
  const type = colon >= 0 ? rule.slice(0, colon) : isInteger(rule) ? undefined : rule;
  const index = colon >= 0 ? rule.slice(colon + 1) : isInteger(rule) ? rule : undefined;
  if (!type && !index) return { problem: 'BUNDLE_RULE_NONE', message: 'No Rule' };
  if (type && !isType(type)) return { problem: 'BUNDLE_RULE_UNKNOWN', message: `Bundle Rule refers to invalid resource ${clip(type)}` };
  if (index && index !== '*' && !isInteger(index)) return { problem: 'BUNDLE_RULE_INVALID_INDEX', message: `Bundle Rules index is invalid (${clip(index)})` };
  return { type: type || undefined, index: index === '*' ? undefined : index || undefined };
}

/** Extra profiles for Bundle entries (EngineOptions.bundleProfiles): each selected entry is walked against the profile. */
export function applyBundleProfiles(walk: ResourceWalk, value: unknown): void {
  const rules = walk.options.bundleProfiles;
  if (!rules?.length || !value || typeof value !== 'object' || (value as { resourceType?: unknown }).resourceType !== 'Bundle') return;
  const entries = (value as { entry?: unknown }).entry;
  if (!Array.isArray(entries)) return;
  for (const { rule, profile } of rules) {
    const selector = parseRule(rule, (t) => !!walk.registry.resourceType(t));
    if ('problem' in selector) {
      walk.report(selector.problem, 'error', 'invalid', 'Bundle', selector.message);
      continue;
    }
    const prof = walk.registry.get(profile.split('|')[0]!) ?? walk.registry.get(profile);
    if (!prof) {
      walk.report('BUNDLE_RULE_PROFILE_UNKNOWN', 'error', 'not-found', 'Bundle', `Bundle Rules profile ${clip(profile)} is unknown for ${clip(rule)}`);
      continue;
    }
    const seen = new Map<string, number>();
    entries.forEach((e, i) => {
      const res = e && typeof e === 'object' ? (e as { resource?: { resourceType?: unknown } }).resource : undefined;
      if (!res || typeof res.resourceType !== 'string') return;
      const n = (seen.get(res.resourceType) ?? -1) + 1;
      seen.set(res.resourceType, n);
      const { type, index } = selector;
      const selected = type === undefined ? String(i) === index : res.resourceType === type && (index === undefined || String(n) === index);
      if (!selected) return;
      walk.bundle = openBundle(value as Record<string, unknown>, 'Bundle', walk.bundle);
      walk.validateResource(res, `Bundle.entry[${i}].resource`, [prof], undefined);
      walk.bundle = undefined;
    });
  }
}
