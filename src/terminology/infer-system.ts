/**
 * The code system of a bare code (a `code` element bound to a value set), inferred from the value set as the
 * reference validator's terminology layer does it (ValueSetValidator.systemForCodeInValueSet): every include
 * (and imported value set, and failing a definition the expansion) that holds the code names a candidate
 * system. One candidate is the code's system; none, several, or a value set with nothing to look in are
 * problems, each with the reference's message key. Where a candidate would need a terminology server
 * (filters on systems without local content, whole external systems) the answer is left undecided and the
 * caller keeps its own verdict.
 */
import type { ValueSet, ValueSetComposeInclude, ValueSetExpansionContains } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';
import { clip, issue } from './issue.js';
import type { CompiledValueSet, LocalTerminology } from './local-terminology.js';

export interface InferenceProblem {
  rule: string;
  message: string;
}

export type Inference =
  | { kind: 'system'; system: string; version?: string }
  | { kind: 'failed'; problems: InferenceProblem[] }
  | { kind: 'undecided' };

const UNDECIDED: Inference = { kind: 'undecided' };
const COLOR_RGB = 'http://hl7.org/fhir/color-rgb';
const MIME_TYPES = 'urn:ietf:bcp:13';

/** Thrown inside the scan when a candidate cannot be settled offline. */
class Undecided extends Error {}

interface Scan {
  code: string;
  terminology: LocalTerminology;
  /** `system|version` keys of the candidates (the reference keys them by system and version). */
  found: Map<string, { system: string; version?: string }>;
  problems: InferenceProblem[];
  /** Value sets being scanned, to stop on an import cycle. */
  stack: string[];
}

/** Compiled single-include value sets, one per include object (filters are judged through them). */
const includeSets = new WeakMap<ValueSetComposeInclude, CompiledValueSet>();

export function inferSystem(vs: ValueSet, code: string, terminology: LocalTerminology): Inference {
  const scan: Scan = { code, terminology, found: new Map(), problems: [], stack: [] };
  try {
    scanValueSet(vs, scan);
  } catch (e) {
    if (e instanceof Undecided) return UNDECIDED;
    throw e;
  }
  const label = versionedUrl(vs);
  if (scan.found.size === 1) {
    const only = [...scan.found.values()][0]!;
    return { kind: 'system', ...only };
  }
  if (scan.found.size === 0) {
    scan.problems.push({ rule: 'UNABLE_TO_INFER_CODESYSTEM', message: `The System URI could not be determined for the code '${clip(code)}' in the ValueSet '${clip(label)}'` });
  } else {
    const list = [...scan.found.keys()].sort().join(', ');
    scan.problems.push({ rule: 'Unable_to_resolve_system__value_set_has_multiple_matches', message: `The System URI could not be determined for the code '${clip(code)}' in the ValueSet '${clip(label)}': value set expansion has multiple matches: ${clip(list)}` });
  }
  return { kind: 'failed', problems: scan.problems };
}

function versionedUrl(vs: ValueSet): string {
  const url = vs.url ?? '';
  return vs.version ? `${url}|${vs.version}` : url;
}

function scanValueSet(vs: ValueSet, scan: Scan): void {
  const key = versionedUrl(vs);
  if (key !== '' && scan.stack.includes(key)) throw new Undecided();
  scan.stack.push(key);
  const compose = vs.compose;
  if (compose && typeof compose === 'object') {
    // Excludes cannot change which systems hold the code, so only includes are looked at.
    const includes = Array.isArray(compose.include) ? compose.include : [];
    if (includes.length === 0 && !hasContains(vs)) {
      scan.problems.push({ rule: 'Unable_to_resolve_system__value_set_has_no_includes_or_expansion', message: `The System URI could not be determined for the code '${clip(scan.code)}' in the ValueSet '${clip(key)}': value set has no includes or expansion` });
    }
    for (let i = 0; i < includes.length; i++) {
      const inc = includes[i];
      if (inc && typeof inc === 'object' && scanInclude(inc, i, key, scan)) break;
    }
  } else if (hasContains(vs)) {
    scanExpansion(vs.expansion!.contains!, scan);
  }
  scan.stack.pop();
}

