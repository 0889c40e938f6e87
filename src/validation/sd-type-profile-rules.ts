/**
 * StructureDefinition authoring rules on the profiles an element's types name (the reference validator's
 * StructureDefinitionValidator.validateElementType, validateTypeProfile and validateTargetProfile) and on
 * must-support flags inside types (validateElementDefinition): a type or target profile must resolve, and its
 * base chain must reach the type it constrains; a type, profile or target marked must-support needs the
 * element itself to be must-support. Called from sd-element-rules.ts for each element of the differential and
 * snapshot, only when the structure's base is known (as in the reference).
 */
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;
type Resolve = (url: string) => Obj | undefined;

const FHIR_TYPE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const TYPE_MUST_SUPPORT = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-type-must-support';

/**
 * Definitions the reference may know from packages this validator does not load (HL7 and fhir.org
 * definitions, the cross-version extensions it synthesises): for them an unresolved URL is not reported, since
 * the reference's answer cannot be told from here.
 */
export const MAY_BE_KNOWN_ELSEWHERE = /^https?:\/\/([a-z0-9-]+\.)*(hl7\.org|fhir\.org)(\/|$)/i;

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : String(v ?? ''));

/** The code the reference works with: the structuredefinition-fhir-type extension, when present, names the type. */
function workingCode(t: Obj): string | undefined {
  const ext = list(t.extension).find((x) => x.url === FHIR_TYPE);
  const v = ext ? (ext.valueUrl ?? ext.valueUri ?? ext.valueString) : undefined;
  const code = typeof v === 'string' ? v : t.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

export type ProfileStatus = 'unknown' | 'no-type' | 'found';

/**
 * Whether a profile resolves and, following its base definitions while they are constraints, reaches the
 * definition of a type (the reference's determineBaseType). A loop in the chain is left undecided (undefined).
 */
export function profileStatus(url: string, resolve: Resolve): ProfileStatus | undefined {
  let sd = resolve(url);
  if (!sd) return 'unknown';
  for (let depth = 0; sd.derivation === 'constraint'; depth++) {
    if (depth > 20) return undefined;
    const base: unknown = sd.baseDefinition;
    sd = typeof base === 'string' ? resolve(base) : undefined;
    // A base the reference may hold though no package here does leaves the answer open.
    if (!sd) return typeof base === 'string' && MAY_BE_KNOWN_ELSEWHERE.test(base) ? undefined : 'no-type';
  }
  return 'found';
}

/**
 * Each type profile, and each target profile of a Reference, CodeableReference or canonical, must resolve
 * (a warning: the definition may live elsewhere) and reach the type it applies to (an error). As in the
 * reference, type and profile are located at index 0.
 */
export function checkTypeProfileResolution(e: Obj, at: string, resolve: Resolve, report: Report): void {
  for (const t of list(e.type)) {
    const code = t.code;
    if (workingCode(t) === undefined || typeof code !== 'string') continue;
    const where = `${at}.type[0]`;
    const withTargets = code === 'Reference' || code === 'CodeableReference' || code === 'canonical';
    const lists: [string, unknown][] = [['profile', t.profile]];
    if (withTargets) lists.push(['targetProfile', t.targetProfile]);
    for (const [name, values] of lists) {
      for (const p of Array.isArray(values) ? values : []) {
        if (typeof p !== 'string' || p === '') continue;
        const status = profileStatus(p, resolve);
        if (status === 'unknown' && !MAY_BE_KNOWN_ELSEWHERE.test(p)) {
          report('SD_ED_TYPE_PROFILE_UNKNOWN', 'warning', 'exception', `${where}.${name}[0]`, `Unable to resolve profile ${str(p)}`);
        } else if (status === 'no-type') {
          report('SD_ED_TYPE_PROFILE_NOTYPE', 'error', 'exception', `${where}.${name}[0]`, `Found profile ${str(p)}, but unable to determine the type it applies to`);
        }
      }
    }
  }
}

function flaggedMustSupport(x: unknown): boolean {
  if (!x || typeof x !== 'object') return false;
  const ext = list((x as Obj).extension).find((f) => f.url === TYPE_MUST_SUPPORT);
  return ext?.valueBoolean === true;
}

/** A type, or one of its profiles or target profiles, carrying the type-must-support extension set to true. */
function typeMustSupport(t: Obj): boolean {
  if (flaggedMustSupport(t)) return true;
  for (const key of ['_profile', '_targetProfile']) {
    const meta = t[key];
    if (Array.isArray(meta) && meta.some(flaggedMustSupport)) return true;
  }
  return false;
}

/**
 * Must-support on a type, profile or target is ignored unless the element is must-support: a warning in the
 * snapshot; a hint in a differential when the structure has no snapshot (the element may inherit the flag).
 */
export function checkNestedMustSupport(e: Obj, elementPath: string | undefined, at: string, snapshot: boolean, hasSnapshot: boolean, report: Report): void {
  if (e.mustSupport === true || !list(e.type).some(typeMustSupport)) return;
  const p = str(elementPath);
  if (snapshot) {
    report('SD_NESTED_MUST_SUPPORT_SNAPSHOT', 'warning', 'exception', at, `The element ${p} has types/profiles/targets that are marked as must support, but the element itself is not marked as must-support`);
  } else if (!hasSnapshot) {
    report('SD_NESTED_MUST_SUPPORT_DIFF', 'information', 'exception', at, `The element ${p} has types/profiles/targets that are marked as must support, but the element itself is not marked as must-support. The inner must-supports will be ignored unless the element inherits must-support = true`);
  }
}
