/**
 * StructureMap rule targets, after the reference validator's validateRuleTarget: the target context and
 * path, list modes, each transform's parameters (create, copy, reference, evaluate, cc, append, uuid,
 * translate) and the type the new variable takes; for translate, the ConceptMap and the bindings of the
 * source and target elements. Value set expansions are not compared (the reference's comparisons there
 * never report, see reference-rules.json).
 */
import { functionNames } from '../../fhirpath/index.js';
import { clip } from '../primitives.js';
import type { MapCheck, RuleInformation } from './structure-map.js';
import { arr, type ElementSource, idIsValid, isAbsoluteUrl, type Json, str, typesOf, type Variable, type VariableSet, workingCode } from './structure-map-types.js';

/** The `value[x]` of a transform parameter: its FHIR type and value. */
function paramValue(p: Json | undefined): { type: string; value: string } | undefined {
  if (!p) return undefined;
  for (const [k, v] of Object.entries(p)) {
    if (!k.startsWith('value') || k.length <= 5 || v === undefined || v === null) continue;
    const t = k.slice(5);
    return { type: t[0]!.toLowerCase() + t.slice(1), value: String(v) };
  }
  return undefined;
}

export function checkRuleTarget(m: MapCheck, rule: Json, target: Json, at: string, variables: VariableSet, info: RuleInformation): boolean {
  const err = (key: string, message: string) => m.report(key, 'error', 'invalid', at, message);
  const warn = (key: string, message: string) => m.report(key, 'warning', 'invalid', at, message);
  const params = arr(target.parameter);
  const context = str(target.context);
  if (context === undefined) return checkContextFree(m, target, at, variables, info, params);
  if (!idIsValid(context)) {
    err('SM_NAME_INVALID', `The name ${context} is not valid`);
    return false;
  }
  const v = variables.get(context, false);
  if (!v) {
    m.report('SM_TARGET_CONTEXT_UNKNOWN', 'error', 'unknown', at, `The target context '${context}' is not known at this point`);
    return false;
  }
  if (!v.hasTypeInfo()) return true;
  let ok = true;
  const listMode = Array.isArray(target.listMode) ? str(target.listMode[0]) : str(target.listMode);
  const listRuleId = str(target.listRuleId);
  if (listRuleId !== undefined && listMode !== 'share') warn('SM_LIST_RULE_ID_ONLY_WHEN_SHARE', "A ruleId should only be provided when the rule mode is 'share'");
  if (!info.isList()) {
    if (listMode !== undefined) warn('SM_NO_LIST_MODE_NEEDED', 'A list mode should not be provided since this is a rule that can only be executed once');
    if (listRuleId !== undefined) warn('SM_NO_LIST_RULE_ID_NEEDED', 'A list ruleId should not be provided since this is a rule that can only be executed once');
  }
  let vn: Variable | undefined;
  const variable = str(target.variable);
  if (variable !== undefined) {
    if (idIsValid(variable)) vn = variables.add(variable, v.mode, m.types);
    else {
      ok = false;
      err('SM_NAME_INVALID', `The name ${variable} is not valid`);
    }
  }
  const element = str(target.element);
  if (element === undefined) return ok;
  const path = `${String(v.ed!.path)}.${element}`;
  const els = m.types.elementDefinitions(v.sd!, v.ed!, v.type, element);
  if (els.length === 0) {
    err('SM_TARGET_PATH_INVALID', `The target path ${context}.${clip(element)} refers to the path ${clip(path)} which is unknown`);
    return false;
  }
  if (els.length !== 1 && !isElementAndSlicing(els)) {
    warn('SM_TARGET_PATH_MULTIPLE_MATCHES', `The target path ${context}.${clip(element)} refers to the path ${clip(path)} which could be a reference to multiple elements (${els.map((e) => String(e.ed.id)).join(', ')}). No further checking can be performed`);
    return ok;
  }
  const el = els[0]!;
  let transform = str(target.transform);
  if (transform === undefined) {
    transform = 'create'; // implied
    if (params.length !== 0) err('SM_TARGET_NO_TRANSFORM_NO_CHECKED', "When there is no transform, parameters can't be provided");
  }
  const elTypes = typesOf(el.ed);
  let type = elTypes.length === 1 ? workingCode(elTypes[0]!) : inferType(m, info, variables, rule, transform, params);
  const missing = (cond: boolean) => {
    if (cond) return true;
    err('SM_TARGET_TRANSFORM_MISSING_PARAMS', `One or more parameters to the translate operation are missing (should be 3, was ${params.length})`);
    return false;
  };
  switch (transform) {
    case 'create':
      if (params.length >= 2) {
        ok = false;
        err('SM_TARGET_TRANSFORM_PARAM_COUNT_RANGE', `Transform create takes 0-1 parameter(s) but ${params.length} were found`);
      } else if (params.length === 1) {
        type = createType(m, paramValue(params[0])?.value);
        if (type === undefined) warn('SM_TARGET_TRANSFORM_TYPE_UNPROCESSIBLE', 'The value of the type parameter for create could not be processed');
      }
      break;
    case 'copy':
      if (params.length >= 2) {
        ok = false;
        err('SM_TARGET_TRANSFORM_PARAM_COUNT_RANGE', `Transform create takes 0-1 parameter(s) but ${params.length} were found`);
      } else if (params.length === 1) {
        type = paramValue(params[0])?.value;
        if (type === undefined) warn('SM_TARGET_TRANSFORM_TYPE_UNPROCESSIBLE', 'The value of the type parameter for copy could not be processed');
      }
      break;
    case 'reference':
      if (params.length === 1) type = 'string';
      else {
        ok = false;
        err('SM_TARGET_TRANSFORM_PARAM_COUNT_RANGE', `Transform reference takes 0-1 parameter(s) but ${params.length} were found`);
      }
      break;
    case 'evaluate':
      ok = checkEvaluate(m, params, at) && ok;
      break;
    case 'cc':
      ok = missing(params.length === 2 || params.length === 3) && ok;
      ok = requireParam(m, params[0], at, ok);
      ok = requireParam(m, params[1], at, ok);
      break;
    case 'append':
      ok = missing(params.length > 0) && ok;
      break;
    case 'uuid':
      ok = missing(params.length === 0) && ok;
      break;
    case 'translate':
      ok = checkTranslate(m, params, at, variables, v, el) && ok;
      break;
    default:
      warn('SM_TARGET_TRANSFORM_NOT_CHECKED', `Transform ${clip(transform)} not checked yet`);
  }
  if (vn) {
    // only a warning: the type may work out at run time
    if (type === undefined) warn('SM_TARGET_TYPE_MULTIPLE_POSSIBLE', `Multiple types are possible here (${elTypes.map((t) => workingCode(t)).join(', ')}) so further type checking is not possible`);
    const resourceBoundary = elTypes.length === 1 && elTypes[0]!.code === 'Resource';
    const sdt = resourceBoundary && type !== undefined ? m.types.typeDefinition(type) : undefined;
    if (resourceBoundary && type !== undefined && !sdt) err('SM_TARGET_TRANSFORM_TYPE_UNKNOWN', `The type '${clip(type)}' is not known`);
    if (sdt) vn.setType(info.maxCount, sdt, arr((sdt.snapshot as Json | undefined)?.element)[0], undefined);
    else vn.setType(info.maxCount, el.sd, el.ed, type);
  }
  return ok;
}