function hasContains(vs: ValueSet): boolean {
  return Array.isArray(vs.expansion?.contains) && vs.expansion.contains.length > 0;
}

function scanExpansion(contains: ValueSetExpansionContains[], scan: Scan): void {
  for (const c of contains) {
    if (!c || typeof c !== 'object') continue;
    if (c.code === scan.code && typeof c.system === 'string') add(scan, c.system, c.version);
    if (Array.isArray(c.contains)) scanExpansion(c.contains, scan);
  }
}

function add(scan: Scan, system: string, version: string | undefined): void {
  scan.found.set(version === undefined ? system : `${system}|${version}`, version === undefined ? { system } : { system, version });
}

/** One include; true when the scan is settled and stops (the reference's MIME type shortcut). */
function scanInclude(inc: ValueSetComposeInclude, index: number, vsKey: string, scan: Scan): boolean {
  const system = typeof inc.system === 'string' ? inc.system : undefined;
  const imports = Array.isArray(inc.valueSet) ? inc.valueSet : [];
  if (imports.length > 0) {
    for (const ref of imports) {
      const imported = typeof ref === 'string' ? scan.terminology.resolver.valueSet(ref) : undefined;
      // An import that cannot be read leaves the reference without an answer of its own: not ours to judge.
      if (!imported) throw new Undecided();
      scanValueSet(imported, scan);
    }
  } else if (system === undefined) {
    scan.problems.push({ rule: 'Unable_to_resolve_system__value_set_has_include_with_no_system', message: `Unable to resolve system - value set ${clip(vsKey)} include #${index} has no system` });
    return false;
  }
  if (system === undefined) return false;
  const version = typeof inc.version === 'string' ? inc.version : undefined;
  const code = scan.code;
  if (Array.isArray(inc.filter) && inc.filter.length > 0) {
    // The code must pass the include's filters (the reference validates it against the include alone).
    const verdict = includeSet(inc, scan.terminology).codes.test(system, code).kind;
    if (verdict === 'unknown') throw new Undecided();
    if (verdict === 'member') add(scan, system, version);
    return false;
  }
  if (system === COLOR_RGB) {
    if (/^#[0-9a-fA-F]{6}$/.test(code)) add(scan, system, version);
    return false;
  }
  const concepts = Array.isArray(inc.concept) ? inc.concept : [];
  const cs = scan.terminology.codeSystem(version === undefined ? system : `${system}|${version}`);
  if (cs && cs.isComplete) {
    const matches = concepts.length > 0
      ? concepts.some((c) => typeof c?.code === 'string' && (cs.caseSensitive ? c.code === code : c.code.toLowerCase() === code.toLowerCase()))
      : cs.lookup(code) !== undefined;
    if (matches) add(scan, system, version);
  } else if (concepts.length > 0) {
    if (concepts.some((c) => c?.code === code)) add(scan, system, version);
  } else if (system === MIME_TYPES && ['xml', 'json', 'ttl'].includes(code)) {
    add(scan, system, version);
    return true;
  } else {
    // The reference asks the terminology server whether the whole system holds the code.
    throw new Undecided();
  }
  return false;
}

function includeSet(inc: ValueSetComposeInclude, terminology: LocalTerminology): CompiledValueSet {
  let compiled = includeSets.get(inc);
  if (!compiled) {
    compiled = terminology.valueSetResource({ resourceType: 'ValueSet', status: 'active', compose: { include: [inc] } });
    includeSets.set(inc, compiled);
  }
  return compiled;
}

/**
 * The findings of a bare code on a required binding whose system could not be inferred: the problems, as
 * errors on the element (one problem is not-found, several are reported together as unknown, as the
 * reference types them); `fallback` when the inference could not be settled here.
 */
export function inferenceIssues(inference: Inference | undefined, fallback: InferenceProblem, path: string): ValidationIssue[] {
  const problems = inference?.kind === 'failed' ? inference.problems : [fallback];
  const code = problems.length === 1 ? 'not-found' : 'unknown';
  return problems.map((p) => issue(p.rule, 'error', code, p.message, path));
}
