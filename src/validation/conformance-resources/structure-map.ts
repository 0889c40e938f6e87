/**
 * StructureMap rules, after the reference validator's StructureMapValidator: imports, groups and their
 * inputs, rules with their sources (paths against the StructureDefinitions loaded), targets
 * (structure-map-targets.ts) and dependent groups. Groups whose input types are known are checked first;
 * a group called from a checked rule takes its input types from the call, as the reference does, and
 * groups nobody calls are checked last.
 */
import { clip } from '../primitives.js';
import type { ConformanceContext } from './context.js';
import { checkRuleTarget } from './structure-map-targets.js';
import { arr, idIsValid, type Json, sameTypes, str, TypeLookup, typeMatches, type Variable, VariableSet } from './structure-map-types.js';

/** The group a dependent rule names: its inputs, and the map it is in when imported. */
export interface ResolvedGroup {
  map: Json | undefined;
  group: Json;
}

/** Cardinality seen through a rule's sources, and the variable of its first source. */
export class RuleInformation {
  maxCount = 1;
  defVariable: string | undefined;
  seeCardinality(max: number): void {
    this.maxCount = max === Number.MAX_SAFE_INTEGER || this.maxCount === Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : this.maxCount * max;
  }
  isList(): boolean {
    return this.maxCount > 1;
  }
}

const DEF_GROUP_NAME = 'DefaultMappingGroupAnonymousAlias';
const AUTO_VAR_NAME = 'vvv';

/** State of one StructureMap being checked. */
export class MapCheck {
  readonly imports: Json[] = [];
  readonly validated = new Set<Json>();
  readonly parameters = new Map<Json, VariableSet>();
  readonly types: TypeLookup;
  readonly groups: Json[];

  constructor(readonly map: Json, readonly path: string, readonly cx: ConformanceContext, typeUrl: (name: string) => string | undefined) {
    this.types = new TypeLookup(cx, typeUrl);
    this.groups = arr(map.group);
  }

  report(rule: string, severity: 'error' | 'warning' | 'information', code: string, at: string, message: string): void {
    this.cx.report(rule, severity, code, at, message);
  }

  /** A group of this map by name, else of an imported one. */
  resolveGroup(name: string | undefined): ResolvedGroup | undefined {
    if (name === undefined) return undefined;
    const local = this.groups.find((g) => g.name === name);
    if (local) return { map: undefined, group: local };
    for (const m of this.imports) {
      const g = arr(m.group).find((x) => x.name === name);
      if (g) return { map: m, group: g };
    }
    return undefined;
  }

  /** A type alias of this map's structures (with the mode, when given) to the structure's URL. */
  resolveAlias(type: string | undefined, mode?: string): string | undefined {
    for (const s of arr(this.map.structure)) {
      if (type !== undefined && s.alias === type && (mode === undefined || s.mode === mode)) return str(s.url);
    }
    return type;
  }
}

export function checkStructureMap(map: Json, path: string, cx: ConformanceContext, typeUrl: (name: string) => string | undefined): void {
  const m = new MapCheck(map, path, cx, typeUrl);
  (Array.isArray(map.import) ? map.import : []).forEach((url, i) => {
    if (typeof url !== 'string') return;
    const found = cx.lookup(url);
    if (found && found.resourceType === 'StructureMap') m.imports.push(found);
    // A wildcard import names maps the validator cannot list offline: it is not reported.
    else if (!url.includes('*')) m.report('SM_IMPORT_NOT_FOUND', 'warning', 'invalid', `${path}.import[${i}]`, `No maps were found to match ${clip(url)} - validation may be wrong`);
  });
  let ok = true;
  let fired: boolean;
  do {
    fired = false;
    m.groups.forEach((g, i) => {
      if (m.validated.has(g) || !(hasInputTypes(g) || m.parameters.has(g))) return;
      m.validated.add(g);
      fired = true;
      ok = checkGroup(m, g, `${path}.group[${i}]`) && ok;
    });
  } while (fired);
  m.groups.forEach((g, i) => {
    if (m.validated.has(g)) return;
    const at = `${path}.group[${i}]`;
    // The reference's hint passes on the map's state so far: it appears only once something has failed.
    if (!ok) m.report('SM_ORPHAN_GROUP', 'information', 'informational', at, `The group ${String(g.name)} is not called successfully from within this mapping script, and does not have types on its inputs, so type verification is not possible`);
    ok = checkGroup(m, g, at) && ok;
  });
}

