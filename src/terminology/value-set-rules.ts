/**
 * ValueSet authoring rules, as the reference validator's ValueSetValidator has them: value set parameters,
 * each compose include/exclude (system syntax and version, imported value sets, contained code systems,
 * the code system's content, OIDs and value sets given as systems, its concepts and filters), and the
 * expansion a value set carries (parameters, counts, versions of the systems used, and agreement with
 * the expansion of its definition). Concepts and filters are judged against the code systems known
 * offline (see code-check.ts); a system nobody knows is said to be unknown, as the reference's
 * terminology server says.
 */
import type { CodeSystem, ValueSet, ValueSetComposeInclude } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';
import { checkCode } from './code-check.js';
import { EXTERNAL_SYSTEMS } from './external-systems.js';
import { filterVocabulary } from './filter-vocabulary.js';
import { clip, issue } from './issue.js';
import type { LocalTerminology } from './local-terminology.js';
import { filterIssues, isAbsoluteUrl, type ParameterDeclaration } from './value-set-filters.js';
import { expansionIssues } from './value-set-expansion.js';

/** The reference's default limit on the concepts of one include it checks one by one. */
export const CODE_LIMIT = 1000;
const VALUESET_PARAMETER = 'http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter';

type Include = ValueSetComposeInclude & { _system?: unknown };

export function valueSetIssues(vs: ValueSet, path: string, terminology: LocalTerminology): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const parameters = declaredParameters(vs, path, out);
  for (const kind of ['include', 'exclude'] as const) {
    (vs.compose?.[kind] ?? []).forEach((inc, i) => {
      if (inc && typeof inc === 'object') out.push(...includeIssues(inc, `${path}.compose.${kind}[${i}]`, vs, terminology, parameters));
    });
  }
  for (const p of parameters) if (!p.used) out.push(issue('VALUESET_PARAMETER_NOT_USED', 'warning', 'business-rule', `The value set parameter '${clip(p.name)}' is not used`, p.at));
  if (vs.expansion && typeof vs.expansion === 'object') out.push(...expansionIssues(vs, `${path}.expansion`, terminology));
  return out;
}

/** Parameters the value set declares; their names should start with 'p-' and they should be documented. */
function declaredParameters(vs: ValueSet, path: string, out: ValidationIssue[]): ParameterDeclaration[] {
  const params: ParameterDeclaration[] = [];
  (vs.extension ?? []).forEach((ext, i) => {
    if (ext?.url !== VALUESET_PARAMETER) return;
    const parts = ext.extension ?? [];
    const nameExt = parts.find((e) => e.url === 'name');
    const name = nameExt ? String(nameExt.valueCode ?? nameExt.valueString ?? nameExt.valueId ?? '') : undefined;
    if (name === undefined) return;
    const at = `${path}.extension[${i}]`;
    if (!parts.some((e) => e.url === 'documentation') && !name.startsWith('p-')) {
      out.push(issue('VALUESET_PARAMETER_NO_DOCO', 'warning', 'business-rule', `Without documentation, users likely won't be able to use the valueset parameter '${clip(name)}' correctly`, at));
    }
    if (!name.startsWith('p-')) out.push(issue('VALUESET_PARAMETER_NAME_WARNING', 'information', 'business-rule', `ValueSet parameter names are recommended to start with 'p-' but this is '${clip(name)}'`, at));
    params.push({ name, at, used: false });
  });
  return params;
}

