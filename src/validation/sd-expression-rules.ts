/**
 * FHIRPath written inside a StructureDefinition must parse (the reference validator's
 * StructureDefinitionValidator: validateElementDefinitionInvariant, the slicing discriminators of
 * validateElementDefinition, and validateContextInvariant). Only syntax errors are reported: the reference also
 * type-checks the expressions against the element's types, which this validator does not repeat, so anything
 * that parses is left alone.
 */
import { functionNames } from '../fhirpath/index.js';
import type { Report } from '../plugin-types/index.js';
import { CORE_SD_BASE as CORE_SD } from '../systems/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;
type Resolve = (url: string) => Obj | undefined;

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : String(v ?? ''));

/** The parser's complaint about an expression, or undefined when it parses. */
export function syntaxError(expression: string): string | undefined {
  // The reference's lexer reads an empty expression as an error of its own.
  if (expression.trim() === '') return 'Path cannot be empty';
  try {
    // External constants may hold '-' (%vs-name), as the reference's lexer reads them: quote them for fhirpath.js.
    functionNames(expression.replace(/%([A-Za-z_][A-Za-z0-9_-]*)/g, '%\x60$1\x60'));
    return undefined;
  } catch (e) {
    return e instanceof Error ? str(e.message) : 'syntax error';
  }
}

/** The name element paths start with: the type itself, or the last segment of a logical model's type URL. */
function rootName(type: string): string {
  return type.includes('/') ? type.slice(type.lastIndexOf('/') + 1) : type;
}

const FHIR_TYPE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

/** A type the reference cannot name: no code, or a FHIRPath system type without the fhir-type extension. */
function uncodedType(t: Obj): boolean {
  if (typeof t.code !== 'string') return true;
  return t.code.startsWith('http://hl7.org/fhirpath') && !list(t.extension).some((x) => x.url === FHIR_TYPE);
}

/**
 * An invariant of the snapshot that is the profile's own (no source, or this profile's url) must parse. The
 * reference works out the invariant's context first and fails differently (not as a syntax error) when the
 * snapshot's root is not the type or a type has no code, so those snapshots are left out.
 */
export function checkInvariantExpression(sd: Obj, c: Obj, at: string, elements: Obj[], report: Report): void {
  const { key, expression, source } = c;
  if (typeof key !== 'string' || key === '' || typeof expression !== 'string' || expression === '') return;
  if (source !== undefined && source !== sd.url) return;
  if (typeof sd.type !== 'string' || elements[0]?.path !== rootName(sd.type)) return;
  if (elements.some((e) => list(e.type).some(uncodedType))) return;
  const problem = syntaxError(expression);
  if (problem === undefined) return;
  report('ED_INVARIANT_EXPRESSION_ERROR', 'error', 'invalid', at, `Error in constraint '${str(key)}' with expression '${str(expression)}': ${problem}`);
}

/**
 * A slicing discriminator's path must parse. The reference checks it only where the core definition of the
 * type has the sliced element and the element states its types (or is the root).
 */
export function checkDiscriminatorPaths(e: Obj, elementPath: string, at: string, resolve: Resolve, report: Report): void {
  const slicing = e.slicing;
  if (!slicing || typeof slicing !== 'object') return;
  const typeName = elementPath.includes('.') ? elementPath.slice(0, elementPath.indexOf('.')) : elementPath;
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(typeName)) return;
  const typeDef = resolve(`${CORE_SD}${typeName}`);
  const defined = list((typeDef?.snapshot as { element?: unknown } | undefined)?.element).some((x) => x.path === elementPath);
  if (!defined) return;
  const types = list(e.type);
  // An element's types must all have codes: the reference fails otherwise before it reads the path.
  if (elementPath.includes('.') && (types.length === 0 || types.some((t) => typeof t.code !== 'string'))) return;
  list((slicing as Obj).discriminator).forEach((d, k) => {
    const path = d.path === undefined ? '' : d.path;
    if (typeof path !== 'string') return;
    const problem = syntaxError(path);
    if (problem === undefined) return;
    report('SD_PATH_ERROR', 'error', 'invalid', `${at}.slicing.discriminator[${k}]`, `The discriminator path '${str(path)}' does not appear to be valid for the element that is being sliced '${elementPath}': ${problem}`);
  });
}

/**
 * A context invariant is checked against the types of the structure's element contexts: with none, the
 * reference says it cannot check it (a hint); otherwise it must parse. Contexts of type 'extension' (which the
 * reference reads as types it cannot name) and contexts without a type are left out.
 */
export function checkContextInvariants(sd: Obj, path: string, report: Report): void {
  const invariants = Array.isArray(sd.contextInvariant) ? sd.contextInvariant : [];
  if (invariants.length === 0) return;
  const contexts = list(sd.context);
  if (contexts.some((c) => typeof c.type !== 'string' || c.type === 'extension')) return;
  const types = contexts.filter((c) => c.type === 'element');
  invariants.forEach((expression: unknown, i: number) => {
    if (typeof expression !== 'string' || expression === '') return;
    const at = `${path}.contextInvariant[${i}]`;
    if (types.length === 0) {
      const listed = contexts.map((c) => `${String(c.type)}=${String(c.expression ?? null)}`).join(', ');
      report('UNABLE_TO_DETERMINE_TYPE_CONTEXT_INV', 'information', 'informational', at, `The types could not be determined from the extension context, so the invariant can't be validated (types = ${str(listed)})`);
      return;
    }
    const problem = syntaxError(expression);
    if (problem !== undefined) report('ED_CONTEXT_INVARIANT_EXPRESSION_ERROR', 'error', 'invalid', at, `Error in constraint '${str(expression)}': ${problem}`);
  });
}
