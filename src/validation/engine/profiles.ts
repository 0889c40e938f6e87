import { imposedProfiles } from '../compile.js';
import type { CompiledProfile, CompiledType, ElementNode } from '../model.js';
import { clip } from '../primitives.js';
import type { RuleContext } from './context.js';
import { impliedProfile } from './implied-profiles.js';

/**
 * The profiles a resource is walked against: its base definition, the profiles asked for, the global
 * profiles for its type (ImplementationGuide.global) and those its meta.profile names (an unknown one is
 * a warning; cross-version URLs such as http://hl7.org/fhir/5.0/... name other FHIR versions and are skipped),
 * and the profile its content requires (implied-profiles.ts: the vital signs profiles).
 */
export function profilesToApply(obj: Record<string, unknown>, rt: string, rpath: string, base: CompiledProfile, profiles: CompiledProfile[], ctx: RuleContext): CompiledProfile[] {
  const targets: CompiledProfile[] = [base];
  for (const p of profiles) if (!targets.includes(p)) targets.push(p);
  // The profiles asked for (and the type's own definition) impose theirs on the resource itself.
  for (let i = 0; i < targets.length; i++) addImposed(targets[i]!, rpath, targets, ctx);
  for (const g of ctx.options.globalProfiles ?? []) {
    const p = g.type === rt ? ctx.registry.get(g.profile) : undefined;
    if (p && !targets.includes(p)) targets.push(p);
  }
  const meta = obj.meta as { profile?: unknown } | undefined;
  if (meta && Array.isArray(meta.profile)) {
    meta.profile.forEach((item, i) => {
      // A number or boolean is an error of its JSON type (json-shape.ts); as the reference's reader, its text is still the URL claimed.
      const url = typeof item === 'string' ? item : typeof item === 'number' || typeof item === 'boolean' ? String(item) : undefined;
      if (url === undefined) return;
      const at = `${rpath}.meta.profile[${i}]`;
      if (url !== base.url && versionSpecific(url, base, at, ctx)) return;
      const p = ctx.registry.get(url);
      if (!p && /^http:\/\/hl7\.org\/fhir\/\d\.\d\//.test(url)) return;
      if (!p) {
        ctx.report('Validation_VAL_Profile_Unknown', 'warning', 'not-found', `${rpath}.meta.profile[${i}]`, `Profile reference '${clip(url)}' has not been checked because it could not be found`);
      } else if (!targets.includes(p)) {
        targets.push(p);
        addImposed(p, at, targets, ctx);
      }
    });
  }
  const implied = impliedProfile(obj, rt);
  const p = implied === undefined ? undefined : ctx.registry.get(implied);
  if (p && !targets.includes(p)) targets.push(p);
  return targets;
}

/**
 * A profile that imposes others (the structuredefinition-imposeProfile extension) has the resource validated
 * against them too; one that cannot be found is a warning at `at` (VALIDATION_VAL_PROFILE_DEPENDS_NOT_RESOLVED),
 * as in the reference's validateResource.
 */
function addImposed(profile: CompiledProfile, at: string, targets: CompiledProfile[], ctx: RuleContext): void {
  for (const url of imposedBy(profile, ctx)) {
    const imposed = ctx.registry.get(url);
    if (!imposed) {
      const named = profile.version ? `${profile.url}|${profile.version}` : profile.url;
      ctx.report('VALIDATION_VAL_PROFILE_DEPENDS_NOT_RESOLVED', 'warning', 'business-rule', at, `Profile ${clip(named)} identifies ${clip(url)} as a dependency (using the extension http://hl7.org/fhir/StructureDefinition/structuredefinition-dependencies), but this profile could not be found`);
    } else if (!targets.includes(imposed)) targets.push(imposed);
  }
}

/** The profiles a definition imposes: recorded when it was compiled, else read once per compiled profile (most impose none). */
const imposedCache = new WeakMap<CompiledProfile, string[]>();
function imposedBy(profile: CompiledProfile, ctx: RuleContext): string[] {
  if (Array.isArray(profile.imposes)) return profile.imposes;
  let urls = imposedCache.get(profile);
  if (!urls) imposedCache.set(profile, (urls = imposedProfiles(profile.url ? ctx.lookup(profile.url) : undefined)));
  return urls;
}

/**
 * A version-specific core URL (`http://hl7.org/fhir/3.0/StructureDefinition/Patient`, read as the reference's
 * VersionUtilities.parseVersionUrl reads it): a profile of another FHIR version is ignored (information); one of
 * R4 must name the resource's own type. Returns true when the URL was such a URL.
 */
function versionSpecific(url: string, base: CompiledProfile, at: string, ctx: RuleContext): boolean {
  const v = url.length >= 24 ? url.slice(20, 24) : '';
  if (!url.startsWith('http://hl7.org/fhir/') || !/^(1\.0|1\.4|3\.0|4\.0|5\.0|6\.0)\/$/.test(v)) return false;
  const version = v.slice(0, 3);
  const plain = `http://hl7.org/fhir/${url.slice(24)}`;
  if (version !== '4.0') {
    ctx.report('VALIDATION_VAL_PROFILE_OTHER_VERSION', 'information', 'structure', at, `Profile is for a different version of FHIR (${version}) so has been ignored`);
  } else if (plain !== base.url) {
    ctx.report('VALIDATION_VAL_PROFILE_THIS_VERSION_OTHER', 'error', 'structure', at, `Profile is for this version of FHIR, but is an invalid type ${ctx.registry.get(plain)?.type ?? 'null'}`);
  }
  return true;
}

/** How the reference validator names where a resource sits (Element.SpecialElement.toHuman). */
function placeOf(path: string): string {
  if (/\.contained\[\d+\]$/.test(path)) return 'contained';
  if (/\.outcome$/.test(path)) return 'outcome';
  if (/\.entry\[\d+\]\.resource$/.test(path)) return 'entry';
  if (/\.resource$/.test(path)) return 'parameter';
  return '??';
}

/**
 * A resource held in an element (contained, Bundle.entry.resource, Parameters.parameter.resource):
 * the profiles it is walked against and the types the element allows (InstanceValidator.validateContains).
 * The element's type for the resource (`Resource`, or the resource's own type) may name profiles: one is
 * applied directly; several are alternatives the resource must conform to at least one of.
 */
export function inlineResourceProfiles(node: ElementNode, t: CompiledType | undefined, obj: Record<string, unknown>, path: string, ctx: RuleContext): { profiles: CompiledProfile[]; allowed: string[] | undefined } {
  const rt = obj.resourceType;
  const allowed = t && node.types.length ? node.types.map((x) => x.code) : undefined;
  if (!t || typeof rt !== 'string') return { profiles: [], allowed };
  const typeFor = (node.types.length ? node.types : [t]).find((x) => x.code === 'Resource' || x.code === 'DomainResource' || x.code === rt);
  if (!typeFor || typeFor.profiles.length === 0) return { profiles: [], allowed };
  const named = typeFor.profiles.map((url) => ({ url, p: ctx.registry.get(url) }));
  const known = named.filter((n): n is { url: string; p: CompiledProfile } => !!n.p);
  const fits = (p: CompiledProfile) => p.type === rt || p.type === 'Resource' || p.type === 'DomainResource';
  if (typeFor.code !== rt && known.length > 0 && !known.some((n) => fits(n.p))) {
    const types = [...new Set(known.map((n) => n.p.type))];
    if (types.length === 1) ctx.report('Bundle_BUNDLE_Entry_Type2', 'error', 'informational', path, `The type '${clip(rt)}' is not valid - must be ${types[0]}`);
    else ctx.report('Bundle_BUNDLE_Entry_Type3', 'error', 'informational', path, `The type '${clip(rt)}' is not valid - must be one of ${types.length} types: ${types.join(', ')}`);
    return { profiles: [], allowed };
  }
  const place = placeOf(path);
  if (named.length === 1) {
    if (known.length === 0) ctx.report('Bundle_BUNDLE_Entry_NoProfile_EXPL', 'error', 'invalid', path, `Specified profile ${clip(named[0]!.url)} not found for ${place} resource of type '${clip(rt)}'`);
    return { profiles: known.map((n) => n.p).filter((p) => p.type === rt), allowed };
  }
  for (const n of named) if (!n.p) ctx.report('Bundle_BUNDLE_Entry_NoProfile_TYPE', 'error', 'invalid', path, `No profile found for ${place} resource of type '${clip(n.url)}'`);
  const matched = known.filter((n) => ctx.conformsTo(obj, n.url));
  if (matched.length === 0 && known.length > 0) {
    ctx.report('BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_NO_MATCH', 'error', 'invalid', path, `The ${place} resource did not match any of the allowed profiles (Type ${clip(rt)}: ${known.map((n) => n.url).join(', ')})`);
    for (const n of known) ctx.report('BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_NO_MATCH_REASON', 'information', 'invalid', path, `The ${place} resource did not match the profile ${n.url} (validate it against that profile for the details)`);
  } else if (matched.length > 1) {
    ctx.report('BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_MULTIPLE_MATCHES', 'information', 'invalid', path, `The ${place} resource matched more than one of the allowed profiles (${matched.map((n) => n.url).join(', ')})`);
  }
  return { profiles: [], allowed };
}
