/**
 * A ValueSet.expansion the value set carries, as the reference validator checks it: it should say the
 * parameters that produced it and carry an identifier, its offset and count must fit its total, each
 * code system used without a version should be named (once) by a `used-codesystem` parameter, and its
 * codes should be those the value set's own definition expands to.
 */
import type { ValueSet, ValueSetExpansionContains } from 'fhir/r4';
import type { ValidationIssue } from '../plugin-types/index.js';
import { clip, issue } from './issue.js';
import type { LocalTerminology } from './local-terminology.js';

export function expansionIssues(vs: ValueSet, at: string, terminology: LocalTerminology): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const expansion = vs.expansion!;
  const parameters = Array.isArray(expansion.parameter) ? expansion.parameter : [];
  if (!parameters.some((p) => typeof p?.name === 'string' && !p.name.startsWith('used-'))) {
    out.push(issue('VALUESET_EXPANSION_PARAMETER_NOT_FOUND', 'warning', 'business-rule', 'This expansion has no parameters; in the absence of the parameters that controlled the expansion, systems may not be able to determine whether it is safe to use this expansion', at));
  }
  if (expansion.identifier === undefined) out.push(issue('VALUESET_EXPANSION_NO_IDENTIFIER', 'information', 'business-rule', 'This expansion has no identifier. Identifiers are recommended to help with audit and traceability', at));
  const unversioned = new Set<string>();
  const keys = new Set<string>();
  let count = 0;
  const visit = (list: ValueSetExpansionContains[] | undefined, depth: number): void => {
    if (!Array.isArray(list) || depth > 50) return;
    for (const c of list) {
      if (!c || typeof c !== 'object') continue;
      count++;
      if (typeof c.system === 'string') {
        if (c.version === undefined) {
          unversioned.add(c.system);
          keys.add(`${c.system}#${String(c.code)}`);
        } else keys.add(`${c.system}|${c.version}#${String(c.code)}`);
      }
      visit(c.contains, depth + 1);
    }
  };
  visit(expansion.contains, 0);
  if (typeof expansion.total === 'number' && typeof expansion.offset === 'number' && expansion.offset + count > expansion.total) {
    out.push(issue('VALUESET_EXPANSION_PARAMETER_COUNT_WRONG', 'warning', 'invalid', `The expansion offset (${expansion.offset}) + the count of items (${count}) is greater than the stated total (${expansion.total})`, at));
  }
  const used = parameters.filter((p) => p?.name === 'used-codesystem').map((p) => String(p.valueUri ?? p.valueString ?? p.valueCode ?? ''));
  for (const system of unversioned) {
    const matches = used.filter((u) => u.startsWith(`${system}|`));
    if (matches.length === 0) {
      out.push(issue('VALUESET_EXPANSION_PARAMETER_SYSTEM_NEEDED', 'warning', 'invalid', `Because the expansion uses system '${clip(system)}' without a version, it should list the system using the expansion parameter 'used-codesystem'`, at));
    } else if (matches.length > 1) {
      out.push(issue('VALUESET_EXPANSION_PARAMETER_SYSTEM_MULTIPLE', 'error', 'invalid', `The expansion uses system '${clip(system)}' without a version, but then provides multiple 'used-codesystem' parameters so the version cannot be determined (${matches.map(clip).join(', ')})`, at));
    }
  }
  out.push(...agreementIssues(vs, keys, at, terminology));
  return out;
}

/**
 * The codes of the value set's own definition, expanded offline, against those of the expansion given.
 * Only when the definition expands completely here (every code system loaded and complete).
 */
function agreementIssues(vs: ValueSet, keys: Set<string>, at: string, terminology: LocalTerminology): ValidationIssue[] {
  if (!vs.compose) return [];
  const definition = { ...vs, expansion: undefined, url: undefined, version: undefined } as ValueSet;
  const expanded = terminology.valueSetResource(definition).codes.enumerate();
  if (!expanded) return [];
  const remaining = new Set(keys);
  const missing: string[] = [];
  for (const c of expanded) {
    const version = terminology.codeSystem(c.system)?.version;
    if (remaining.delete(`${c.system}#${c.code}`)) continue;
    if (version !== undefined && remaining.delete(`${c.system}|${version}#${c.code}`)) continue;
    missing.push(c.code);
  }
  const extra = [...remaining].map((k) => k.slice(k.indexOf('#') + 1));
  const out: ValidationIssue[] = [];
  if (missing.length === 1) out.push(issue('VALUESET_EXPANSION_MISSING', 'warning', 'invalid', `The expansion provided is missing the code ${clip(missing[0]!)} that is in the expansion using default expansion parameters`, at));
  else if (missing.length > 1) out.push(issue('VALUESET_EXPANSION_MISSING', 'warning', 'invalid', `The expansion provided is missing ${missing.length} codes (${codeList(missing)}) that are in the expansion using default expansion parameters`, at));
  if (extra.length === 1) out.push(issue('VALUESET_EXPANSION_EXTRA', 'warning', 'invalid', `The expansion provided has an extra code ${clip(extra[0]!)} that is not in the expansion using default expansion parameters`, at));
  else if (extra.length > 1) out.push(issue('VALUESET_EXPANSION_EXTRA', 'warning', 'invalid', `The expansion provided is has ${extra.length} extra codes (${codeList(extra)}) that are not in the expansion using default expansion parameters`, at));
  return out;
}

function codeList(codes: string[]): string {
  const sorted = [...codes].sort();
  return sorted.slice(0, 5).map(clip).join(', ') + (sorted.length > 5 ? ',...' : '');
}
