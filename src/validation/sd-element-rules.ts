/**
 * StructureDefinition authoring rules on each element of the differential and the snapshot as written (the
 * reference validator's StructureDefinitionValidator.validateElementDefinition, validateBinding and
 * validateElementDefinitionInvariant): slicing that the base element allows, deprecated pattern
 * discriminators, meaningWhenMissing in constraints, fixed/pattern/default values in the snapshot, bindings to
 * what is not a value set, and invariants without a key or with conflicting expressions.
 */
import type { Report } from '../plugin-types/index.js';
import { CORE_SD_BASE as CORE_SD } from '../systems/index.js';
import { checkElementExtras } from './sd-element-extra-rules.js';
import { checkDiscriminatorPaths, checkInvariantExpression } from './sd-expression-rules.js';
import { MAY_BE_KNOWN_ELSEWHERE, checkNestedMustSupport, checkTypeProfileResolution, profileStatus } from './sd-type-profile-rules.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;
type Resolve = (url: string) => Obj | undefined;

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : String(v ?? ''));

/** Bindings to all of a large code system, which the reference asks authors to review. */
const ALL_CODES: Record<string, [string, string]> = {
  'http://loinc.org/vs': ['SD_ED_BIND_ALL_LOINC_CODES', 'This binding is to ALL LOINC codes, which includes part codes and answer list codes. The value set choice should be reviewed'],
  'http://snomed.info/sct?fhir_vs': ['SD_ED_BIND_ALLSCT_CODES', 'This binding is to ALL SNOMED CT codes, which includes qualifiers etc. The value set choice should be reviewed'],
  'http://hl7.org/fhir/ValueSet/cpt-all': ['SD_ED_BIND_ALL_CPT_CODES', 'This binding is to ALL CPT codes, which includes modifiers and internal metadata codes. The value set choice should be reviewed'],
};

const PRIMITIVE = /^[a-z]/;

/**
 * Value sets a terminology server may know though no package here holds them (the reference asks its server
 * before reporting a value set as unknown): those of the big code systems and of the NLM's value set authority.
 */
const TERMINOLOGY_HOSTS = /^https?:\/\/([a-z0-9-]+\.)*(loinc\.org|snomed\.info|nlm\.nih\.gov|ihtsdotools\.org|who\.int|cdc\.gov|ama-assn\.org)(\/|$)/i;

/** Runs, as in the reference, only when the base structure is known. */
export function checkElementLists(sd: Obj, base: Obj, path: string, resolve: Resolve, report: Report, baseWithSnapshot: () => Obj | undefined = () => base): void {
  const constraint = sd.derivation === 'constraint';
  const hasSnapshot = list((sd.snapshot as { element?: unknown } | undefined)?.element).length > 0;
  // The reference asks whether the structure has a snapshot element at all, however empty.
  const hasSnapshotElement = sd.snapshot !== undefined && sd.snapshot !== null;
  const baseElements = list((base.snapshot as { element?: unknown } | undefined)?.element);
  let generated: Obj[] | undefined;
  // The base's snapshot as the reference holds it (generated when the package gives none), read only when needed.
  const generatedBase = (): Obj[] => (generated ??= baseElements.length > 0 ? baseElements : list((baseWithSnapshot()?.snapshot as { element?: unknown } | undefined)?.element));
  const inherited = new Map<string, string>();
  for (const e of list((base.snapshot as { element?: unknown } | undefined)?.element)) {
    for (const c of list(e.constraint)) if (typeof c.key === 'string' && !inherited.has(c.key)) inherited.set(c.key, String(c.expression ?? ''));
  }
  for (const part of ['differential', 'snapshot'] as const) {
    const snapshot = part === 'snapshot';
    const invariants = new Map<string, string>();
    const elements = list((sd[part] as { element?: unknown } | undefined)?.element);
    elements.forEach((e, i) => {
      const at = `${path}.${part}.element[${i}]`;
      const elementPath = typeof e.path === 'string' ? e.path : undefined;
      // Without a snapshot, sd-rules.ts reports root slicing among the problems of snapshot generation.
      if (!snapshot && hasSnapshot && elementPath && !elementPath.includes('.') && e.slicing !== undefined) {
        report('SD_NO_SLICING_ON_ROOT', 'error', 'invalid', at, 'Slicing is not allowed at the root of a profile');
      }
      if (!snapshot && constraint && e.meaningWhenMissing !== undefined && elementPath && elementPath !== 'Extension' && !elementPath.endsWith('.extension')) {
        report('SD_ELEMENT_NOT_IN_CONSTRAINT', 'error', 'not-found', at, `The element definition for ${elementPath} has a property meaningWhenMissing which is not allowed in a profile`);
      }
      if (elementPath && e.slicing && typeof e.slicing === 'object') {
        checkSlicingAllowed(e.slicing as Obj, elementPath, at, resolve, report);
        checkDiscriminatorPaths(e, elementPath, at, resolve, report);
      }
      if (e.binding && typeof e.binding === 'object') {
        checkBinding(sd, e.binding as Obj, elementPath, `${at}.binding`, resolve, report);
        if (!snapshot) checkBoundTypes(e, elementPath, `${at}.binding`, report);
      }
      if (!snapshot) checkFixedType(e, at, baseElements, report);
      if (!snapshot && choiceOf(e, 'pattern')) checkPatternAgainstBase(e, at, generatedBase(), report);
      if (snapshot) checkSnapshotValues(e, at, report);
      if (snapshot && elementPath) checkSnapshotTable(e, elementPath, constraint, at, report);
      if (elementPath) checkTypeProfiles(sd, e, elementPath, at, resolve, report);
      checkTypeProfileResolution(e, at, resolve, report);
      checkNestedMustSupport(e, elementPath, at, snapshot, hasSnapshotElement, report);
      if (elementPath) checkElementExtras(sd, e, elementPath, at, snapshot, report);
      list(e.constraint).forEach((c, k) => {
        checkInvariant(sd, c, `${at}.constraint[${k}]`, snapshot, invariants, inherited, report);
        if (snapshot) checkInvariantExpression(sd, c, `${at}.constraint[${k}]`, elements, report);
      });
    });
  }
}