/** A target with no context (`-> create('Composition') as c`): only create and uuid are understood. */
function checkContextFree(m: MapCheck, target: Json, at: string, variables: VariableSet, info: RuleInformation, params: Json[]): boolean {
  let ok = true;
  let vn: Variable | undefined;
  const variable = str(target.variable);
  if (variable !== undefined) {
    if (idIsValid(variable)) vn = variables.add(variable, 'target', m.types);
    else {
      ok = false;
      m.report('SM_NAME_INVALID', 'error', 'invalid', at, `The name ${variable} is not valid`);
    }
  }
  const transform = str(target.transform);
  if (transform === undefined) return ok;
  let type: string | undefined;
  if (transform === 'create') {
    if (params.length >= 2) {
      ok = false;
      m.report('SM_TARGET_TRANSFORM_PARAM_COUNT_RANGE', 'error', 'invalid', at, `Transform create takes 0-1 parameter(s) but ${params.length} were found`);
    } else if (params.length === 1) {
      type = createType(m, paramValue(params[0])?.value);
      if (type === undefined) m.report('SM_TARGET_TRANSFORM_TYPE_UNPROCESSIBLE', 'warning', 'invalid', at, 'The value of the type parameter for create could not be processed');
    }
  } else if (transform === 'uuid') {
    if (params.length !== 0) {
      ok = false;
      m.report('SM_TARGET_TRANSFORM_MISSING_PARAMS', 'error', 'invalid', at, `One or more parameters to the translate operation are missing (should be 3, was ${params.length})`);
    }
    type = 'string';
  } else {
    m.report('SM_TARGET_TRANSFORM_NOT_CHECKED', 'warning', 'invalid', at, `Transform ${clip(transform)} not checked yet`);
  }
  if (vn && type !== undefined) {
    const sdt = m.types.typeDefinition(type);
    if (sdt) vn.setType(info.maxCount, sdt, arr((sdt.snapshot as Json | undefined)?.element)[0], undefined);
    else {
      ok = false;
      m.report('SM_TARGET_TYPE_UNKNOWN', 'error', 'invalid', at, `The type of the target variable is not known: ${clip(type)}`);
    }
  }
  return ok;
}

