/**
 * CodeSystem.property rules: standard concept-property URIs keep their type and usual code, codes and
 * URIs are declared once, and concept property values have the declared type.
 */
import { clip } from './primitives.js';
import type { Report } from '../plugin-types/index.js';

const CONCEPT_PROPERTIES = 'http://hl7.org/fhir/concept-properties#';
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

type Obj = Record<string, unknown>;

export function checkCodeSystemProperties(cs: Obj, path: string, lookup: (url: string) => Obj | undefined, report: Report): void {
  const props = Array.isArray(cs.property) ? (cs.property as Obj[]) : [];
  const typeByCode = new Map<string, string>();
  const declaredCodes = new Set<string>();
  const seenUris = new Set<string>();
  props.forEach((p, i) => {
    if (!p || typeof p !== 'object') return;
    const at = `${path}.property[${i}]`;
    const { code, uri, type } = p as { code?: unknown; uri?: unknown; type?: unknown };
    if (typeof code === 'string') {
      if (declaredCodes.has(code)) report('CODESYSTEM_PROPERTY_DUPLICATE_CODE', 'error', 'invalid', at, `A property is already defined with the code '${clip(code)}'`);
      else if (typeof type === 'string') typeByCode.set(code, type);
      declaredCodes.add(code);
    }
    if (typeof uri !== 'string') {
      if (typeof code === 'string') checkStandardCodeWithoutUri(code, type, at, report);
      return;
    }
    if (seenUris.has(uri)) {
      report('CODESYSTEM_PROPERTY_DUPLICATE_URI', 'error', 'invalid', at, `A property is already defined with the URI '${clip(uri)}'`);
      return;
    }
    seenUris.add(uri);
    if (!uri.startsWith(CONCEPT_PROPERTIES)) return;
    const name = uri.slice(CONCEPT_PROPERTIES.length);
    const expected = STANDARD_TYPES[name];
    if (!expected) return;
    if (typeof code === 'string' && code !== name) {
      report('CODESYSTEM_PROPERTY_URI_CODE_MISMATCH', 'error', 'invalid', at, `The URI '${clip(uri)}' is normally assigned the code '${name}'. Using the code '${clip(code)}' will usually create confusion in ValueSet filters etc`);
    }
    if (typeof type === 'string' && type !== expected) {
      report('CODESYSTEM_PROPERTY_URI_TYPE_MISMATCH', 'error', 'invalid', at, `Wrong type '${type}': The URI '${clip(uri)}' identifies a property that has the type '${expected}'`);
    }
  });
  const walk = (concepts: unknown, base: string): void => {
    if (!Array.isArray(concepts)) return;
    concepts.forEach((c, i) => {
      if (!c || typeof c !== 'object') return;
      const cpath = `${base}.concept[${i}]`;
      checkDesignations(c as Obj, cpath, typeof cs.language === 'string' ? cs.language : undefined, report);
      const values = (c as { property?: unknown }).property;
      if (Array.isArray(values)) {
        values.forEach((v, j) => {
          if (!v || typeof v !== 'object') return;
          const code = (v as { code?: unknown }).code;
          if (typeof code === 'string' && !declaredCodes.has(code)) {
            report('CODESYSTEM_PROPERTY_UNDEFINED', 'warning', 'business-rule', `${cpath}.property[${j}]`, `The property '${clip(code)}' has no definition in CodeSystem.property. Many terminology tools won't know what to do with it`);
          }
          if (code === 'synonym') checkSynonym(v as Obj, `${cpath}.property[${j}]`, cs.concept, report);
          const declared = typeof code === 'string' ? typeByCode.get(code) : undefined;
          const key = Object.keys(v).find((k) => k.startsWith('value'));
          const coding = (v as { valueCoding?: { system?: unknown; code?: unknown } }).valueCoding;
          if (coding && typeof coding.system === 'string' && typeof coding.code === 'string') {
            const target = coding.system === cs.url ? cs : lookup(coding.system);
            if (target && target.resourceType === 'CodeSystem' && target.content === 'complete' && !hasConcept(target.concept, coding.code)) {
              report('Unknown_Code_in', 'error', 'code-invalid', `${cpath}.property[${j}].value.ofType(Coding).code`, `Unknown code '${clip(coding.code)}' in the CodeSystem '${clip(coding.system)}'`);
            }
          }
          if (!declared || !key) return;
          const actual = key.slice(5);
          if (actual.toLowerCase() !== declared.toLowerCase()) {
            report('CODESYSTEM_PROPERTY_WRONG_TYPE', 'error', 'invalid', `${cpath}.property[${j}]`, `The property '${clip(String(code))}' has the invalid type '${actual.charAt(0).toLowerCase() + actual.slice(1)}', when it is defined to have the type '${declared}'`);
          }
        });
      }
      walk((c as { concept?: unknown }).concept, cpath);
    });
  };
  walk(cs.concept, path);
}

/**
 * A property declared with a standard concept-property code but no URI: its meaning is only suggested by
 * the code, and its type should still be the standard one.
 */
function checkStandardCodeWithoutUri(code: string, type: unknown, at: string, report: Report): void {
  const expected = STANDARD_TYPES[code];
  if (!expected) return;
  report('CODESYSTEM_PROPERTY_KNOWN_CODE_SUGGESTIVE', 'warning', 'business-rule', at, `This property has only the standard code ('${clip(code)}') but not the standard URI '${CONCEPT_PROPERTIES}${code}', so it has no clearly defined meaning in the terminology ecosystem`);
  if (typeof type === 'string' && type !== expected) {
    report('CODESYSTEM_PROPERTY_CODE_TYPE_MISMATCH', 'warning', 'business-rule', at, `Wrong type '${clip(type)}': The code '${clip(code)}' identifies a property that has the type '${expected}'`);
  }
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

/** The synonym property names another code of the same code system. */
function checkSynonym(value: Obj, at: string, concepts: unknown, report: Report): void {
  const key = Object.keys(value).find((k) => k.startsWith('value'));
  const v = key ? value[key] : undefined;
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return;
  const code = String(v);
  if (!hasConcept(concepts, code)) {
    report('CODESYSTEM_PROPERTY_SYNONYM_CHECK', 'warning', 'business-rule', at, `The synonym '${clip(code)}' is not also defined in the code system. The synonym property should only be used to declare equivalence to other existing codes`);
  }
}

/** Finds a concept by code anywhere in a CodeSystem's hierarchy. */
function hasConcept(concepts: unknown, code: string): boolean {
  if (!Array.isArray(concepts)) return false;
  return concepts.some((c) => c && typeof c === 'object' && ((c as { code?: unknown }).code === code || hasConcept((c as { concept?: unknown }).concept, code)));
}
