/**
 * An OperationDefinition's inputProfile / outputProfile against its parameters, as the reference validator
 * compares them: the profile must be a known profile on Parameters; each slice of Parameters.parameter
 * (named by its fixed or pattern `name`) must be a parameter of the operation with the same use, with the
 * same cardinality, types and target profiles; and each parameter of that use must have a slice.
 * The profile's snapshot is read as given; a profile without one is not compared.
 */
import { clip } from '../primitives.js';
import type { ConformanceContext } from './context.js';

const EXT_ALLOWED_TYPE = 'http://hl7.org/fhir/StructureDefinition/operationdefinition-allowed-type';

type Json = Record<string, unknown>;

interface Slice {
  slice: Json;
  children: Map<string, Json>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The slices of Parameters.parameter in a snapshot, each with its direct children by name (value[x] as value). */
function parameterSlices(elements: Json[]): Slice[] {
  const out: Slice[] = [];
  let current: Slice | undefined;
  for (const e of elements) {
    const path = str(e.path) ?? '';
    if (path === 'Parameters.parameter') {
      current = typeof e.sliceName === 'string' ? { slice: e, children: new Map() } : undefined;
      if (current) out.push(current);
    } else if (current && path.startsWith('Parameters.parameter.')) {
      const rest = path.slice('Parameters.parameter.'.length);
      if (rest.includes('.') || typeof e.sliceName === 'string') continue;
      const name = rest.endsWith('[x]') ? rest.slice(0, -3) : rest;
      if (!current.children.has(name)) current.children.set(name, e);
    } else if (!path.startsWith('Parameters.parameter')) {
      current = undefined;
    }
  }
  return out;
}

function fixedName(e: Json | undefined): string | undefined {
  if (!e) return undefined;
  for (const [k, v] of Object.entries(e)) {
    if ((k.startsWith('fixed') || k.startsWith('pattern')) && typeof v === 'string') return v;
  }
  return undefined;
}

const parseMax = (m: unknown) => (m === '*' ? Number.MAX_SAFE_INTEGER : typeof m === 'string' && /^\d+$/.test(m) ? Number(m) : -1);
const minOf = (e: Json | undefined) => (e && typeof e.min === 'number' ? e.min : 0);
/** The reference's isUsed: the element can occur and neither alternative is required. */
const isUsed = (focus: Json, a: Json | undefined, b: Json | undefined) => focus.max !== '0' && minOf(a) === 0 && minOf(b) === 0;
const listed = (l: string[]) => (l.length === 0 ? '(none)' : [...l].sort().join(','));

export function checkOperationProfile(od: Json, url: string, use: 'in' | 'out', at: string, cx: ConformanceContext): void {
  const { report } = cx;
  const sd = cx.lookup(url);
  if (!sd || sd.resourceType !== 'StructureDefinition') {
    report('OPDEF_PROFILE_NOT_FOUND', 'error', 'unknown', at, `The '${use}' profile '${clip(url)}' can not be resolved`);
    return;
  }
  if (sd.type !== 'Parameters') {
    report('OPDEF_PROFILE_NOT_PARAMETERS', 'error', 'invalid', at, `The '${use}' profile '${clip(url)}' is not a profile on the 'Parameters' resource`);
    return;
  }
  const elements = (sd.snapshot as { element?: unknown } | undefined)?.element;
  if (!Array.isArray(elements)) return;
  const versioned = typeof sd.version === 'string' ? `${String(sd.url)}|${sd.version}` : String(sd.url);
  const params = (Array.isArray(od.parameter) ? od.parameter : []).filter((p): p is Json => !!p && typeof p === 'object');
  const matched = new Set<Json>();
  for (const { slice, children } of parameterSlices(elements as Json[])) {
    const nameDef = children.get('name');
    if (!nameDef) {
      report('OPDEF_PROFILE_NO_SLICE', 'error', 'unknown', at, `The slice '${String(slice.sliceName)}' in the ${use} profile does not have a sub-slice for the parameter name`);
      continue;
    }
    const paramName = fixedName(nameDef);
    if (paramName === undefined) continue; // the reference cannot go on without a fixed name either
    const param = params.find((p) => p.name === paramName && p.use === use);
    if (!param) {
      report('OPDEF_PROFILE_NOT_IN_PARAM', 'warning', 'unknown', at, `The '${use}' profile ${clip(versioned)} defines a parameter '${clip(paramName)}' but this is not in the parameters list in the operation definition`);
      continue;
    }
    matched.add(param);
    compare(param, `${at}.parameter[${params.indexOf(param)}]`, use, paramName, slice, children, versioned, cx);
  }
  params.forEach((p, i) => {
    if (!matched.has(p) && p.use === use) {
      report('OPDEF_PROFILE_NOT_IN_PROFILE', 'warning', 'unknown', `${at}.parameter[${i}]`, `The '${use}' profile does not have a parameter '${clip(String(p.name))}' but it is in the parameters list in the operation definition`);
    }
  });
}

function compare(param: Json, at: string, use: string, name: string, slice: Json, children: Map<string, Json>, sdUrl: string, cx: ConformanceContext): void {
  const err = (rule: string, message: string) => cx.report(rule, 'error', 'invalid', at, message);
  const mismatch = (what: string, here: unknown, there: unknown) =>
    cx.report('OPDEF_PROFILE_NOT_VALUE_MISMATCH', 'error', 'unknown', at, `The parameter '${clip(name)}' has a value for '${what}' of '${String(there)}' in the '${use}' profile ${clip(sdUrl)} that is different to '${String(here)}' which is the value in the parameter definition in the operation definition`);
  if (typeof param.min === 'number' && param.min !== minOf(slice)) mismatch('min', param.min, minOf(slice));
  const maxParam = parseMax(param.max);
  const maxProfile = parseMax(slice.max);
  if (maxParam > -1 && maxProfile > -1 && maxParam !== maxProfile) mismatch('max', param.max, slice.max);

  const allowedTypes: string[] = [];
  const allowedExt = (Array.isArray(param.extension) ? param.extension : []).filter((e) => e && typeof e === 'object' && (e as Json).url === EXT_ALLOWED_TYPE) as Json[];
  if (allowedExt.length > 0) {
    for (const e of allowedExt) {
      const v = Object.entries(e).find(([k]) => k.startsWith('value'))?.[1];
      if (typeof v === 'string') allowedTypes.push(v);
    }
  } else if (typeof param.type === 'string') allowedTypes.push(param.type);
  const allowedTargets = (Array.isArray(param.targetProfile) ? param.targetProfile : []).filter((t): t is string => typeof t === 'string');

  const profileTypes: string[] = [];
  const profileTargets: string[] = [];
  const value = children.get('value');
  const resource = children.get('resource');
  const part = children.get('part');
  for (const [focus, a, b] of [[value, resource, part], [resource, value, part]] as const) {
    if (!focus || !isUsed(focus, a, b)) continue;
    for (const tr of Array.isArray(focus.type) ? (focus.type as Json[]) : []) {
      const t = str(tr.code);
      if (t === undefined) continue;
      profileTypes.push(t);
      for (const p of Array.isArray(tr.targetProfile) ? tr.targetProfile : []) if (typeof p === 'string') profileTargets.push(p);
      if (!allowedTypes.includes(t)) {
        err('OPDEF_PROFILE_TYPE_NOT_IN_PARAMS', `The type '${t}' is allowed for the parameter '${clip(name)}' in the '${use}' profile ${clip(sdUrl)} but is not in the list of allowed types for the parameter in the operation definition: ${listed(allowedTypes)}`);
      }
    }
  }
  for (const t of allowedTypes) {
    if (!profileTypes.includes(t)) {
      err('OPDEF_PROFILE_TYPE_NOT_IN_PROFILE', `The type '${clip(t)}' is not allowed for the parameter '${clip(name)}' in the '${use}' profile ${clip(sdUrl)} but is in the list of allowed types for the parameter in the operation definition (allowed types = ${listed(profileTypes)})`);
    }
  }
  for (const t of allowedTargets) {
    if (!profileTargets.includes(t)) {
      err('OPDEF_PROFILE_PROFILE_NOT_IN_PROFILE', `The target profile '${clip(t)}' is not allowed for the parameter '${clip(name)}' in the '${use}' profile but is in the list of target profiles for the parameter in the operation definition (profile target profiles = ${listed(profileTargets)})`);
    }
  }
  // For a parameter of type Element the operation cannot state target profiles (opd-3), so nothing to compare.
  if (typeof param.type === 'string' && param.type !== 'Element') {
    for (const t of profileTargets) {
      if (!allowedTargets.includes(t)) {
        err('OPDEF_PROFILE_PROFILE_NOT_IN_PARAMS', `The target profile '${clip(t)}' is allowed for the parameter '${clip(name)}' in the '${use}' profile ${clip(sdUrl)} but is not in the list of target profiles for the parameter in the operation definition: ${listed(allowedTargets)}`);
      }
    }
  }
}