/** Slicing needs a repeating (or choice) element in the type's definition; a pattern discriminator is deprecated. */
function checkSlicingAllowed(slicing: Obj, elementPath: string, at: string, resolve: Resolve, report: Report): void {
  const typeName = elementPath.includes('.') ? elementPath.slice(0, elementPath.indexOf('.')) : elementPath;
  const typeDef = /^[A-Za-z][A-Za-z0-9]*$/.test(typeName) ? resolve(`${CORE_SD}${typeName}`) : undefined;
  const ted = list((typeDef?.snapshot as { element?: unknown } | undefined)?.element).find((x) => x.path === elementPath);
  if (ted && ted.max === '1' && !elementPath.includes('[x]')) {
    report('SD_PATH_NO_SLICING', 'error', 'not-found', `${at}.slicing`, `Slicing is not allowed at '${elementPath}'`);
  }
  list(slicing.discriminator).forEach((d, k) => {
    if (d.type !== 'pattern') return;
    report('SD_PATH_SLICING_DEPRECATED', 'information', 'business-rule', `${at}.slicing.discriminator[${k}]`, "The discriminator type 'pattern' is deprecated in R5+. For future compatibility, you could consider using type=value with a pattern[x] instead (if this is not an inherited slicing)");
  });
}

/** A binding's value set is a ValueSet, not experimental unless the structure is, and not all of LOINC, SNOMED CT or CPT. */
function checkBinding(sd: Obj, binding: Obj, elementPath: string | undefined, at: string, resolve: Resolve, report: Report): void {
  const ref = typeof binding.valueSet === 'string' ? binding.valueSet : undefined;
  if (ref === undefined) return;
  const vs = resolve(ref);
  // Only web URLs: a server may know an OID or other URN that no package here holds.
  if (!vs && /^https?:\/\//.test(ref) && !MAY_BE_KNOWN_ELSEWHERE.test(ref) && !TERMINOLOGY_HOSTS.test(ref)) {
    report('SD_ED_BIND_UNKNOWN_VS', 'warning', 'business-rule', at, `The valueSet reference ${str(ref)} on element ${str(elementPath)} could not be resolved`);
  } else if (vs && vs.resourceType !== 'ValueSet') {
    report('SD_ED_BIND_NOT_VS', 'error', 'business-rule', at, `The valueSet reference ${str(ref)} on element ${str(elementPath)} points to something that is not a value set (${str(vs.resourceType)})`);
  } else if (vs && binding.strength !== 'example' && vs.experimental === true && sd.experimental !== true) {
    report('SD_ED_EXPERIMENTAL_BINDING', 'warning', 'business-rule', at, `The definition for the element '${str(elementPath)}' binds to the value set '${str(ref)}' which is experimental, but this structure is not labeled as experimental`);
  }
  const all = ALL_CODES[ref];
  if (all) report(all[0], 'warning', 'business-rule', at, all[1]);
}

