/**
 * StructureDefinition authoring rules on the structure as a whole (the reference validator's
 * StructureDefinitionValidator.validateStructureDefinition and checkExtensionContext): derivation, kind and
 * type against the base, extension contexts, the url an extension fixes, obligation profiles and
 * compliesWithProfile claims. Element-level rules are in sd-element-rules.ts.
 */
import type { Report } from '../plugin-types/index.js';
import { CORE_SD_BASE as CORE_SD } from '../systems/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;
/** A canonical resource by URL, or undefined when unknown. */
export type Resolve = (url: string) => Obj | undefined;

const OBLIGATION_PROFILE = /^http:\/\/hl7\.org\/fhir\/(tools\/)?StructureDefinition\/obligation-profile$/;
const COMPLIES_WITH = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-compliesWithProfile';
const JSON_NAME = /^http:\/\/hl7\.org\/fhir\/(tools\/)?StructureDefinition\/(elementdefinition-)?json-name$/;

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : String(v ?? ''));

/** The rules of the structure as a whole, in the reference's order. */
export function checkStructure(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  checkCircularBase(sd, path, resolve, report);
  checkExtensionContexts(sd, path, resolve, report);
  const base = typeof sd.baseDefinition === 'string' ? resolve(sd.baseDefinition) : undefined;
  if (!base || base.resourceType !== 'StructureDefinition') return;
  checkAgainstBase(sd, base, path, report);
  if (list(sd.extension).some((x) => typeof x.url === 'string' && OBLIGATION_PROFILE.test(x.url) && x.valueBoolean === true) && sd.derivation !== 'constraint') {
    report('SD_OBGLIGATION_PROFILE_DERIVATION', 'error', 'invalid', path, 'Only profiles that constrain another profile can be marked as an obligation profile');
  }
  checkExtensionUrl(sd, path, report);
  for (const x of list(sd.extension)) {
    if (x.url !== COMPLIES_WITH || typeof x.valueCanonical !== 'string') continue;
    if (!resolve(x.valueCanonical)) {
      report('SD_EXTENSION_COMPLIES_WITH_UNKNOWN', 'error', 'invalid', path, `The profile '${str(x.valueCanonical)}' cannot be found, so the validator cannot check that the profile does comply with it`);
    }
  }
}

/** Following baseDefinition from the structure must not lead back to it. */
function checkCircularBase(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  // A structure naming itself as base is not found by the reference (it does not hold the resource it validates):
  // Unable_to_find_base__for_ says so. A chain through other structures that comes back is circular.
  if (typeof sd.url !== 'string' || typeof sd.baseDefinition !== 'string' || sd.baseDefinition === sd.url) return;
  let last = sd.url;
  let base: unknown = sd.baseDefinition;
  const seen = new Set<string>();
  for (let def = resolve(sd.baseDefinition); def && typeof base === 'string' && !seen.has(base); def = typeof base === 'string' ? resolve(base) : undefined) {
    seen.add(base);
    if (def.url === sd.url) {
      report('SD_CIRCULAR_DEFINITION', 'error', 'unknown', path, `The definition of the Structure is circular - it depends on itself (url = '${str(sd.url)}', from '${str(last)}')`);
      return;
    }
    last = base;
    base = def.baseDefinition;
  }
}

/** Derivation, kind and type against the base structure, and an experimental base. */
function checkAgainstBase(sd: Obj, base: Obj, path: string, report: Report): void {
  if (sd.derivation === undefined) {
    report('SD_MUST_HAVE_DERIVATION', 'error', 'not-found', path, `StructureDefinition ${str(sd.url)} must have a derivation, since it has a baseDefinition`);
  } else {
    // An abstract base (Element, Resource, DomainResource...) may be specialised into any kind.
    if (base.abstract !== true && sd.kind !== base.kind) {
      report('SD_CONSTRAINED_KIND_NO_MATCH', 'error', 'not-found', path, `The kind ${str(sd.kind)} must be the same as the kind ${str(base.kind)} in the base structure ${str(base.url)} (base type = ${str(base.type)})`);
    }
    if (sd.derivation === 'constraint' && sd.type !== base.type) {
      report('SD_CONSTRAINED_TYPE_NO_MATCH', 'error', 'not-found', path, `The type ${str(sd.type)} must be the same as the type in the base structure ${str(base.type)} that is being constrained`);
    }
  }
  if (sd.derivation === 'constraint' && base.kind !== sd.kind) {
    report('SD_DERIVATION_KIND_MISMATCH', 'error', 'not-found', path, `The structure definition constrains a kind of ${str(base.kind)}, but has a different kind (${str(sd.kind)})`);
  }
  if (base.experimental === true && sd.experimental !== true) {
    report('SD_BASE_EXPERIMENTAL', 'warning', 'business-rule', path, `The definition builds on '${str(sd.baseDefinition)}' which is experimental, but this definition is not labeled as experimental`);
  }
}