const hasInputTypes = (g: Json) => arr(g.input).every((i) => typeof i.type === 'string');

function checkGroup(m: MapCheck, group: Json, at: string): boolean {
  const name = str(group.name);
  let ok = true;
  if (!idIsValid(name)) {
    ok = false;
    m.report('SM_NAME_INVALID', 'error', 'invalid', at, `The name ${String(name)} is not valid`);
  }
  if (typeof group.extends === 'string' && !m.resolveGroup(group.extends)) {
    ok = false;
    m.report('SM_RULEGROUP_NOT_FOUND', 'error', 'not-supported', `${at}.extends`, `The group ${clip(group.extends)} could not be resolved`);
  }
  const variables = new VariableSet();
  const pvars = m.parameters.get(group);
  arr(group.input).forEach((input, i) => {
    ok = checkInput(m, group, input, `${at}.input[${i}]`, variables, pvars) && ok;
  });
  arr(group.rule).forEach((rule, i) => {
    ok = checkRule(m, group, rule, `${at}.rule[${i}]`, variables) && ok;
  });
  return ok;
}

function checkInput(m: MapCheck, group: Json, input: Json, at: string, variables: VariableSet, pvars: VariableSet | undefined): boolean {
  const name = str(input.name);
  const mode = str(input.mode);
  let type = str(input.type);
  let pv: Variable | undefined;
  if (type === undefined && pvars && name !== undefined && mode !== undefined) {
    pv = pvars.get(name, mode === 'source') ?? pvars.get(name, mode === 'target'); // a target can become a source
    if (pv) type = pv.workingType();
  }
  if (!idIsValid(name)) {
    m.report('SM_NAME_INVALID', 'error', 'not-supported', at, `The name ${String(name)} is not valid`);
    return false;
  }
  if (variables.has(name!)) {
    m.report('SM_GROUP_INPUT_DUPLICATE', 'error', 'duplicate', at, `The name ${name} is already used`);
    return false;
  }
  const v = variables.add(name!, mode ?? '', m.types);
  if (mode !== 'source' && mode !== 'target') {
    m.report('SM_GROUP_INPUT_MODE_INVALID', 'error', 'invalid', at, `The group parameter ${name} mode ${String(mode)} isn't valid`);
    return false;
  }
  if (type === undefined) {
    m.report('SM_GROUP_INPUT_NO_TYPE', 'warning', 'not-supported', at, `Group ${String(group.name)} parameter ${name} has no type, so the paths cannot be validated`);
    return false;
  }
  let smode: string | undefined;
  let sd: Json | undefined;
  let ed: Json | undefined;
  if (pv) {
    sd = pv.sd;
    ed = pv.ed;
  } else {
    const structure = arr(m.map.structure).find((s) => s.alias === type);
    if (structure) {
      smode = str(structure.mode);
      const url = str(structure.url);
      sd = url ? m.types.structure(url) : undefined;
      if (!sd) m.report('SM_GROUP_INPUT_TYPE_UNKNOWN_STRUCTURE', 'warning', 'invalid', at, `The type ${type} which maps to the canonical URL ${clip(String(url))} is not known, so the paths cannot be validated`);
    } else {
      sd = m.types.typeDefinition(type);
      if (!sd) m.report('SM_GROUP_INPUT_TYPE_UNKNOWN_TYPE', 'error', 'invalid', at, `The type ${clip(type)} is not known, so the paths cannot be validated`);
    }
    ed = sd ? arr((sd.snapshot as Json | undefined)?.element)[0] : undefined;
    // Without a snapshot there are no paths to check against.
    if (!ed) sd = undefined;
  }
  if (smode !== undefined && mode !== smode && !(smode === 'target' && mode === 'source')) {
    m.report('SM_GROUP_INPUT_MODE_MISMATCH', 'error', 'not-supported', at, `The type '${type}' has mode '${mode}' which doesn't match the structure definition mode of '${smode}'`);
    return false;
  }
  v.setType(1, sd, ed, undefined);
  return true;
}