/**
 * Profiles on an element's types: an extension definition fits the element (a modifier extension on
 * modifierExtension, any other on extension); a Reference's target profiles are profiles of resources; only
 * Reference, CodeableReference and canonical have target profiles. As in the reference, every type and profile
 * is located at index 0 (it pushes them on its location stack without their index).
 */
function checkTypeProfiles(sd: Obj, e: Obj, elementPath: string, at: string, resolve: Resolve, report: Report): void {
  for (const t of list(e.type)) {
    const code = t.code;
    if (typeof code !== 'string' || code === '') continue;
    const where = `${at}.type[0]`;
    for (const p of Array.isArray(t.profile) ? t.profile : []) {
      const def = typeof p === 'string' ? resolve(p) : undefined;
      if (!def || def.type !== 'Extension' || code !== 'Extension') continue;
      // A profile whose base chain is broken is reported as such (SD_ED_TYPE_PROFILE_NOTYPE) instead.
      if (profileStatus(p as string, resolve) === 'no-type') continue;
      // Without a snapshot, the differential's root tells; when it says nothing, the check is left out.
      const snapshotRoot = list((def.snapshot as { element?: unknown } | undefined)?.element)[0];
      const root = snapshotRoot ?? list((def.differential as { element?: unknown } | undefined)?.element)[0];
      if (!root || (!snapshotRoot && root.isModifier === undefined)) continue;
      const modifierDefinition = root.isModifier === true;
      const modifierContext = elementPath.endsWith('.modifierExtension');
      if (modifierDefinition && !modifierContext) {
        report('SD_ED_TYPE_PROFILE_NOT_MODIFIER', 'error', 'invalid', `${where}.profile[0]`, `Profile ${str(p)} is for a modifier extension, but the ${elementPath} element is not a modifier`);
      } else if (!modifierDefinition && modifierContext) {
        report('SD_ED_TYPE_PROFILE_IS_MODIFIER', 'error', 'invalid', `${where}.profile[0]`, `Profile ${str(p)} is for not for a modifier extension, but the ${elementPath} element is a modifier`);
      }
    }
    const targets = Array.isArray(t.targetProfile) ? t.targetProfile : [];
    if (targets.length === 0) continue;
    if (code !== 'Reference' && code !== 'CodeableReference' && code !== 'canonical') {
      report('SD_ED_TYPE_NO_TARGET_PROFILE', 'error', 'invalid', `${where}.targetProfile[0]`, `Type ${code} does not allow for target Profiles`);
      continue;
    }
    if (code === 'canonical' || sd.kind === 'logical') continue;
    for (const p of targets) {
      const def = typeof p === 'string' ? resolve(p) : undefined;
      if (def?.resourceType !== 'StructureDefinition' || def.kind === 'resource' || typeof def.type !== 'string') continue;
      report('SD_ED_TYPE_PROFILE_WRONG_TARGET', 'error', 'invalid', `${where}.targetProfile[0]`, `Profile ${str(p)} is for type ${def.type}, which is not a Resource (which is required because the ${elementPath} element has the type ${code})`);
    }
  }
}

/**
 * What a snapshot element may and must carry (the reference's 'table' of properties): the root of a profile has
 * no slice name, slicing, requirements, meaningWhenMissing, example or maxLength; the elements of a new type
 * (a specialisation) state min and max and have no slice name, nor does its root have slicing, requirements or
 * examples. Choice properties (fixed[x], minValue[x]...) are left out: the reference looks them up by their bare name.
 */
function checkSnapshotTable(e: Obj, elementPath: string, constraint: boolean, at: string, report: Report): void {
  const root = !elementPath.includes('.');
  const mode = constraint ? 'constraint' : 'specialization';
  const prohibited = constraint ? (root ? ['sliceName', 'slicing', 'requirements', 'meaningWhenMissing', 'example', 'maxLength'] : []) : root ? ['sliceName', 'slicing', 'requirements', 'example'] : ['sliceName'];
  if (!constraint && !root) {
    for (const name of ['min', 'max']) {
      if (e[name] === undefined) report('SD_TABLE_REQUIRED', 'error', 'invalid', at, `The element ${name} is required on the element ${elementPath} in the context of a ${mode}`);
    }
  }
  for (const name of prohibited) {
    if (e[name] !== undefined) report('SD_TABLE_PROHIBITED', 'error', 'invalid', at, `The element ${name} is prohibited on the element ${elementPath} in the context of a ${mode}`);
  }
}

