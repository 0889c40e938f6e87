/**
 * CodeSystem.property and concept property rules, as the reference validator's CodeSystemValidator has
 * them (checkPropertyDefinition, checkPropertyValue): a property's URI is absolute, declared once and, when
 * it points into a code system (`base#code`), names a property or concept there; the standard
 * concept-property URIs keep their type and usual code; codes are declared once; concept property values
 * have the declared type, and code values are codes of this system (or of the value set the property
 * names). Designations without a use must agree with the display in its language.
 */
import { clip } from './primitives.js';
import type { Report } from '../plugin-types/index.js';

const CONCEPT_PROPERTIES = 'http://hl7.org/fhir/concept-properties#';
const PROPERTY_VALUESET = 'http://hl7.org/fhir/StructureDefinition/codesystem-property-valueset';
const STANDARD_TYPES: Record<string, string> = {
  status: 'code',
  inactive: 'boolean',
  effectiveDate: 'dateTime',
  deprecationDate: 'dateTime',
  retirementDate: 'dateTime',
  notSelectable: 'boolean',
  parent: 'code',
  child: 'code',
  partOf: 'code',
  synonym: 'code',
  comment: 'string',
  itemWeight: 'decimal',
};
/** The standard concept-property URIs R4 code systems may use without the property being defined anywhere. */
const OFFICIAL = new Set([...Object.keys(STANDARD_TYPES), 'alternateCode', 'order', 'definition'].map((c) => CONCEPT_PROPERTIES + c));

type Obj = Record<string, unknown>;
type Lookup = (url: string) => Obj | undefined;

/** How code values of a property are checked. */
type CodeRule = { kind: 'internal' | 'internal-warning' } | { kind: 'vs-error' | 'vs-warning'; valueSet: Obj | undefined; url: string } | undefined;

interface PropertyDef {
  type: string | undefined;
  rule: CodeRule;
}

const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function checkCodeSystemProperties(cs: Obj, path: string, lookup: Lookup, report: Report): void {
  const defs = new Map<string, PropertyDef>();
  list(cs.property).forEach((p, i) => definition(cs, p, `${path}.property[${i}]`, defs, lookup, report));
  const codes = new Set<string>();
  collectCodes(cs.concept, codes, 0);
  const checked = new Set<string>();
  const walk = (concepts: unknown, base: string, depth: number): void => {
    if (depth > 100) return;
    list(concepts).forEach((c, i) => {
      const cpath = `${base}.concept[${i}]`;
      checkDesignations(c, cpath, str(cs.language), report);
      list(c.property).forEach((v, j) => propertyValue(cs, v, `${cpath}.property[${j}]`, defs, codes, checked, lookup, report));
      walk(c.concept, cpath, depth + 1);
    });
  };
  walk(cs.concept, path, 0);
}