function checkRule(m: MapCheck, group: Json, rule: Json, at: string, variables: VariableSet): boolean {
  let ok = true;
  if (!idIsValid(str(rule.name))) {
    ok = false;
    m.report('SM_NAME_INVALID', 'error', 'invalid', at, `The name ${String(rule.name)} is not valid`);
  }
  const info = new RuleInformation();
  const lvars = variables.copy();
  arr(rule.source).forEach((s, i) => {
    ok = checkRuleSource(m, s, `${at}.source[${i}]`, lvars, info, i) && ok;
  });
  arr(rule.target).forEach((t, i) => {
    ok = checkRuleTarget(m, rule, t, `${at}.target[${i}]`, lvars, info) && ok;
  });
  arr(rule.rule).forEach((r, i) => {
    ok = checkRule(m, group, r, `${at}.rule[${i}]`, lvars) && ok;
  });
  arr(rule.dependent).forEach((d, i) => {
    ok = checkDependent(m, d, `${at}.dependent[${i}]`, lvars) && ok;
  });
  return ok;
}

const parseMax = (max: string | undefined, existing: number) => (max !== undefined && /^-?\d+$/.test(max) ? Number(max) : existing);
const times = (max: number, max2: unknown) => (max === Number.MAX_SAFE_INTEGER || max2 === '*' ? Number.MAX_SAFE_INTEGER : max * Number(max2));

function checkRuleSource(m: MapCheck, source: Json, at: string, variables: VariableSet, info: RuleInformation, index: number): boolean {
  const context = str(source.context);
  if (index > 0) info.defVariable = undefined;
  if (!idIsValid(context)) {
    m.report('SM_NAME_INVALID', 'error', 'invalid', at, `The name ${String(context)} is not valid`);
    return false;
  }
  const v = variables.get(context!, true);
  if (!v) {
    m.report('SM_SOURCE_CONTEXT_UNKNOWN', 'error', 'unknown', at, `The source context ${context} is not known at this point`);
    return false;
  }
  const variable = str(source.variable);
  if (!v.hasTypeInfo()) {
    if (variable !== undefined) variables.add(variable, v.mode, m.types);
    return true;
  }
  let ok = true;
  let vn: Variable | undefined;
  if (variable === undefined) {
    m.report('SM_RULE_SOURCE_UNASSIGNED', 'information', 'invalid', at, "The source statement doesn't assign a variable to the source - check that this is what is intended");
  } else if (!idIsValid(variable)) {
    ok = false;
    m.report('SM_NAME_INVALID', 'error', 'invalid', at, `The name ${variable} is not valid`);
  } else {
    vn = variables.add(variable, v.mode, m.types);
    if (index === 0) info.defVariable = variable;
  }
  const element = str(source.element);
  if (element === undefined) {
    vn?.setType(v.max, v.sd, v.ed, v.type);
    return ok;
  }
  const path = `${String(v.ed!.path)}.${element}`;
  const els = m.types.elementDefinitions(v.sd!, v.ed!, v.type, element);
  if (els.length === 0) {
    m.report('SM_SOURCE_PATH_INVALID', 'error', 'invalid', at, `The source path ${context}.${clip(element)} refers to the path ${clip(path)} which is unknown`);
    return false;
  }
  if (els.length !== 1) {
    m.report('SM_TARGET_PATH_MULTIPLE_MATCHES', 'warning', 'invalid', at, `The target path ${context}.${clip(element)} refers to the path ${clip(path)} which could be a reference to multiple elements (${els.map((e) => String(e.ed.id)).join(', ')}). No further checking can be performed`);
    return ok;
  }
  const el = els[0]!;
  const type = str(source.type);
  if (type !== undefined && !m.types.hasType(el.ed, type)) {
    ok = false;
    const summary = arr(el.ed.type).map((t) => String(t.code)).join(', ');
    m.report('SM_SOURCE_TYPE_INVALID', 'error', 'invalid', at, `The type ${clip(type)} is not valid in the source context ${clip(path)}. The possible types are [${summary}]`);
  }
  const min = source.min;
  const edMin = typeof v.ed!.min === 'number' ? v.ed!.min : 0;
  if (typeof min === 'number' && min < edMin) {
    m.report('SM_RULE_SOURCE_MIN_REDUNDANT', 'information', 'invalid', at, `The min value of ${min} is redundant since the valid min is ${edMin}`);
  }
  const existingMax = times(v.max, el.ed.max);
  const max = str(source.max);
  const iMax = parseMax(max, existingMax);
  if (iMax > existingMax) {
    m.report('SM_RULE_SOURCE_MAX_REDUNDANT', 'warning', 'invalid', at, `The max value of ${String(max)} is redundant since the valid max is ${v.max}`);
  }
  info.seeCardinality(iMax);
  vn?.setType(iMax, el.sd, el.ed, type);
  return ok;
}