/** Types a binding applies to (the reference's list of bindable types). */
const BINDABLE_TYPES = new Set(['code', 'string', 'url', 'uri', 'Coding', 'CodeableConcept', 'Quantity', 'CodeableReference']);

/** A binding on an element with several bindable types applies to all of them: the reference gives a hint. */
function checkBoundTypes(e: Obj, elementPath: string | undefined, at: string, report: Report): void {
  const codes = elementPath && !elementPath.includes('.') ? [elementPath] : list(e.type).map((t) => t.code);
  const bindable = new Set(codes.filter((c): c is string => typeof c === 'string' && BINDABLE_TYPES.has(c)));
  if (bindable.size <= 1) return;
  report('SD_ED_BIND_MULTIPLE_TYPES', 'information', 'business-rule', at, `The element ${str(elementPath)} has a binding, and has multiple types subject to bindings (${[...bindable].join(', ')}). The binding will apply to all the types`);
}

/** A fixed value in the differential where the base fixes one must be of the base's type (the reference locates it at `fixedX[0]`). */
function checkFixedType(e: Obj, at: string, baseElements: Obj[], report: Report): void {
  const mine = choiceOf(e, 'fixed');
  if (!mine) return;
  const id = typeof e.id === 'string' ? e.id : undefined;
  const bed = (id ? baseElements.find((b) => b.id === id) : undefined) ?? baseElements.find((b) => b.path === e.path);
  const theirs = bed ? choiceOf(bed, 'fixed') : undefined;
  if (!theirs || theirs[1] === mine[1]) return;
  report('SD_ELEMENT_FIXED_WRONG_TYPE', 'error', 'invalid', `${at}.${mine[0]}[0]`, `The base element has a fixed type of '${theirs[1]}', so this element must have a fixed value of the same type, not '${mine[1]}'`);
}

/**
 * Where the base (its element whose id is this element's path) has a pattern, the reference expects a fixed
 * value: a pattern here is an error, whatever its type (the reference locates it at `patternX[0]`).
 */
function checkPatternAgainstBase(e: Obj, at: string, baseElements: Obj[], report: Report): void {
  const mine = choiceOf(e, 'pattern');
  if (!mine) return;
  const key = typeof e.path === 'string' ? e.path : typeof e.id === 'string' ? e.id : undefined;
  const bed = key ? baseElements.find((b) => b.id === key) : undefined;
  if (!bed || choiceOf(bed, 'fixed') || !choiceOf(bed, 'pattern')) return;
  report('SD_ELEMENT_PATTERN_NO_FIXED', 'error', 'invalid', `${at}.${mine[0]}[0]`, `The base element has a pattern type of '${mine[1]}', so this element must have a fixed value but it doesn't`);
}

/** The choice property of an element (`fixedCodeableConcept`) as [key, type]. */
function choiceOf(e: Obj, stem: string): [string, string] | undefined {
  for (const k of Object.keys(e)) {
    if (k.length > stem.length && k.startsWith(stem) && /[A-Z]/.test(k.charAt(stem.length))) {
      const t = k.slice(stem.length);
      const lower = t.charAt(0).toLowerCase() + t.slice(1);
      return [k, PRIMITIVE_NAMES.has(lower) ? lower : t];
    }
  }
  return undefined;
}

const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

/**
 * The type code as the reference reads it: the structuredefinition-fhir-type extension, when present, names the
 * type (Extension.url is `http://hl7.org/fhirpath/System.String` with the extension saying `uri`).
 */
function workingCode(t: Obj): unknown {
  const ext = list(t._code && typeof t._code === 'object' ? (t._code as Obj).extension : undefined).find((x) => x.url === FHIR_TYPE_EXT) ?? list(t.extension).find((x) => x.url === FHIR_TYPE_EXT);
  const v = ext?.valueUrl ?? ext?.valueUri ?? ext?.valueString;
  return typeof v === 'string' && v !== '' ? v : t.code;
}

const PRIMITIVE_NAMES = new Set(['base64Binary', 'boolean', 'canonical', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer', 'markdown', 'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'url', 'uuid']);