function definition(cs: Obj, p: Obj, at: string, defs: Map<string, PropertyDef>, lookup: Lookup, report: Report): void {
  const uri = str(p.uri);
  const code = str(p.code);
  const type = str(p.type);
  const def: PropertyDef = { type, rule: undefined };
  let ruleFromUri: CodeRule = { kind: 'internal-warning' };
  let valueSetFromUri: string | undefined;
  let foundDefinition = false;
  let standard: string | undefined;
  if (uri !== undefined) {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(uri)) {
      report('CODESYSTEM_PROPERTY_ABSOLUTE_URI', 'error', 'business-rule', at, `A property URI must be an absolute URI, but '${clip(uri)}' is not`);
    } else {
      const duplicate = defs.has(uri);
      if (duplicate) report('CODESYSTEM_PROPERTY_DUPLICATE_URI', 'error', 'business-rule', at, `A property is already defined with the URI '${clip(uri)}'`);
      else defs.set(uri, def);
      const hash = uri.indexOf('#');
      // A duplicated URI is not looked into further: the first definition stands for it.
      if (!duplicate && hash >= 0) {
        const base = uri.slice(0, hash);
        const pcode = uri.slice(hash + 1);
        const pcs = lookup(base);
        if (!pcs || pcs.resourceType !== 'CodeSystem') {
          report('CODESYSTEM_PROPERTY_URI_UNKNOWN_BASE', 'warning', 'not-found', at, `The base property uri '${clip(base)}' is not known for the property '${clip(code ?? '')}', so the property values can not be validated fully`);
        } else {
          const prop = list(pcs.property).find((x) => x.uri === uri);
          const concept = prop ? undefined : findConcept(pcs.concept, pcode);
          if (prop) {
            foundDefinition = true;
            valueSetFromUri = extensionValue(prop, PROPERTY_VALUESET);
          } else if (concept) {
            foundDefinition = true;
            const binding = list(concept.property).find((x) => x.code === 'binding');
            valueSetFromUri = binding ? str(binding.valueCode ?? binding.valueString ?? binding.valueUri ?? binding.valueCanonical) : undefined;
          } else if (!OFFICIAL.has(uri)) {
            report('CODESYSTEM_PROPERTY_URI_INVALID', 'warning', 'invalid', at, `The uri '${clip(uri)}' for the property '${clip(code ?? '')}' implies a property with that URI exists in the CodeSystem ${clip(base)} for ${clip(pcode)}, or the code '${clip(pcode)}' does, but neither were found`);
          }
          if (type === 'code' && valueSetFromUri) ruleFromUri = { kind: 'vs-error', valueSet: undefined, url: valueSetFromUri };
        }
      } else if (!duplicate && type === 'code') {
        report('CODESYSTEM_PROPERTY_URI_UNKNOWN_TYPE', 'warning', 'not-found', at, `The property uri '${clip(uri)}' is not known, so the property values can not be validated fully; unless specified elsewhere, codes will be treated as internal references`);
      } else if (!duplicate) {
        report('CODESYSTEM_PROPERTY_URI_UNKNOWN', 'information', 'not-found', at, `The property uri '${clip(uri)}' is not known, so the property values can not be validated fully`);
      }
      if (uri.includes('://hl7.org/fhir')) {
        const name = uri.startsWith(CONCEPT_PROPERTIES) ? uri.slice(CONCEPT_PROPERTIES.length) : undefined;
        if (name !== undefined && STANDARD_TYPES[name]) standard = name;
        else if (!isBaseSpec(str(cs.url)) && !(typeof cs.url === 'string' && uri.startsWith(cs.url))) {
          report('CODESYSTEM_PROPERTY_BAD_HL7_URI', 'error', 'business-rule', at, `Unknown CodeSystem Property '${clip(uri)}'. If you are creating your own property, do not create it in the HL7 namespace`);
        }
      }
    }
  }
  const known = code !== undefined && STANDARD_TYPES[code] ? code : undefined;
  if (code !== undefined) {
    if (defs.has(code)) report('CODESYSTEM_PROPERTY_DUPLICATE_CODE', 'error', 'business-rule', at, `A property is already defined with the code '${clip(code)}'`);
    else defs.set(code, def);
  }
  if (standard !== undefined) {
    if (known !== undefined && known !== standard) {
      report('CODESYSTEM_PROPERTY_URI_CODE_MISMATCH', 'error', 'business-rule', at, `The URI '${clip(uri!)}' is normally assigned the code '${standard}'. Using the code '${clip(code!)}' will usually create confusion in ValueSet filters etc`);
    }
    if (type !== undefined && type !== STANDARD_TYPES[standard]) {
      report('CODESYSTEM_PROPERTY_URI_TYPE_MISMATCH', 'error', 'business-rule', at, `Wrong type '${clip(type)}': The URI '${clip(uri!)}' identifies a property that has the type '${STANDARD_TYPES[standard]}'`);
    }
    // The hierarchy and synonym properties hold codes of this system.
    if (['child', 'parent', 'partOf', 'synonym'].includes(standard)) def.rule = { kind: 'internal' };
  } else if (type === 'code') {
    const vsUrl = extensionValue(p, PROPERTY_VALUESET);
    if (vsUrl) def.rule = { kind: 'vs-error', valueSet: findValueSet(vsUrl, at, lookup, report), url: vsUrl };
    else if (foundDefinition && valueSetFromUri) def.rule = { kind: ruleFromUri?.kind === 'vs-error' ? 'vs-error' : 'vs-warning', valueSet: findValueSet(valueSetFromUri, at, lookup, report), url: valueSetFromUri };
    else {
      def.rule = ruleFromUri;
      report('CODESYSTEM_PROPERTY_CODE_DEFAULT_WARNING', 'information', 'business-rule', at, "The type of property 'code' is 'code', but no ValueSet information was found, so the codes will be validated as internal codes");
    }
  } else if (type === 'Coding') {
    const vsUrl = extensionValue(p, PROPERTY_VALUESET);
    if (vsUrl) def.rule = { kind: 'vs-error', valueSet: findValueSet(vsUrl, at, lookup, report), url: vsUrl };
  }
  if (uri === undefined && code !== undefined) {
    if (known === undefined) {
      report('CODESYSTEM_PROPERTY_UNKNOWN_CODE', 'information', 'business-rule', at, `This property has only a code ('${clip(code)}') and not a URI, so it has no clearly defined meaning in the terminology ecosystem`);
    } else {
      report('CODESYSTEM_PROPERTY_KNOWN_CODE_SUGGESTIVE', 'warning', 'business-rule', at, `This property has only the standard code ('${clip(code)}') but not the standard URI '${CONCEPT_PROPERTIES}${code}', so it has no clearly defined meaning in the terminology ecosystem`);
      if (type !== undefined && type !== STANDARD_TYPES[known]) {
        report('CODESYSTEM_PROPERTY_CODE_TYPE_MISMATCH', 'warning', 'business-rule', at, `Wrong type '${clip(type)}': The code '${clip(code)}' identifies a property that has the type '${STANDARD_TYPES[known]}'`);
      }
    }
  }
}

