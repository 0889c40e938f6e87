/**
 * Parameters named like a parameter of a core operation (the reference validator's ParametersValidator):
 * a hint when such a parameter carries a value where the core operations carry a resource, or a value or
 * resource of a type none of them uses. Only top-level parameters are checked, as the reference does.
 */
import { PARAMETER_RULES, type ParamKind } from './parameter-table.js';
import type { ConformanceContext } from './context.js';

const PRIMITIVES = new Set([
  'boolean', 'integer', 'integer64', 'string', 'decimal', 'uri', 'url', 'canonical', 'base64Binary', 'instant', 'date', 'dateTime',
  'time', 'code', 'oid', 'id', 'markdown', 'unsignedInt', 'positiveInt', 'uuid',
]);

/** The FHIR type of a `value[x]` property (`valueDateTime` -> dateTime, `valueCoding` -> Coding). */
function valueType(parameter: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(parameter)) {
    if (!key.startsWith('value') || key.length <= 5 || parameter[key] === undefined) continue;
    const suffix = key.slice(5);
    const lower = suffix[0]!.toLowerCase() + suffix.slice(1);
    return PRIMITIVES.has(lower) ? lower : suffix;
  }
  return undefined;
}

/** "a", "a or b", "a, b or c", as the reference lists the types. */
function listTypes(types: readonly string[]): string {
  return types.length <= 1 ? (types[0] ?? '') : `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`;
}

export function checkParameters(resource: Record<string, unknown>, path: string, cx: ConformanceContext): void {
  const list = Array.isArray(resource.parameter) ? resource.parameter : [];
  list.forEach((p, i) => {
    if (p && typeof p === 'object' && !Array.isArray(p)) checkParameter(p as Record<string, unknown>, `${path}.parameter[${i}]`, cx);
  });
}

function checkParameter(p: Record<string, unknown>, at: string, cx: ConformanceContext): void {
  const name = p.name;
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(PARAMETER_RULES, name)) return;
  const [kind, ...types] = PARAMETER_RULES[name]! as [ParamKind, ...string[]];
  const type = valueType(p);
  const res = p.resource && typeof p.resource === 'object' ? (p.resource as { resourceType?: unknown }).resourceType : undefined;
  const rType = typeof res === 'string' ? res : undefined;
  const hint = (rule: string, message: string) => cx.report(rule, 'information', 'business-rule', at, message);
  const same = `The parameter '${name}' has the same name as a parameter for at least one operation in the core specification.`;
  const matches = (t: string, candidate: string | undefined) => candidate !== undefined && (t === candidate || (t === 'Resource' && cx.isResourceType(candidate)));
  const anyMatches = () => types.some((t) => matches(t, type) || matches(t, rType));
  switch (kind) {
    case 'value':
      if (type === undefined) hint('PARAMETERS_STD_NO_VALUE', `${same} In the base specification, the parameter must have a value, but this parameter does not. Check that this is correct`);
      else if (!types.includes(type)) {
        hint('PARAMETERS_STD_WRONG_TYPE', `${same} In the base specification, the parameter has the types ${listTypes(types)}, but this parameter instead has a value of type ${type}. Check that this is correct`);
      }
      break;
    case 'resource':
      if (rType === undefined) {
        hint('PARAMETERS_STD_NO_RESOURCE', `${same} In the base specification, the parameter must have a resource, but this parameter instead has a value of type ${type ?? 'null'}. Check that this is correct`);
      } else if (!anyMatches()) {
        hint('PARAMETERS_STD_RES_WRONG_TYPE', `${same} In the base specification, the parameter has the resource types ${listTypes(types)}, but this parameter instead has a resource of type ${rType}. Check that this is correct`);
      }
      break;
    case 'mixed': {
      const mixed = (found: string | undefined) =>
        hint('PARAMETERS_STD_RES_WRONG_TYPE_MIXED', `${same} In the base specification, then the type or resource type should be one of ${listTypes(types)}, but found ${found ?? 'null'}. Check that this is correct`);
      if (type !== undefined) {
        if (!types.includes(type)) {
          hint('PARAMETERS_STD_WRONG_TYPE', `${same} In the base specification, the parameter has the types ${listTypes(types)}, but this parameter instead has a value of type ${type}. Check that this is correct`);
        }
      } else if (rType === 'Resource' || rType === 'Parameters') {
        // The reference tests the (absent) value type here, so a Parameters resource always gets the hint.
        mixed(rType);
      } else if (!anyMatches()) {
        mixed(rType);
      }
      break;
    }
  }
}
