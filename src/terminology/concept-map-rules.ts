/**
 * ConceptMap authoring rules, as the reference validator's ConceptMapValidator has them for R4: the source
 * and target value sets (source[x], target[x]) must be value sets; each group names its source and target
 * code systems, whose codes (and displays) the mapped elements must use when the code systems are loaded
 * with all their content, and which the source/target value sets must hold; codes of systems only a
 * terminology server knows are checked for their shape; and a source code is not mapped twice to the
 * same target.
 */
import type { CodeSystem, ConceptMap, ConceptMapGroup, ConceptMapGroupElement, ValueSet } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';
import type { CodeSystemIndex } from './code-system-index.js';
import { EXTERNAL_SYSTEMS, externalCodeProblem } from './external-systems.js';
import { clip, issue } from './issue.js';
import type { CompiledValueSet, LocalTerminology } from './local-terminology.js';
import { CODE_LIMIT } from './value-set-rules.js';

/** A value set named by source[x]/target[x]: `undefined` when not given, `vs` undefined when not found. */
interface Scope {
  url: string;
  vs: CompiledValueSet | undefined;
}

interface SystemRef {
  url: string;
  version: string | undefined;
  /** The code system, when it is loaded with all its content (else its codes are not checked here). */
  index: CodeSystemIndex | undefined;
  complete: boolean;
  /** Loaded, but without all its content: its codes are not checked. */
  incomplete: boolean;
}

const SERVER_SIDE = new Set(['http://snomed.info/sct', 'http://loinc.org']);

export function conceptMapIssues(cm: ConceptMap, path: string, terminology: LocalTerminology): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const sourceScope = readScope(cm, 'source', path, terminology, out);
  const targetScope = readScope(cm, 'target', path, terminology, out);
  const batch = { count: 0, issues: [] as ValidationIssue[] };
  (cm.group ?? []).forEach((g, i) => {
    if (g && typeof g === 'object') out.push(...groupIssues(g, `${path}.group[${i}]`, sourceScope, targetScope, terminology, batch));
  });
  // Codes the reference sends to its terminology server in one batch: beyond its limit, none are checked.
  if (batch.count > CODE_LIMIT) out.push(issue('CONCEPTMAP_VS_TOO_MANY_CODES', 'information', 'business-rule', `The concept map has too many codes to validate (${batch.count}, more than the limit of ${CODE_LIMIT})`, path));
  else out.push(...batch.issues);
  return out;
}

/** Codes checked as a terminology server would check them (see serverCodeIssues), counted for the batch limit. */
interface Batch {
  count: number;
  issues: ValidationIssue[];
}

function readScope(cm: ConceptMap, side: 'source' | 'target', path: string, terminology: LocalTerminology, out: ValidationIssue[]): Scope | undefined {
  const ref = side === 'source' ? (cm.sourceUri ?? cm.sourceCanonical) : (cm.targetUri ?? cm.targetCanonical);
  if (typeof ref !== 'string') return undefined;
  const found = terminology.resolver.resolve(ref);
  if (found && found.resourceType !== 'ValueSet') {
    out.push(issue('CONCEPTMAP_VS_NOT_A_VS', 'error', 'invalid', `Reference must be to a ValueSet, but found a ${found.resourceType} instead`, `${path}.${side}`));
    return { url: ref, vs: undefined };
  }
  return { url: ref, vs: found ? terminology.valueSetResource(found as ValueSet) : terminology.valueSet(ref) };
}

function groupIssues(g: ConceptMapGroup, at: string, sourceScope: Scope | undefined, targetScope: Scope | undefined, terminology: LocalTerminology, batch: Batch): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const source = readSystem(g.source, g.sourceVersion, 'source', at, sourceScope, terminology, out);
  const target = readSystem(g.target, g.targetVersion, 'target', at, targetScope, terminology, out);
  const seen = new Relationships();
  (g.element ?? []).forEach((el, e) => {
    if (!el || typeof el !== 'object') return;
    const eat = `${at}.element[${e}]`;
    if (typeof el.code === 'string') out.push(...codeIssues(el.code, el.display, 'source', `${eat}.code`, source, sourceScope, batch));
    (el.target ?? []).forEach((t, k) => {
      if (!t || typeof t !== 'object') return;
      const tat = `${eat}.target[${k}]`;
      if (typeof t.code === 'string') out.push(...codeIssues(t.code, t.display, 'target', `${tat}.code`, target, targetScope, batch));
      out.push(...seen.check(el, t.code, t.equivalence, tat));
    });
  });
  return out;
}