function findValueSet(url: string, at: string, lookup: Lookup, report: Report): Obj | undefined {
  const vs = lookup(url);
  if (vs && vs.resourceType === 'ValueSet') return vs;
  report('CODESYSTEM_PROPERTY_VALUESET_NOT_FOUND', 'warning', 'not-found', at, `The ValueSet ${clip(url)} is unknown, so the property codes cannot be validated`);
  return undefined;
}

function propertyValue(cs: Obj, v: Obj, at: string, defs: Map<string, PropertyDef>, codes: Set<string>, checked: Set<string>, lookup: Lookup, report: Report): void {
  const code = str(v.code);
  if (code === undefined) return;
  const def = defs.get(code);
  if (!def) report('CODESYSTEM_PROPERTY_UNDEFINED', 'warning', 'business-rule', at, `The property '${clip(code)}' has no definition in CodeSystem.property. Many terminology tools won't know what to do with it`);
  const key = Object.keys(v).find((k) => k.startsWith('value') && k.length > 5);
  if (key === undefined) {
    report('CODESYSTEM_PROPERTY_NO_VALUE', 'error', 'business-rule', at, `The property '${clip(code)}' has no value, and cannot be understood`);
  } else if (def && def.type !== undefined) {
    // value[x] names its type: primitive types start lower case, Coding (the one complex choice) upper case.
    const suffix = key.slice(5);
    const actual = suffix === 'Coding' ? suffix : suffix.charAt(0).toLowerCase() + suffix.slice(1);
    const declared = def.type;
    if (actual !== declared) {
      report('CODESYSTEM_PROPERTY_WRONG_TYPE', 'error', 'business-rule', at, `The property '${clip(code)}' has the invalid type '${clip(actual)}', when it is defined to have the type '${clip(declared)}'`);
    } else if (actual === 'code' && typeof v.valueCode === 'string') {
      codeValue(cs, def.rule, v.valueCode, at, codes, checked, lookup, report);
    }
  }
  // A valueCoding is checked against the code systems at hand as every Coding is (engine/rules/bindings.ts,
  // checkValueTerminology); the code system being validated is not one of them, as for the reference.
  if (code === 'synonym' && key !== undefined) {
    const value = v[key];
    const syn = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    if (syn === undefined || !codes.has(syn)) {
      report('CODESYSTEM_PROPERTY_SYNONYM_CHECK', 'warning', 'business-rule', at, `The synonym '${clip(String(syn ?? ''))}' is not also defined in the code system. The Synonym property should only used to declare equivalence to other existing codes`);
    }
  }
}

