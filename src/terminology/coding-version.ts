/**
 * The version a Coding names against the version its bound value set settles on, as the reference's
 * terminology layer decides it (ValueSetValidator.determineVersion): the value set's include for the
 * system gives the version (or, without one, the latest loaded version of the code system is the default);
 * a Coding naming another version is VALUESET_VALUE_MISMATCH (error) or VALUESET_VALUE_MISMATCH_DEFAULT
 * (warning), on its `.version`, and a version no loaded code system has is UNKNOWN_CODESYSTEM_VERSION on its
 * `.system` (graded as the reference grades a not-found terminology issue on a binding). Only for code
 * systems loaded here: others are a terminology server's business.
 */
import type { CodeSystem, ValueSet, ValueSetComposeInclude } from 'fhir/r4';
import type { BindingStrength, ValidationIssue } from '../plugin-types/index.js';
import type { Membership } from './code-sets.js';
import { clip, issue } from './issue.js';
import type { LocalTerminology } from './local-terminology.js';

export interface VersionedCoding {
  system?: string;
  code?: string;
  version?: string;
  path: string;
}

/**
 * The version findings of the codings of a bound value; as the reference does, a Coding of its own (not of a
 * CodeableConcept) whose version fails is then not a valid code of the value set (its verdict becomes absent).
 */
export function boundVersionIssues(items: VersionedCoding[], concept: boolean, vs: ValueSet | undefined, strength: BindingStrength, terminology: LocalTerminology, verdicts: Membership[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (!vs) return out;
  items.forEach((item, i) => {
    const found = codingVersionIssues(item, vs, strength, terminology);
    out.push(...found);
    if (!concept && found.some((f) => f.rule !== 'VALUESET_VALUE_MISMATCH_DEFAULT') && verdicts[i]?.kind === 'member') {
      verdicts[i] = { kind: 'absent', hint: `version ${item.version ?? ''} of ${item.system ?? ''} is not the one of the value set` };
    }
  });
  return out;
}

export function codingVersionIssues(item: VersionedCoding, vs: ValueSet, strength: BindingStrength, terminology: LocalTerminology): ValidationIssue[] {
  const { system, code, version: versionCoding } = item;
  if (!system || !code || typeof versionCoding !== 'string' || versionCoding === '') return [];
  const versions = loadedVersions(system, terminology);
  if (versions.length === 0) return [];
  const includes = (Array.isArray(vs.compose?.include) ? vs.compose.include : []).filter((inc): inc is ValueSetComposeInclude => !!inc && typeof inc === 'object');
  const versionVS = versionFromValueSet(includes, system, versionCoding, code, terminology);
  const result = versionVS;
  // A Coding that only adds detail to the value set's version (1.2 for 1) is read as that version: not judged here.
  if (result !== undefined && versionCoding.startsWith(`${result}.`)) return [];
  const cs = result === undefined ? latest(versions) : versions.find((c) => c.version === result);
  const out: ValidationIssue[] = [];
  if (!cs) {
    if (result !== undefined && versionCoding !== result) out.push(mismatch(system, result, versionCoding, item.path));
    return out;
  }
  if (cs.version === versionCoding || (cs.version ?? '').startsWith(`${versionCoding}.`)) return out;
  if (result === undefined) {
    if (cs.version !== undefined) {
      out.push(issue('VALUESET_VALUE_MISMATCH_DEFAULT', 'warning', 'invalid', `The code system '${clip(system)}' version '${clip(cs.version)}' for the versionless include in the ValueSet include is different to the one in the value ('${clip(versionCoding)}')`, `${item.path}.version`));
    }
  } else if (versionCoding !== result) {
    out.push(mismatch(system, result, versionCoding, item.path));
  }
  if (!versions.some((c) => c.version === versionCoding)) {
    const known = [...new Set(versions.map((c) => c.version).filter((v): v is string => typeof v === 'string'))].sort();
    const hl7 = system.includes('http://hl7.org/fhir') || system.includes('http://terminology.hl7.org');
    out.push(issue('UNKNOWN_CODESYSTEM_VERSION', strength === 'required' && hl7 ? 'error' : 'warning', 'not-found', `A definition for CodeSystem '${clip(system)}' version '${clip(versionCoding)}' could not be found, so the code cannot be validated. Valid versions: ${known.map(clip).join(', ')}`, `${item.path}.system`));
  }
  return out;
}

function mismatch(system: string, result: string, versionCoding: string, path: string): ValidationIssue {
  return issue('VALUESET_VALUE_MISMATCH', 'error', 'invalid', `The code system '${clip(system)}' version '${clip(result)}' in the ValueSet include is different to the one in the value ('${clip(versionCoding)}')`, `${path}.version`);
}

/** Every loaded version of a code system (supplements aside). */
function loadedVersions(system: string, terminology: LocalTerminology): CodeSystem[] {
  return [...terminology.resolver.all<CodeSystem>('CodeSystem')].filter((c) => c.url === system && c.content !== 'supplement');
}

function latest(versions: CodeSystem[]): CodeSystem | undefined {
  return [...versions].sort((a, b) => compareVersions(b.version, a.version))[0];
}

/**
 * The version the value set gives the system (the reference's getCodeSystemVersionFromValueSet): the Coding's own
 * when some include names it; else, of the includes of the system with a version, the latest whose code system
 * version defines the code (and lists it, when the include lists concepts), failing that the latest named.
 */
function versionFromValueSet(includes: ValueSetComposeInclude[], system: string, versionCoding: string, code: string, terminology: LocalTerminology): string | undefined {
  if (includes.some((inc) => inc.version === versionCoding)) return versionCoding;
  let named: string | undefined;
  const holding: string[] = [];
  for (const inc of includes) {
    if (inc.system !== system || typeof inc.version !== 'string') continue;
    if (named === undefined || compareVersions(inc.version, named) > 0) named = inc.version;
    const cs = terminology.codeSystem(`${system}|${inc.version}`);
    const listed = !Array.isArray(inc.concept) || inc.concept.some((c) => c?.code === code);
    if (cs && cs.version === inc.version && cs.lookup(code) && listed) holding.push(inc.version);
  }
  return holding.sort((a, b) => compareVersions(b, a))[0] ?? named;
}

/** Compares dotted versions part by part, numerically where both parts are numbers. */
function compareVersions(a: string | undefined, b: string | undefined): number {
  const pa = (a ?? '').split('.');
  const pb = (b ?? '').split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const d = x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    if (d !== 0) return d;
  }
  return 0;
}
