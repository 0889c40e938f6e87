import type { CompiledProfile, CompiledType, ElementNode } from '../model.js';
import { clip } from '../primitives.js';
import type { RuleContext } from './context.js';

/**
 * The profiles a resource is walked against: its base definition, the profiles asked for, the global
 * profiles for its type (ImplementationGuide.global) and those its meta.profile names (an unknown one is
 * a warning; cross-version URLs such as http://hl7.org/fhir/5.0/... name other FHIR versions and are skipped).
 */
export function profilesToApply(obj: Record<string, unknown>, rt: string, rpath: string, base: CompiledProfile, profiles: CompiledProfile[], ctx: RuleContext): CompiledProfile[] {
  const targets: CompiledProfile[] = [base];
  for (const p of profiles) if (!targets.includes(p)) targets.push(p);
  for (const g of ctx.options.globalProfiles ?? []) {
    const p = g.type === rt ? ctx.registry.get(g.profile) : undefined;
    if (p && !targets.includes(p)) targets.push(p);
  }
  const meta = obj.meta as { profile?: unknown } | undefined;
  if (meta && Array.isArray(meta.profile)) {
    meta.profile.forEach((url, i) => {
      if (typeof url !== 'string') return;
      const p = ctx.registry.get(url);
      if (!p && /^http:\/\/hl7\.org\/fhir\/\d\.\d\//.test(url)) return;
      if (!p) {
        ctx.report('Validation_VAL_Profile_Unknown', 'warning', 'not-found', `${rpath}.meta.profile[${i}]`, `Profile reference '${clip(url)}' has not been checked because it could not be found`);
      } else if (!targets.includes(p)) targets.push(p);
    });
  }
  return targets;
}

/**
 * A resource held in an element (contained, Bundle.entry.resource, Parameters.parameter.resource): the
 * element's profiles made for the resource's type, and the types the element allows. Each type of the
 * element may name its own profiles (type.profile lists alternatives): the resource picks those of its type.
 */
export function inlineResourceProfiles(node: ElementNode, t: CompiledType | undefined, obj: Record<string, unknown>, path: string, ctx: RuleContext): { profiles: CompiledProfile[]; allowed: string[] | undefined } {
  const rt = obj.resourceType;
  const typeProfiles = t ? (node.types.length ? node.types : [t]).flatMap((x) => x.profiles) : [];
  const named = [...new Set(typeProfiles)].map((p) => ctx.registry.get(p)).filter((p): p is CompiledProfile => !!p);
  const profiles = named.filter((p) => p.type === rt);
  const allowed = t && node.types.length ? node.types.map((x) => x.code) : undefined;
  const typeAllowed = !allowed || allowed.some((a) => a === rt || a === 'Resource' || a === 'DomainResource');
  if (typeof rt === 'string' && typeAllowed && named.length > 0 && profiles.length === 0 && !named.some((p) => p.type === 'Resource' || p.type === 'DomainResource')) {
    const types = [...new Set(named.map((p) => p.type))].join(', ');
    ctx.report('Bundle_BUNDLE_Entry_Type3', 'error', 'structure', path, `The type '${clip(rt)}' is not valid - the profile${named.length > 1 ? 's' : ''} on this element require${named.length > 1 ? '' : 's'} ${types}`);
  }
  return { profiles, allowed };
}