/** The code system a group maps from or to, and whether its codes can be checked here. */
function readSystem(url: string | undefined, version: string | undefined, side: 'source' | 'target', at: string, scope: Scope | undefined, terminology: LocalTerminology, out: ValidationIssue[]): SystemRef | undefined {
  const Side = side === 'source' ? 'Source' : 'Target';
  if (typeof url !== 'string') {
    out.push(issue(RULES[side].missing, 'warning', 'required', `No ${Side} Code System, so the ${side} codes cannot be checked`, at));
    return undefined;
  }
  let system = url;
  let ver = version;
  if (ver === undefined && url.includes('|')) {
    system = url.slice(0, url.indexOf('|'));
    ver = url.slice(url.indexOf('|') + 1);
  }
  const raw: CodeSystem | undefined = terminology.resolver.codeSystem(ver === undefined ? system : `${system}|${ver}`);
  const cs = raw && raw.url === system && (ver === undefined || raw.version === undefined || raw.version === ver) ? raw : undefined;
  const ref: SystemRef = { url: system, version: ver, index: undefined, complete: false, incomplete: false };
  const where = `${at}.${side}`;
  if (cs) {
    if (SERVER_SIDE.has(system)) {
      out.push(issue(RULES[side].serverSide, 'information', 'business-rule', `${Side} Code System ${system} is only supported on the terminology server, so the ${side} codes are not validated for performance reasons`, where));
    } else if (cs.content === 'not-present' || cs.content === 'example' || cs.content === 'fragment') {
      ref.incomplete = true;
      out.push(issue(RULES[side].incomplete, 'warning', 'not-found', `${Side} Code System ${system} doesn't have all content (content = ${cs.content}), so the ${side} codes cannot be checked`, where));
    } else {
      ref.index = terminology.codeSystem(system);
      ref.complete = cs.content === 'complete';
    }
  } else if (scope === undefined) {
    out.push(issue(RULES[side].unknown, 'warning', 'not-found', `The ${Side} Code System ${system} is not fully defined and populated, and no ${side}Scope is specified, so the ${side} code checking will not be performed`, where));
  }
  return ref;
}

/**
 * A mapped code against its code system when that is loaded (an error when the code system is complete,
 * else a warning), its display against the concept's, and the code against the source/target value set.
 * Codes of other systems are checked as a terminology server would when a value set scopes the map:
 * here, by the shape of SNOMED CT, LOINC and dm+d codes.
 */
function codeIssues(code: string, display: string | undefined, side: 'source' | 'target', at: string, system: SystemRef | undefined, scope: Scope | undefined, batch: Batch): ValidationIssue[] {
  if (!system) return [];
  const rules = RULES[side];
  const versioned = system.version ? `${system.url}|${system.version}` : system.url;
  if (!system.index) {
    if (system.incomplete || !scope?.vs) return [];
    batch.count++;
    batch.issues.push(...serverCodeIssues(code, at, system, scope.url));
    return [];
  }
  const severity = system.complete ? 'error' : 'warning';
  const concept = system.index.concepts.get(code);
  if (!concept) return [issue(rules.codeInvalid, severity, 'required', `The ${side} code '${clip(code)}' is not valid in the code system ${versioned}`, at)];
  const out: ValidationIssue[] = [];
  if (typeof display === 'string' && !concept.displays.some((d) => d.toLowerCase() === display.toLowerCase())) {
    const choices = [...new Set(concept.displays)].map((d) => `'${clip(d)}'`).join(', ');
    out.push(issue(rules.displayInvalid, 'warning', 'required', `The ${side} display '${clip(display)}' for the code '${versioned}#${code}' is not valid. Possible displays: ${choices}`, at));
  }
  if (scope?.vs) {
    const m = scope.vs.codes.test(system.url, code);
    if (m.kind === 'unknown') out.push(issue(rules.cantCheck, 'warning', 'required', `The ${side} code '${clip(code)}' in the code system ${versioned} cannot be checked due to special rules around the code system`, at));
    else if (m.kind === 'absent') out.push(issue(rules.invalidVs, severity, 'required', `The ${side} code '${clip(code)}' is not valid in the value set ${clip(scope.url)}`, at));
  }
  return out;
}

/**
 * Codes of a system not loaded here, in a map scoped by a value set: the reference has a terminology server
 * check them. Offline: SNOMED CT, LOINC and dm+d codes by their shape; other systems are unknown.
 */