function includeIssues(inc: Include, at: string, vs: ValueSet, terminology: LocalTerminology, parameters: ParameterDeclaration[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  let system = typeof inc.system === 'string' ? inc.system : undefined;
  const version = typeof inc.version === 'string' ? inc.version : undefined;
  if (system?.includes('|')) {
    const uver = system.slice(system.indexOf('|') + 1);
    system = system.slice(0, system.indexOf('|'));
    if (uver === '') out.push(issue('VALUESET_REFERENCE_INVALID_TYPE_NO_VERSION_0', 'warning', 'business-rule', `Value set System reference '${clip(system)}' ends with a '|' which is suspicious. Note that the reference must not use the canonical version syntax; the version goes in the .version property`, at));
    else if (version === undefined) out.push(issue('VALUESET_REFERENCE_INVALID_TYPE_NO_VERSION_1', 'error', 'business-rule', `Value set System references must not use the canonical version syntax - the version '${clip(uver)}' should be in the version property`, at));
    else if (uver !== version) out.push(issue('VALUESET_REFERENCE_INVALID_TYPE_NO_VERSION_2', 'error', 'business-rule', `Value set System references must not use the canonical version syntax - the version '${clip(uver)}' should be in the version property, but that already contains '${clip(version)}'`, at));
    else out.push(issue('VALUESET_REFERENCE_INVALID_TYPE_NO_VERSION_3', 'error', 'business-rule', `Value set System references must not use the canonical version syntax - the version '${clip(uver)}' is already in the version property`, at));
  }
  out.push(...importIssues(inc, at, terminology));
  const concepts = inc.concept ?? [];
  const filters = inc.filter ?? [];
  if (system === undefined) {
    if (concepts.length > 0 || filters.length > 0) out.push(issue('VALUESET_NO_SYSTEM_WARNING', 'warning', 'business-rule', "No System specified, so Concepts and Filters can't be checked", at));
    return out;
  }
  if (!isAbsoluteUrl(system)) {
    const frag = system.startsWith('#');
    out.push(issue(frag ? 'VALUESET_INCLUDE_SYSTEM_ABSOLUTE_FRAG' : 'VALUESET_INCLUDE_SYSTEM_ABSOLUTE', 'error', 'invalid', frag
      ? 'URI values in ValueSet.compose.include.system must be absolute. To reference a contained code system, use the full CodeSystem URL and reference it using the http://hl7.org/fhir/StructureDefinition/valueset-system extension'
      : `URI values in ValueSet.compose.include.system must be absolute ('${clip(system)}' is not)`, at));
    if (frag) out.push(...containedSystemIssues(system, version, at, vs));
  }
  const cs = localCodeSystem(terminology, system, version);
  let validateConcepts = true;
  if (cs) {
    const content = cs.content;
    const label = version === undefined ? `The value set references CodeSystem '${system}' which has status '${content}'` : `The value set references CodeSystem '${system}' version '${version}' which has status '${content}'`;
    const contentRule = version === undefined ? 'VALUESET_INCLUDE_CS_CONTENT' : 'VALUESET_INCLUDE_CSVER_CONTENT';
    if (content === 'example') out.push(issue(contentRule, 'warning', 'invalid', label, at));
    else if (content === 'fragment') out.push(issue(contentRule, 'information', 'invalid', label, at));
    else if (content === 'supplement') {
      validateConcepts = false;
      const rule = version === undefined ? 'VALUESET_INCLUDE_CS_SUPPLEMENT' : 'VALUESET_INCLUDE_CSVER_SUPPLEMENT';
      out.push(issue(rule, 'error', 'invalid', `The value set references CodeSystem '${system}'${version === undefined ? '' : ` version '${version}'`} which is a supplement. It must reference the underlying CodeSystem '${cs.supplements ?? ''}' and use the http://hl7.org/fhir/StructureDefinition/valueset-supplement extension for the supplement`, at));
    } else if (content === 'not-present' && !EXTERNAL_SYSTEMS[system]) {
      validateConcepts = false;
      out.push(issue(contentRule, 'warning', 'invalid', label, at));
    }
  } else {
    out.push(...notACodeSystemIssues(system, version, at, terminology));
    if (terminology.resolver.valueSet(system)) validateConcepts = false;
  }
  if (validateConcepts && concepts.length > CODE_LIMIT) {
    out.push(issue('VALUESET_INC_TOO_MANY_CODES', 'information', 'business-rule', `The value set include has too many concepts to validate (${concepts.length}, more than the limit of ${CODE_LIMIT}), so each individual code has not been checked`, at));
  } else if (validateConcepts && concepts.length > 0) out.push(...conceptIssues(inc, system, version, at, terminology));
  const vocabulary = filterVocabulary(system, cs);
  const knownSystem = cs !== undefined || EXTERNAL_SYSTEMS[system] !== undefined;
  filters.forEach((f, j) => {
    if (f && typeof f === 'object') out.push(...filterIssues(f, `${at}.filter[${j}]`, { system, version, knownSystem, vocabulary, terminology, parameters }));
  });
  return out;
}

function localCodeSystem(terminology: LocalTerminology, system: string, version: string | undefined): CodeSystem | undefined {
  const cs = terminology.resolver.codeSystem(version === undefined ? system : `${system}|${version}`);
  if (!cs || cs.url !== system) return undefined;
  return version === undefined || cs.version === undefined || cs.version === version ? cs : undefined;
}

/** Imported value sets must be known (or implicit, as `...?fhir_vs` and CodeSystem.valueSet are). */
function importIssues(inc: Include, at: string, terminology: LocalTerminology): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const imports = inc.valueSet ?? [];
  imports.forEach((v, i) => {
    if (typeof v !== 'string' || terminology.valueSet(v)) return;
    if (v.includes('?fhir_vs') && EXTERNAL_SYSTEMS[v.slice(0, v.indexOf('?'))]) return;
    const other = terminology.resolver.resolve(v);
    if (other) out.push(issue('VALUESET_REFERENCE_INVALID_TYPE', 'warning', 'business-rule', `The value set import ${clip(v)} points to a resource of type ${other.resourceType} which is not valid`, `${at}.valueSet[${i}]`));
    else out.push(issue('VALUESET_REFERENCE_UNKNOWN', 'warning', 'business-rule', `The value set import ${clip(v)} could not be found so cannot be checked`, `${at}.valueSet[${i}]`));
  });
  if (imports.length > 1) {
    out.push(issue('VALUESET_IMPORT_UNION_INTERSECTION', 'warning', 'informational', 'This value set has a single include with multiple imported value sets. Per issue https://jira.hl7.org/browse/FHIR-25179, there has been confusion in the past whether these value sets are unioned or intersectioned. If this value set is contained in a package published prior to March 31 2022, it will be treated as a union, otherwise it will be treated as an intersection. If want a union, split the value set imports across multiple includes', at));
  }
  return out;
}