/** The type `create` names: a URL, a target structure alias, or a type name. */
function createType(m: MapCheck, value: string | undefined): string | undefined {
  if (value === undefined || isAbsoluteUrl(value)) return value;
  const type = m.resolveAlias(value, 'target');
  if (type === undefined || isAbsoluteUrl(type)) return type;
  return str(m.types.typeDefinition(type)?.type) ?? type;
}

/** A mandatory parameter of cc (system, code); ids and primitives are all the reference accepts, and all R4 allows. */
function requireParam(m: MapCheck, p: Json | undefined, at: string, ok: boolean): boolean {
  if (paramValue(p) !== undefined) return ok;
  m.report('SM_TARGET_TRANSFORM_TRANSLATE_NO_PARAM', 'error', 'invalid', at, 'No value for the system parameter found');
  return false;
}

function checkEvaluate(m: MapCheck, params: Json[], at: string): boolean {
  if (params.length !== 1) {
    m.report('SM_TARGET_TRANSFORM_PARAM_COUNT_SINGLE', 'error', 'invalid', at, `Transform evaluate takes 1 parameter(s) but ${params.length} were found`);
    return false;
  }
  const exp = paramValue(params[0])?.value;
  if (exp === undefined) {
    m.report('SM_TARGET_TRANSFORM_PARAM_UNPROCESSIBLE', 'error', 'invalid', at, `The parameter at index 0 could not be processed (type = ${params.length})`);
    return false;
  }
  try {
    functionNames(exp);
  } catch (e) {
    m.report('SM_TARGET_TRANSFORM_EXPRESSION_ERROR', 'error', 'invalid', at, `The FHIRPath expression passed as the evaluate parameter is invalid: ${e instanceof Error ? clip(e.message) : 'syntax error'}`);
  }
  return true;
}

function checkTranslate(m: MapCheck, params: Json[], at: string, variables: VariableSet, v: Variable, el: ElementSource): boolean {
  let ok = true;
  const err = (key: string, message: string) => m.report(key, 'error', 'invalid', at, message);
  if (params.length !== 3) {
    ok = false;
    err('SM_TARGET_TRANSFORM_MISSING_PARAMS', `One or more parameters to the translate operation are missing (should be 3, was ${params.length})`);
  }
  const srcE = paramValue(params[0]);
  const mapE = paramValue(params[1]);
  const modeE = paramValue(params[2]);
  let sv: Variable | undefined;
  if (!srcE) {
    ok = false;
    err('SM_TARGET_TRANSFORM_TRANSLATE_NO_PARAM', 'No value for the source parameter found');
  } else if (srcE.type === 'id') {
    sv = variables.get(srcE.value, true);
    if (!sv) err('SM_TARGET_TRANSFORM_TRANSLATE_UNKNOWN_SOURCE', `The source variable ${clip(srcE.value)} is unknown`);
  }
  if (!mapE) err('SM_TARGET_TRANSFORM_TRANSLATE_NO_PARAM', 'No value for the map_uri parameter found');
  else {
    const ref = mapE.value;
    const contained = ref.startsWith('#');
    const cm = contained
      ? arr(m.map.contained).find((r) => r.id === ref.slice(1) && r.resourceType === 'ConceptMap')
      : ((r) => (r && r.resourceType === 'ConceptMap' ? r : undefined))(m.cx.lookup(ref));
    // The reference tests the source parameter here, not the map: the finding appears only without a source.
    if (!srcE) {
      if (contained) ok = false;
      m.report('SM_TARGET_TRANSFORM_TRANSLATE_CM_NOT_FOUND', contained ? 'error' : 'warning', 'not-found', at, `The map_uri '${clip(ref)}' could not be resolved, so the map can't be checked`);
    }
    if (cm && (v.hasTypeInfo() || sv?.hasTypeInfo())) checkBindings(m, at, sv?.ed, el.ed);
  }
  if (modeE && !['code', 'system', 'display', 'Coding', 'CodeableConcept'].includes(modeE.value)) {
    ok = false;
    err('SM_TARGET_TRANSFORM_TRANSLATE_CM_BAD_MODE', `The value '${clip(modeE.value)}' for the output parameter is incorrect`);
  }
  return ok;
}