function checkDependent(m: MapCheck, dependent: Json, at: string, variables: VariableSet): boolean {
  const name = str(dependent.name);
  if (name === DEF_GROUP_NAME) return checkDefaultDependent(m, at, variables);
  const grp = m.resolveGroup(name);
  if (!grp) {
    m.report('SM_RULEGROUP_NOT_FOUND', 'error', 'not-found', at, `The group ${String(name)} could not be resolved`);
    return false;
  }
  const params = (Array.isArray(dependent.variable) ? dependent.variable : []) as unknown[];
  const inputs = arr(grp.group.input);
  if (params.length !== inputs.length) {
    m.report('SM_RULEGROUP_PARAM_COUNT_MISMATCH', 'error', 'invalid', at, `The group ${name} is invoked using ${params.length} parameters, but it actually takes ${inputs.length} instead`);
    return false;
  }
  let ok = true;
  const lvars = new VariableSet();
  params.forEach((param, i) => {
    const pat = `${at}.variable[${i}]`;
    const input = inputs[i]!;
    const mode = str(input.mode);
    const iType = grpInputType(m, grp, input);
    const pname = str(input.name) ?? '';
    const pv = typeof param === 'string' ? param : '';
    let v = variables.get(pv, mode === 'source');
    if (!v && mode === 'source') v = variables.get(pv, false); // a target can become a source
    if (!v) {
      ok = false;
      m.report('SM_DEPENDENT_PARAM_NOT_FOUND', 'error', 'invalid', pat, `The ${String(mode)} parameter '${clip(pv)}' was not found. Known variables: ${clip(variables.summary())}`);
      return;
    }
    if (!(v.mode === mode || (v.mode === 'target' && mode === 'source'))) {
      ok = false;
      m.report('SM_DEPENDENT_PARAM_MODE_MISMATCH', 'error', 'invalid', pat, `The parameter ${clip(pv)} refers to the variable ${v.name} but its mode is ${v.mode} which is not the same as the mode required for the group ${String(name)}`);
      return;
    }
    if (!typesMatch(m, v, iType)) {
      ok = false;
      const from = grp.map ? `${String(grp.map.url)}${typeof grp.map.version === 'string' ? `|${grp.map.version}` : ''}` : '$this';
      m.report('SM_DEPENDENT_PARAM_TYPE_MISMATCH', 'error', 'invalid', pat, `The parameter '${pname}' refers to the variable '${clip(v.summary())}' but its type is '${String(input.type)}' which is not compatible with the type required for the group '${String(name)}', which is '${String(input.type)}' (from map '${clip(from)}')`);
      return;
    }
    lvars.addCopy(pname, v);
  });
  if (ok && !grp.map) {
    const previous = m.parameters.get(grp.group);
    if (!previous) m.parameters.set(grp.group, lvars);
    else if (!previous.matches(lvars)) {
      m.report('SM_DEPENDENT_PARAM_TYPE_MISMATCH_DUPLICATE', 'warning', 'invalid', at, `The group ${String(name)} has already been used with different parameters, so the type checking may be incorrect (other = [${clip(previous.summary())}]; this = [${clip(lvars.summary())}])`);
    }
  }
  return ok;
}