/** `#id` as a system names a contained resource: it must be one CodeSystem (of the version given). */
function containedSystemIssues(system: string, version: string | undefined, at: string, vs: ValueSet): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const found: unknown[] = [];
  for (const c of (vs.contained ?? []) as { resourceType?: string; id?: string; version?: string }[]) {
    if (!c || `#${c.id ?? ''}` !== system) continue;
    if (c.resourceType !== 'CodeSystem') {
      out.push(issue('VALUESET_INCLUDE_CS_NOT_CS', 'error', 'invalid', `The include system '${clip(system)}' is a reference to a contained resource, but the contained resource with that id is not a CodeSystem, it's a ${String(c.resourceType)}`, at));
    } else if (version === undefined || version === c.version) found.push(c);
  }
  if (found.length === 0) {
    if (version === undefined) out.push(issue('VALUESET_INCLUDE_CS_NOT_FOUND', 'error', 'invalid', `No matching contained code system found for system '${clip(system)}'`, at));
    else out.push(issue('VALUESET_INCLUDE_CSVER_NOT_FOUND', 'error', 'invalid', `No matching contained code system found for system '${clip(system)}' version '${clip(version)}'`, at));
  } else if (found.length > 1) {
    if (version === undefined) out.push(issue('VALUESET_INCLUDE_CS_MULTI_FOUND', 'error', 'invalid', `Multiple matching contained code systems found for system '${clip(system)}'`, at));
    else out.push(issue('VALUESET_INCLUDE_CSVER_MULTI_FOUND', 'error', 'invalid', `Multiple matching contained code systems found for system '${clip(system)}' version '${clip(version)}'`, at));
  }
  return out;
}

/** A system that is not a code system: an OID some CodeSystem carries as its identifier, or a value set's URL. */
function notACodeSystemIssues(system: string, version: string | undefined, at: string, terminology: LocalTerminology): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (system.startsWith('urn:oid:')) {
    const matches: CodeSystem[] = [];
    for (const cs of terminology.resolver.all<CodeSystem>('CodeSystem')) {
      if ((cs.identifier ?? []).some((id) => id.value === system)) matches.push(cs);
    }
    if (matches.length === 1) out.push(issue('VALUESET_INCLUDE_WRONG_CS_OID', 'error', 'invalid', `It is not valid to refer to a CodeSystem by an identifier like this '${system}' - use '${matches[0]!.url ?? ''}'`, at));
    else if (matches.length > 1) out.push(issue('VALUESET_INCLUDE_WRONG_CS_OID_PLURAL', 'error', 'invalid', `It is not valid to refer to a CodeSystem by an identifier like this '${system}', and the identifier matches to multiple CodeSystem resources (${matches.map((c) => (c.version ? `${c.url}|${c.version}` : c.url)).join(',')})`, at));
  }
  const vs = terminology.resolver.valueSet(version === undefined ? system : `${system}|${version}`);
  if (vs && vs.url === system) {
    const systems = [...new Set([...(vs.compose?.include ?? []), ...(vs.compose?.exclude ?? [])].filter((i) => i.system).map((i) => (i.version ? `${i.system}|${i.version}` : i.system!)))].sort();
    if (systems.length === 0) out.push(issue('VALUESET_INCLUDE_WRONG_VS', 'error', 'invalid', `The system '${system}' is actually a value set`, at));
    else if (systems.length === 1) out.push(issue('VALUESET_INCLUDE_WRONG_VS_HINT', 'error', 'invalid', `The system '${system}' is actually a value set, which itself refers to the system '${systems[0]!}' so that may be what is intended here`, at));
    else out.push(issue('VALUESET_INCLUDE_WRONG_VS_MANY', 'error', 'invalid', `The system '${system}' is actually a value set, which itself refers to the systems ${systems.join(', ')}`, at));
  }
  return out;
}