/**
 * In the snapshot, every element below the root has types (or a content reference), and its default, fixed
 * and pattern values are of one of those types; a fixed or pattern value on a repeating element applies to
 * every repeat, and a fixed complex value over-constrains.
 */
function checkSnapshotValues(e: Obj, at: string, report: Report): void {
  const id = typeof e.id === 'string' ? e.id : undefined;
  if (!id || !id.includes('.')) return;
  const typeCodes = list(e.type).map(workingCode).filter((c): c is string => typeof c === 'string' && c !== '');
  if (typeCodes.length === 0 && e.contentReference === undefined) {
    report('SD_NO_TYPES_OR_CONTENTREF', 'error', 'invalid', at, `The element ${str(id)} has no assigned types, and no content reference`);
    return;
  }
  const repeating = e.max !== '0' && e.max !== '1';
  for (const stem of ['defaultValue', 'fixed', 'pattern'] as const) {
    const choice = choiceOf(e, stem);
    if (!choice) continue;
    const [, type] = choice;
    const where = `${at}.${stem}.ofType(${type})`;
    if (!typeCodes.includes(type)) {
      report('SD_VALUE_TYPE_IILEGAL', 'error', 'invalid', where, `The element ${str(id)} has a ${stem} of type ${type}, which is not in the list of allowed types (${typeCodes.join(', ')})`);
    }
    if (stem === 'defaultValue') continue;
    if (repeating) report('SD_VALUE_TYPE_REPEAT_HINT', 'information', 'invalid', where, `The repeating element has a ${stem}. The ${stem} will apply to all the repeats (this has not been clear to all users)`);
    if (PRIMITIVE.test(type)) {
      if (repeating) report('SD_VALUE_TYPE_REPEAT_WARNING_DOTNET', 'warning', 'invalid', where, `The repeating element has a ${stem} value for a primitive type. The DotNet validator will not apply this to all the repeats - this is an error`);
    } else if (stem === 'fixed') {
      report('SD_VALUE_COMPLEX_FIXED', 'warning', 'invalid', where, `For the complex type ${type}, consider using a pattern rather than a fixed value to avoid over-constraining the instance`);
    }
  }
}

/**
 * An invariant needs a key (and, in R4, an expression). In a snapshot one key keeps one expression (ele-1
 * aside); in a differential an invariant is this profile's own (no other source) and does not reuse a key
 * the base or the differential already gives another expression.
 */
function checkInvariant(sd: Obj, c: Obj, at: string, snapshot: boolean, seen: Map<string, string>, inherited: Map<string, string>, report: Report): void {
  const key = typeof c.key === 'string' && c.key !== '' ? c.key : undefined;
  if (!key) {
    report('ED_INVARIANT_NO_KEY', 'warning', 'informational', at, 'The constraint has no key, so the content cannot be validated');
    return;
  }
  const expression = typeof c.expression === 'string' && c.expression !== '' ? c.expression : undefined;
  if (!expression) {
    report('ED_INVARIANT_NO_EXPRESSION', 'information', 'informational', at, `The constraint '${str(key)}' has no computable expression, so validators will not be able to check it`);
    return;
  }
  const earlier = seen.get(key);
  if (snapshot) {
    if (earlier === undefined) seen.set(key, expression);
    else if (earlier !== expression && key !== 'ele-1') {
      report('ED_INVARIANT_EXPRESSION_CONFLICT', 'error', 'invalid', at, `The constraint '${str(key)}' has an expression '${str(expression)}', which differs from the earlier expression provided of '${str(earlier)}' (invariants are allowed to repeat, but cannot differ)`);
    }
    return;
  }
  const source = typeof c.source === 'string' ? c.source : undefined;
  if (source !== undefined && source !== sd.url && !(typeof sd.version === 'string' && source === `${String(sd.url)}|${sd.version}`)) {
    report('ED_INVARIANT_DIFF_NO_SOURCE', 'error', 'invalid', at, `The invariant ${str(key)} defined in the differential must have no source, or the source must be the same as the profile (${str(source)} vs ${str(sd.url)})`);
    return;
  }
  const base = inherited.get(key);
  const other = base !== undefined && base !== expression ? base : earlier !== undefined && earlier !== expression ? earlier : undefined;
  if (other !== undefined) {
    report('ED_INVARIANT_KEY_ALREADY_USED', 'error', 'invalid', at, `The constraint key '${str(key)}' already exists with a different expression ('${str(other)}')`);
  } else if (earlier === undefined) seen.set(key, expression);
}