/**
 * Only extensions have contexts of use; an element context of Element is a smell, and a FHIRPath context
 * that is just an element path should be an element context.
 */
function checkExtensionContexts(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  const type = sd.type;
  list(sd.context).forEach((c, i) => {
    const at = `${path}.context[${i}]`;
    if (type === 'Extension') {
      if (c.type === 'fhirpath' && typeof c.expression === 'string' && isElementPath(c.expression, resolve)) {
        report('SD_CONTEXT_SHOULD_NOT_BE_FHIRPATH', 'warning', 'business-rule', at, `Review the extension type for ${str(sd.id)}: the context of ${str(c.expression)} appears to be a simple element, so the context type should be 'element' not 'fhirpath'`);
      }
    } else if (!hasJsonName(sd)) {
      // A logical model element with a JSON name may be used as an extension.
      report('SD_NO_CONTEXT_WHEN_NOT_EXTENSION', 'error', 'invalid', at, `The type is ${str(type)} so an extension context should not be specified`);
    }
  });
  if (type === 'Extension' || !Array.isArray(sd.contextInvariant)) return;
  // The reference locates every context invariant at index 0 (its loop never advances the index).
  for (let k = 0; k < sd.contextInvariant.length; k++) {
    report('SD_NO_CONTEXT_INV_WHEN_NOT_EXTENSION', 'error', 'invalid', `${path}.contextInvariant[0]`, `The type is ${str(type)} so an extension context invariants should not be specified`);
  }
}

/** True when the expression names an element of a FHIR type's snapshot (`Patient.name`). */
function isElementPath(expression: string, resolve: Resolve): boolean {
  const typeName = expression.includes('.') ? expression.slice(0, expression.indexOf('.')) : expression;
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(typeName)) return false;
  const def = resolve(`${CORE_SD}${typeName}`);
  const elements = list((def?.snapshot as { element?: unknown } | undefined)?.element);
  return elements.some((e) => e.path === expression);
}

function hasJsonName(sd: Obj): boolean {
  const first = list((sd.snapshot as { element?: unknown } | undefined)?.element)[0] ?? list((sd.differential as { element?: unknown } | undefined)?.element)[0];
  return !!first && list(first.extension).some((x) => typeof x.url === 'string' && JSON_NAME.test(x.url));
}

/** An extension defined on the core Extension must fix Extension.url (in its differential) to its own url. */
function checkExtensionUrl(sd: Obj, path: string, report: Report): void {
  if (sd.type !== 'Extension' || sd.baseDefinition !== `${CORE_SD}Extension` || typeof sd.url !== 'string') return;
  const urlElement = list((sd.differential as { element?: unknown } | undefined)?.element).find((e) => e.path === 'Extension.url');
  const key = urlElement ? Object.keys(urlElement).find((k) => k.startsWith('fixed')) : undefined;
  const fixed = key ? urlElement![key] : undefined;
  if (typeof fixed !== 'string') {
    report('SD_EXTENSION_URL_MISSING', 'error', 'invalid', path, `The value of Extension.url is not fixed to the extension URL ${str(sd.url)}`);
  } else if (fixed !== sd.url) {
    report('SD_EXTENSION_URL_MISMATCH', 'error', 'invalid', path, `The fixed value for the extension URL is ${str(fixed)} which doesn't match the canonical URL ${str(sd.url)}`);
  }
}