/**
 * Listed concepts must be codes of the system, with a display the system knows (a hint only). A code of a
 * system nobody knows cannot be validated, which is said for each concept, as terminology servers answer.
 */
function conceptIssues(inc: Include, system: string, version: string | undefined, at: string, terminology: LocalTerminology): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const concepts = inc.concept ?? [];
  let withDisplay = false;
  let withoutDisplay = false;
  const tagged: string[] = [];
  const untagged: string[] = [];
  for (let k = 0; k < concepts.length; k++) {
    const c = concepts[k]!;
    if (typeof c?.code !== 'string') continue;
    const display = typeof c.display === 'string' && c.display !== '' ? c.display : undefined;
    if (display === undefined) withoutDisplay = true;
    else {
      withDisplay = true;
      const s = display.lastIndexOf('(');
      const isTagged = display.lastIndexOf(')') === display.length - 1 && s > -1 && s > display.length - 20;
      (isTagged ? tagged : untagged).push(display);
    }
    const found = checkCode(terminology, system, c.code, version);
    const where = `${at}.concept[${k}]`;
    if (found.unknownSystem) {
      // What a terminology server answers for a system it does not know: the code cannot be validated.
      out.push(issue(version === undefined ? 'UNKNOWN_CODESYSTEM' : 'UNKNOWN_CODESYSTEM_VERSION', 'information', 'not-found', found.message ?? '', where));
      continue;
    }
    if (!found.ok) {
      if (version === undefined) out.push(issue('VALUESET_INCLUDE_INVALID_CONCEPT_CODE', 'error', 'business-rule', `The code '${clip(c.code)}' is not valid in the system ${system} (${found.message ?? ''})`, where));
      else out.push(issue('VALUESET_INCLUDE_INVALID_CONCEPT_CODE_VER', 'error', 'business-rule', `The code '${clip(c.code)}' is not valid in the system ${system} version ${version} (${found.message ?? ''})`, where));
    } else if (display !== undefined && found.displays && found.displays.length > 0 && !found.displays.some((d) => norm(d) === norm(display))) {
      const rule = version === undefined ? 'VALUESET_CODE_CONCEPT_HINT' : 'VALUESET_CODE_CONCEPT_HINT_VER';
      out.push(issue(rule, 'information', 'informational', `Wrong Display Name '${clip(display)}' for ${system}#${c.code}. Valid display is one of ${found.displays.map((d) => `'${clip(d)}'`).join(', ')}. Note that the display in the ValueSet does not have to match; this check exists to help check that it's not accidentally the wrong code`, where));
    }
  }
  if (withDisplay && withoutDisplay) out.push(issue('VALUESET_CONCEPT_DISPLAY_PRESENCE_MIXED', 'information', 'business-rule', 'This include has some concepts with displays and some without - check that this is what is intended', at));
  if (system === 'http://snomed.info/sct' && tagged.length > 0 && untagged.length > 0) {
    out.push(issue('VALUESET_CONCEPT_DISPLAY_SCT_TAG_MIXED', 'information', 'business-rule', `This SNOMED-CT based include has some concepts with semantic tags (FSN terms) and some without (preferred terms) - check that this is what is intended (examples for FSN: [${tagged.slice(0, 5).join(', ')}] and examples for no FSN: [${untagged.slice(0, 5).join(', ')}])`, at));
  }
  return out;
}

function norm(d: string): string {
  return d.trim().replace(/\s+/g, ' ').toLowerCase();
}
