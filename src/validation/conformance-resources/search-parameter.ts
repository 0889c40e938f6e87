/**
 * SearchParameter rules (the reference validator's SearchParameterValidator): characters in the code
 * that have a meaning in the REST API, an expression that does not parse, components of a composite
 * parameter, and a parameter derived from another (derivedFrom) keeping its bases, type and expression.
 */
import { functionNames } from '../../fhirpath/index.js';
import { clip } from '../primitives.js';
import type { ConformanceContext } from './context.js';

/** Extension that carries a base type R4 cannot name (a later version's resource) on `_base`. */
const EXT_SEARCH_PARAMETER_BASE = 'http://hl7.org/fhir/tools/StructureDefinition/searchparameter-base-type';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

export function checkSearchParameter(sp: Record<string, unknown>, path: string, cx: ConformanceContext): void {
  const { report } = cx;
  if (typeof sp.code === 'string') {
    for (const ch of ['.', '$', '|']) {
      if (sp.code.includes(ch)) {
        report('SEARCHPARAMETER_BAD_CHAR', 'warning', 'invalid', path, `The Search Parameter code includes '${ch}' which has special meaning in the RESTful API, and so this will be a problem`);
      }
    }
  }
  const bases = strings(sp.base);
  const baseTypes = bases.map((b, i) => extensionValue((sp._base as unknown[] | undefined)?.[i], EXT_SEARCH_PARAMETER_BASE) ?? b);
  if (typeof sp.expression === 'string' && baseTypes.length > 0) {
    try {
      functionNames(sp.expression);
    } catch (e) {
      report('ED_SEARCH_EXPRESSION_ERROR', 'error', 'invalid', `${path}.expression`, `Error in search expression '${clip(sp.expression)}': ${e instanceof Error ? clip(e.message) : 'syntax error'}`);
    }
  }
  if (typeof sp.derivedFrom === 'string' && sp.derivedFrom !== '') checkDerivation(sp, sp.derivedFrom, bases, path, cx);
  if (sp.type === 'composite') {
    const components = Array.isArray(sp.component) ? sp.component.length : 0;
    if (components <= 1) {
      report('SEARCHPARAMETER_MISSING_COMPONENTS', 'error', 'business-rule', path, "When the SearchParameter has a type of 'composite', then the SearchParameter must define two or more components");
    }
  }
}

function checkDerivation(sp: Record<string, unknown>, master: string, bases: string[], path: string, cx: ConformanceContext): void {
  const { report } = cx;
  const parent = cx.searchParameter(master);
  if (!parent) {
    report('SEARCHPARAMETER_NOTFOUND', 'warning', 'business-rule', path, `Unable to find the base Search Parameter ${clip(master)} so can't check that this SearchParameter is a proper derivation from it`);
    return;
  }
  const parentBases = strings(parent.base);
  for (const b of bases) {
    if (!parentBases.includes(b) && !parentBases.includes('Resource')) {
      report('SEARCHPARAMETER_BASE_WRONG', 'error', 'business-rule', path, `The resource type ${b} is not listed as a base in the SearchParameter this is derived from (${clip(master)})`);
    }
  }
  if (typeof sp.type === 'string' && parent.type !== sp.type) {
    report('SEARCHPARAMETER_TYPE_WRONG', 'error', 'business-rule', path, `The type ${sp.type} is different to the type ${String(parent.type)} in the derivedFrom SearchParameter`);
  }
  if (typeof parent.expression === 'string' && typeof sp.expression === 'string' && parent.expression !== sp.expression) {
    if (canonicalise(sp.expression, bases, cx) !== canonicalise(parent.expression, bases, cx)) {
      report('SEARCHPARAMETER_EXP_WRONG', 'warning', 'business-rule', path, `The expression '${clip(sp.expression)}' is not compatible with the expression '${clip(parent.expression)}' in the derivedFrom SearchParameter ${clip(master)}, and this likely indicates that the derivation relationship is not valid`);
    }
  }
}

function extensionValue(element: unknown, url: string): string | undefined {
  const exts = element && typeof element === 'object' ? (element as { extension?: unknown }).extension : undefined;
  if (!Array.isArray(exts)) return undefined;
  for (const e of exts) {
    if (e && typeof e === 'object' && (e as { url?: unknown }).url === url) {
      const v = Object.entries(e as Record<string, unknown>).find(([k]) => k.startsWith('value'))?.[1];
      if (typeof v === 'string') return v;
    }
  }
  return undefined;
}

/**
 * An expression that is a union of paths, reduced to the paths on the given bases, sorted (as the reference
 * does before comparing a derived parameter's expression with its parent's). Anything else comes back as it is.
 */
function canonicalise(expression: string, bases: string[], cx: ConformanceContext): string {
  try {
    functionNames(expression);
  } catch {
    return expression;
  }
  const branches = topLevelUnion(expression);
  if (!branches) return expression;
  const kept: string[] = [];
  for (const branch of branches) {
    // Each branch must start with a name (or a bracketed name) and have no operator of its own.
    const m = /^\(?([A-Za-z_][A-Za-z0-9_]*)/.exec(branch);
    if (!m || hasTopLevelOperator(branch)) return expression;
    const name = m[1]!;
    if (!cx.isResourceType(name) || bases.includes(name)) kept.push(branch);
  }
  return kept.sort().join(' | ');
}

/** Splits on `|` outside brackets and strings, with whitespace outside strings removed; undefined if unbalanced. */
function topLevelUnion(expression: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  let space = false;
  for (const ch of expression) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = '';
      continue;
    }
    if (/\s/.test(ch)) {
      space = true;
      continue;
    }
    // Whitespace matters only between two word characters (`value as Quantity`).
    if (space && /\w$/.test(cur) && /\w/.test(ch)) cur += ' ';
    space = false;
    if (ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return depth === 0 && !quote ? out.map((b) => b.trim()) : undefined;
}

/** True when a branch has an operator outside brackets (`as`, `=`, `and`, ...), which stops the reduction. */
function hasTopLevelOperator(branch: string): boolean {
  let depth = 0;
  let quote = '';
  let flat = '';
  for (const ch of branch) {
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (depth === 0) flat += ch;
  }
  return /[=<>!~+*/&-]| (as|is|and|or|xor|implies|in|contains|div|mod) /.test(` ${flat} `);
}