function serverCodeIssues(code: string, at: string, system: SystemRef, vsUrl: string): ValidationIssue[] {
  const malformed = externalCodeProblem(system.url, code);
  if (malformed) {
    return system.version
      ? [issue('CONCEPTMAP_VS_INVALID_CONCEPT_CODE_VER', 'error', 'business-rule', `The code '${clip(code)}' in the system ${system.url} version ${system.version} is not valid in the value set '${clip(vsUrl)}' (${malformed})`, at)]
      : [issue('CONCEPTMAP_VS_INVALID_CONCEPT_CODE', 'error', 'business-rule', `The code '${clip(code)}' in the system ${system.url} is not valid in the value set '${clip(vsUrl)}' (${malformed})`, at)];
  }
  if (EXTERNAL_SYSTEMS[system.url]) return [];
  return system.version
    ? [issue('CONCEPTMAP_VS_CONCEPT_CODE_UNKNOWN_SYSTEM_VERSION', 'warning', 'business-rule', `The code '${clip(code)}' comes from the system ${system.url} version ${system.version} which could not be found, so it's not known whether it's valid in the value set '${clip(vsUrl)}'`, at)]
    : [issue('CONCEPTMAP_VS_CONCEPT_CODE_UNKNOWN_SYSTEM', 'warning', 'business-rule', `The code '${clip(code)}' comes from the system ${system.url} which could not be found, so it's not known whether it's valid in the value set '${clip(vsUrl)}'`, at)];
}

const RULES = {
  source: {
    codeInvalid: 'CONCEPTMAP_GROUP_SOURCE_CODE_INVALID',
    displayInvalid: 'CONCEPTMAP_GROUP_SOURCE_DISPLAY_INVALID',
    cantCheck: 'CONCEPTMAP_GROUP_SOURCE_CODE_CANT_CHECK',
    invalidVs: 'CONCEPTMAP_GROUP_SOURCE_CODE_INVALID_VS',
    missing: 'CONCEPTMAP_GROUP_SOURCE_MISSING',
    serverSide: 'CONCEPTMAP_GROUP_SOURCE_SERVER_SIDE',
    incomplete: 'CONCEPTMAP_GROUP_SOURCE_INCOMPLETE',
    unknown: 'CONCEPTMAP_GROUP_SOURCE_UNKNOWN',
  },
  target: {
    codeInvalid: 'CONCEPTMAP_GROUP_TARGET_CODE_INVALID',
    displayInvalid: 'CONCEPTMAP_GROUP_TARGET_DISPLAY_INVALID',
    cantCheck: 'CONCEPTMAP_GROUP_TARGET_CODE_CANT_CHECK',
    invalidVs: 'CONCEPTMAP_GROUP_TARGET_CODE_INVALID_VS',
    missing: 'CONCEPTMAP_GROUP_TARGET_MISSING',
    serverSide: 'CONCEPTMAP_GROUP_TARGET_SERVER_SIDE',
    incomplete: 'CONCEPTMAP_GROUP_TARGET_INCOMPLETE',
    unknown: 'CONCEPTMAP_GROUP_TARGET_UNKNOWN',
  },
} as const;

/**
 * Mappings already made in a group, by source code (and target code). Kept exactly as the reference
 * keeps them, including which of its two messages it gives for a repeated source/target pair.
 */
class Relationships {
  private readonly bySource = new Map<string, string>();
  private readonly byPair = new Map<string, string>();

  check(el: ConceptMapGroupElement, target: string | undefined, reln: string | undefined, at: string): ValidationIssue[] {
    const source = el.code;
    if (typeof source !== 'string' || typeof reln !== 'string') return [];
    const shown = target ?? '--';
    const same = (): ValidationIssue => issue('CONCEPTMAP_GROUP_TARGET_DUPLICATION', 'warning', 'business-rule', `A ${reln} relationship has already been defined from the code ${clip(source)} to the code ${clip(shown)}`, at);
    const different = (before: string): ValidationIssue =>
      issue('CONCEPTMAP_GROUP_TARGET_DUPLICATION_DIFFERENT', 'warning', 'business-rule', `A ${before} relationship has already been defined from the code ${clip(source)} to the code ${clip(shown)}, but this defines a new relationship ${reln}`, at);
    if (target === undefined) {
      const before = this.bySource.get(source);
      if (before === undefined) this.bySource.set(source, reln);
      else return [before === reln ? same() : different(before)];
      return [];
    }
    const out: ValidationIssue[] = [];
    const sourceOnly = this.bySource.get(source);
    if (sourceOnly !== undefined) out.push(different(sourceOnly));
    const key = `|${source}|${target}|`;
    const before = this.byPair.get(key);
    if (before === undefined) this.byPair.set(key, reln);
    // The reference reports a repeated pair with the same relationship as "different", and the converse.
    else out.push(before === reln ? different(before) : same());
    return out;
  }
}