/** A code-typed property value: a code of this system (or of its base, for a supplement), or of the property's value set. Each distinct value is checked once. */
function codeValue(cs: Obj, rule: CodeRule, value: string, at: string, codes: Set<string>, checked: Set<string>, lookup: Lookup, report: Report): void {
  if (!rule) return;
  // Each distinct (value set, code) pair is judged once, as the reference does.
  const seenKey = `${'url' in rule ? rule.url : 'null'}#${value}`;
  if (checked.has(seenKey)) return;
  checked.add(seenKey);
  if (!('url' in rule)) {
    const supplements = str(cs.supplements);
    let ok: boolean;
    if (supplements !== undefined) {
      const base = lookup(supplements);
      ok = !base || base.resourceType !== 'CodeSystem' || base.content !== 'complete' || findConcept(base.concept, value) !== undefined;
    } else ok = codes.has(value);
    if (!ok) {
      const severity = rule.kind === 'internal' || supplements !== undefined ? 'error' : 'warning';
      report('CODESYSTEM_PROPERTY_BAD_INTERNAL_REFERENCE', severity, 'invalid', at, `The code '${clip(value)}' is not a valid code in this code system`);
    }
    return;
  }
  const vs = rule.valueSet;
  if (!vs) return;
  const verdict = valueSetHolds(vs, value, lookup);
  if (verdict === false) {
    report('CODESYSTEM_PROPERTY_BAD_PROPERTY_CODE', rule.kind === 'vs-error' ? 'error' : 'warning', 'invalid', at, `The code '${clip(value)}' is not a valid code in the value set '${clip(rule.url)}'`);
  }
}

/** Whether a value set's explicit concept lists or whole complete code systems hold a bare code; undefined when that cannot be told here. */
function valueSetHolds(vs: Obj, code: string, lookup: Lookup): boolean | undefined {
  const compose = vs.compose as Obj | undefined;
  const includes = list(compose?.include);
  if (includes.length === 0) return undefined;
  for (const inc of includes) {
    if (inc.valueSet !== undefined || inc.filter !== undefined) return undefined;
    if (Array.isArray(inc.concept)) {
      if (list(inc.concept).some((c) => c.code === code)) return true;
      continue;
    }
    const cs = typeof inc.system === 'string' ? lookup(inc.system) : undefined;
    if (!cs || cs.resourceType !== 'CodeSystem' || cs.content !== 'complete') return undefined;
    if (findConcept(cs.concept, code)) return true;
  }
  return false;
}

/**
 * A designation without a use stands for the display; in the display's own language (the code system's
 * language) it must then say the same thing, else it is not told apart from the display.
 */
function checkDesignations(concept: Obj, cpath: string, csLanguage: string | undefined, report: Report): void {
  const display = typeof concept.display === 'string' ? concept.display : undefined;
  if (display === undefined || !Array.isArray(concept.designation)) return;
  (concept.designation as unknown[]).forEach((d, k) => {
    if (!d || typeof d !== 'object') return;
    const { use, additionalUse, language, value } = d as { use?: unknown; additionalUse?: unknown; language?: unknown; value?: unknown };
    if (use !== undefined || (Array.isArray(additionalUse) && additionalUse.length > 0) || typeof value !== 'string' || value === display) return;
    const lang = typeof language === 'string' ? language : undefined;
    const at = `${cpath}.designation[${k}]`;
    if (csLanguage === undefined && lang === undefined) {
      report('CODESYSTEM_DESIGNATION_DISP_CLASH_NO_LANG', 'warning', 'business-rule', at, `The designation '${clip(value)}' has no use and no language, so is not differentiated from the base display ('${clip(display)}')`);
    } else if (csLanguage !== undefined && (lang === undefined || lang === csLanguage)) {
      report('CODESYSTEM_DESIGNATION_DISP_CLASH_LANG', 'warning', 'business-rule', at, `The designation '${clip(value)}' has no use and is in the same language ('${clip(csLanguage)}'), so is not differentiated from the base display ('${clip(display)}')`);
    }
  });
}

function extensionValue(el: Obj, url: string): string | undefined {
  const ext = list(el.extension).find((e) => e.url === url);
  return ext ? str(ext.valueCanonical ?? ext.valueUri ?? ext.valueString) : undefined;
}

/** http://hl7.org/fhir/<name>: a code system of the base specification itself. */
function isBaseSpec(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('http://hl7.org/fhir/') && !url.slice(20).includes('/');
}

function collectCodes(concepts: unknown, into: Set<string>, depth: number): void {
  if (depth > 100) return;
  for (const c of list(concepts)) {
    if (typeof c.code === 'string') into.add(c.code);
    collectCodes(c.concept, into, depth + 1);
  }
}

/** Finds a concept by code anywhere in a CodeSystem's hierarchy. */
function findConcept(concepts: unknown, code: string, depth = 0): Obj | undefined {
  if (depth > 100) return undefined;
  for (const c of list(concepts)) {
    if (c.code === code) return c;
    const inner = findConcept(c.concept, code, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}
