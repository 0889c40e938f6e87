/**
 * Binding parameters (the tools `binding-parameter` extension on a value set canonical) pass values to
 * a parameterised ValueSet. Each must name a standard $expand parameter or one the ValueSet declares with
 * the `valueset-parameter` extension; anything else is ignored by terminology servers, hence a warning. A
 * parameter the ValueSet declares that the item gives no value for is an error.
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
      const vs = typeof url === 'string' ? lookup(url) : undefined;
      if (vs && vs.resourceType === 'ValueSet') {
        const declared = new Set(parameterNames(vs.extension, VALUESET_PARAMETER));
        // Every parameter the value set declares needs a value from the item (the reference's QuestionnaireValidator).
        for (const name of declared) {
          if (names.includes(name)) continue;
          const versioned = typeof vs.version === 'string' ? `${String(vs.url)}|${vs.version}` : String(vs.url);
          report('VALUESET_PARAMETER_MISSING_BINDING_PARAMETER', 'error', 'business-rule', at, `The ValueSet '${clip(versioned)}' has a parameter '${clip(name)}' but there is no matching binding parameter`);
        }
        if (names.length > 0) {
          const known = (standard ??= expandParameters(lookup));
          for (const name of names) {
            if (known.has(name) || declared.has(name)) continue;
            report('VALUESET_PARAMETER_UNRECOGNISED_BINDING_PARAMETER', 'warning', 'business-rule', at, `The binding parameter '${clip(name)}' is not recognised as a standard parameter or a parameter on the ValueSet '${clip(url as string)}'`);
          }
        }
      }
      walk(item.item, at);
    });
  };
  walk(q.item, path);
}
