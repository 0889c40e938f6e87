import { openBundle } from '../bundle-scope.js';
import { clip } from '../primitives.js';
import type { ResourceWalk } from './walk.js';

/**
 * Extra profiles for Bundle entries (EngineOptions.bundleProfiles): rule `Type:n` selects the n-th
 * entry holding a Type, `Type:*` (or `Type`) all of them; each selected entry is walked against the profile.
 */
export function applyBundleProfiles(walk: ResourceWalk, value: unknown): void {
  const rules = walk.options.bundleProfiles;
  if (!rules?.length || !value || typeof value !== 'object' || (value as { resourceType?: unknown }).resourceType !== 'Bundle') return;
  const entries = (value as { entry?: unknown }).entry;
  if (!Array.isArray(entries)) return;
  for (const { rule, profile } of rules) {
    const [type, nth] = rule.split(':');
    const prof = walk.registry.get(profile.split('|')[0]!) ?? walk.registry.get(profile);
    if (!prof) {
      walk.report('BUNDLE_RULE_PROFILE_UNKNOWN', 'error', 'not-found', 'Bundle', `The profile ${clip(profile)} named for bundle entries could not be found`);
      continue;
    }
    let seen = -1;
    entries.forEach((e, i) => {
      const res = e && typeof e === 'object' ? (e as { resource?: { resourceType?: unknown } }).resource : undefined;
      if (!res || res.resourceType !== type) return;
      seen++;
      if (nth === undefined || nth === '*' || Number(nth) === seen) {
        walk.bundle = openBundle(value as Record<string, unknown>, 'Bundle', walk.bundle, walk.report);
        walk.validateResource(res, `Bundle.entry[${i}].resource`, [prof], undefined);
        walk.bundle = undefined;
      }
    });
  }
}