/** The source and target elements of a translate must have required bindings to known value sets. */
function checkBindings(m: MapCheck, at: string, srcED: Json | undefined, tgtED: Json): void {
  if (!srcED) return;
  const warn = (key: string, message: string) => m.report(key, 'warning', 'invalid', at, message);
  const required = (ed: Json) => {
    const b = ed.binding as Json | undefined;
    return b && typeof b.valueSet === 'string' && b.strength === 'required' ? b.valueSet : undefined;
  };
  const known = (url: string) => m.cx.lookup(url)?.resourceType === 'ValueSet';
  const srcVs = required(srcED);
  if (srcVs === undefined) warn('SM_TARGET_TRANSLATE_BINDING_SOURCE', "The source variable does not have a required binding, so this concept map can't be checked");
  else if (!known(srcVs)) warn('SM_TARGET_TRANSLATE_BINDING_VS_SOURCE', `The source variable refers to an unknown value set '${clip(srcVs)}', so this concept map can't be checked`);
  const tgtVs = required(tgtED);
  if (tgtVs === undefined) warn('SM_TARGET_TRANSLATE_BINDING_TARGET', "The target variable does not have a required binding, so this concept map can't be checked");
  else if (!known(tgtVs)) warn('SM_TARGET_TRANSLATE_BINDING_VS_TARGET', `The target variable refers to an unknown value set '${clip(tgtVs)}', so this concept map can't be checked`);
}

function isElementAndSlicing(els: ElementSource[]): boolean {
  if (els.length === 0) return false;
  const path = els[0]!.ed.path;
  return els.slice(1).every((e) => typeof e.ed.sliceName === 'string' && e.ed.path === path);
}

/**
 * The target type of a create/copy without parameters, when the rule's first source has one type and an
 * imported group maps that type (the reference's inferType).
 */
function inferType(m: MapCheck, info: RuleInformation, variables: VariableSet, rule: Json, transform: string, params: Json[]): string | undefined {
  if (info.defVariable === undefined || (transform !== 'create' && transform !== 'copy') || params.length > 0) return undefined;
  const v = variables.get(info.defVariable, true);
  const types = typesOf(v?.ed);
  if (!v || !v.ed || (types.length !== 1 && v.type === undefined)) return undefined;
  let type = workingCode(types[0] ?? {});
  if (v.type !== undefined) {
    type = v.type;
    for (const td of types) if (m.types.typeDefinition(workingCode(td))?.type === v.type) type = workingCode(td);
  }
  const dependents = arr(rule.dependent);
  const wantMode = dependents.length === 1 && dependents[0]!.name === 'DefaultMappingGroupAnonymousAlias' ? 'any' : dependents.length === 0 ? 'type-and-types' : undefined;
  if (!wantMode) return undefined;
  const inputType = (map: Json, input: Json | undefined) => {
    const t = str(input?.type);
    if (t === undefined) return undefined;
    for (const s of arr(map.structure)) if (s.alias === t && s.mode === (input?.mode === 'source' ? 'source' : 'target')) return str(s.url);
    return t;
  };
  const abs = (t: string | undefined) => (t === undefined ? undefined : isAbsoluteUrl(t) ? t : `http://hl7.org/fhir/StructureDefinition/${t}`);
  for (const map of m.imports) {
    for (const g of arr(map.group)) {
      const inputs = arr(g.input);
      const modeFits = wantMode === 'any' ? typeof g.typeMode === 'string' && g.typeMode !== 'none' : g.typeMode === wantMode;
      if (modeFits && inputs.length === 2 && abs(inputType(map, inputs[0])) === abs(type)) {
        const tgt = inputType(map, inputs[1]);
        if (tgt !== undefined) return tgt;
      }
    }
  }
  return undefined;
}
