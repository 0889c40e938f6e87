/**
 * Binding parameters (the tools `binding-parameter` extension on a value set canonical) pass values to
 * a parameterised ValueSet. Each must name a standard $expand parameter or one the ValueSet declares with
 * the `valueset-parameter` extension; anything else is ignored by terminology servers, hence a warning.
 */
import { clip } from './primitives.js';
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;

const BINDING_PARAMETER = 'http://hl7.org/fhir/tools/StructureDefinition/binding-parameter';
const VALUESET_PARAMETER = 'http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter';
const EXPAND = 'http://hl7.org/fhir/OperationDefinition/ValueSet-expand';


/** The `name` sub-extension values of the extensions with this URL. */
function parameterNames(extensions: unknown, url: string): string[] {
  return list(extensions)
    .filter((e) => e.url === url)
    .flatMap((e) => list(e.extension).filter((x) => x.url === 'name'))
    .map((x) => x.valueCode ?? x.valueString)
    .filter((n): n is string => typeof n === 'string');
}

/** Input parameter names of the $expand operation, from its definition when it is loaded. */
function expandParameters(lookup: (url: string) => Obj | undefined): Set<string> {
  const od = lookup(EXPAND);
  return new Set(list(od?.parameter).filter((p) => p.use === 'in' && typeof p.name === 'string').map((p) => p.name as string));
}

/** Checks the binding parameters of every Questionnaire item's answerValueSet (nested items included). */
export function checkQuestionnaireBindingParameters(q: Obj, path: string, lookup: (url: string) => Obj | undefined, report: Report): void {
  let standard: Set<string> | undefined;
  const walk = (items: unknown, base: string): void => {
    list(items).forEach((item, i) => {
      const at = `${base}.item[${i}]`;
      const names = parameterNames((item._answerValueSet as Obj | undefined)?.extension, BINDING_PARAMETER);
      const url = item.answerValueSet;
      const vs = names.length > 0 && typeof url === 'string' ? lookup(url) : undefined;
      if (vs && vs.resourceType === 'ValueSet') {
        standard ??= expandParameters(lookup);
        const declared = new Set(parameterNames(vs.extension, VALUESET_PARAMETER));
        for (const name of names) {
          if (standard.has(name) || declared.has(name)) continue;
          report('VALUESET_PARAMETER_UNRECOGNISED_BINDING_PARAMETER', 'warning', 'business-rule', at, `The binding parameter '${clip(name)}' is not recognised as a standard parameter or a parameter on the ValueSet '${clip(url as string)}'`);
        }
      }
      walk(item.item, at);
    });
  };
  walk(q.item, path);
}