/** The type an input of the called group expects: a structure alias resolved in the map that holds the group. */
function grpInputType(m: MapCheck, grp: ResolvedGroup, input: Json): string | undefined {
  const type = str(input.type);
  const structures = grp.map ? arr(grp.map.structure) : arr(m.map.structure);
  for (const s of structures) if (s.alias !== undefined && s.alias === type) return str(s.url);
  return type;
}

function typesMatch(m: MapCheck, v: Variable, type: string | undefined): boolean {
  if (type === undefined || !v.hasTypeInfo()) return true;
  if (v.sd!.url === type || v.sd!.type === type) return true;
  if (v.type !== undefined && v.type === type) return true;
  for (const tr of arr(v.ed?.type)) if (typeMatches(type, String(tr.code))) return true;
  const tsd = m.types.typeDefinition(type);
  if (!tsd) return false;
  let sd = m.types.typeDefinition(v.type);
  for (let depth = 0; sd && depth < 20; depth++) {
    if (sd.url === tsd.url) return true;
    sd = m.types.typeDefinition(str(sd.baseDefinition));
  }
  return false;
}

/** A dependent rule on the default group: a group for the source and target types must exist. */
function checkDefaultDependent(m: MapCheck, at: string, variables: VariableSet): boolean {
  const src = variables.get(AUTO_VAR_NAME, true);
  const tgt = variables.get(AUTO_VAR_NAME, false);
  if (!src?.hasTypeInfo() || !tgt?.hasTypeInfo()) return true;
  const srcType = src.workingType();
  const tgtType = tgt.workingType();
  if (srcType === undefined) {
    m.report('SM_SOURCE_TYPE_NOT_FOUND', 'error', 'not-found', at, 'No source type was found, so the default group for this implied dependent rule could not be determined');
    return false;
  }
  if (tgtType === undefined) {
    m.report('SM_TARGET_TYPE_NOT_FOUND', 'error', 'not-found', at, 'No target type was found, so the default group for this implied dependent rule could not be determined');
    return false;
  }
  if (!findDefaultGroup(m, srcType, String(src.sd!.url), tgtType, String(tgt.sd!.url))) {
    const summary = (v: Variable) => `${String(v.sd!.url)}${typeof v.sd!.version === 'string' ? `|${v.sd!.version}` : ''}`;
    m.report('SM_MATCHING_RULEGROUP_NOT_FOUND', 'error', 'not-found', at, `Unable to find a default rule for the type pair source=${srcType} (${clip(summary(src))}) and target=${tgtType} (${clip(summary(tgt))})`);
    return false;
  }
  return true;
}

function findDefaultGroup(m: MapCheck, srcType: string, srcUrl: string, tgtType: string, tgtUrl: string): boolean {
  const fits = (s: string | undefined, t: string | undefined) => (sameTypes(s, srcType) && sameTypes(t, tgtType)) || (sameTypes(s, srcUrl) && sameTypes(t, tgtUrl));
  const inputType = (map: Json | undefined, input: Json | undefined) => {
    const type = str(input?.type);
    if (type === undefined) return undefined;
    // For the map's own groups the reference looks for structures on the input (where there are none).
    for (const s of map ? arr(map.structure) : []) if (s.alias === type) return str(s.url);
    return str(m.types.typeDefinition(type)?.url);
  };
  for (const g of m.groups) {
    const inputs = arr(g.input);
    if ((g.typeMode === 'types' || g.typeMode === 'type-and-types') && inputs.length === 2 && inputs[0]!.mode === 'source') {
      if (fits(inputType(undefined, inputs[0]), inputType(undefined, inputs[1]))) return true;
    }
  }
  for (const map of m.imports) {
    for (const g of arr(map.group)) {
      const inputs = arr(g.input);
      if ((g.typeMode === 'types' || g.typeMode === 'type-and-types') && inputs.length === 2 && inputs[0]!.mode === 'source' && inputs[1]!.mode === 'target') {
        if (fits(inputType(map, inputs[0]), inputType(map, inputs[1]))) return true;
      }
    }
  }
  return false;
}
