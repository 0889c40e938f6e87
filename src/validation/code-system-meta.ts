/**
 * CodeSystem rules on the resource as a whole, as the reference validator's CodeSystemValidator has them
 * (metaChecks, the "all codes" value set, supplement declarations, concept codes): the elements a code
 * system or a supplement should or should not state, stated counts against the concepts, the value set
 * named by CodeSystem.valueSet, duplicate codes, the base code system of a supplement, and the HL7
 * expectations on concepts. Concept properties and designations are in code-system-rules.ts; whether a
 * supplement's codes exist in its base is the terminology plug-in's (src/terminology/resource-rules.ts).
 */
import type { Report } from '../plugin-types/index.js';
import { clip } from './primitives.js';

type Obj = Record<string, unknown>;
type Lookup = (url: string) => Obj | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Obj[]) : []);

/**
 * `rootType` is the type of the outermost resource when this code system is contained in another one
 * (undefined when it stands alone).
 */
export function checkCodeSystemMeta(cs: Obj, path: string, lookup: Lookup, report: Report, rootType?: string): void {
  const url = str(cs.url);
  const content = str(cs.content);
  const supp = str(cs.supplements);
  const count = countConcepts(cs.concept);
  metaChecks(cs, path, url, content, supp, count, lookup, report);
  allCodesValueSet(cs, path, url, content, supp, count, lookup, report);
  supplementBase(cs, path, content, supp, lookup, report);
  // The reference approves of contained code systems only inside a Questionnaire (codes only it uses) or a
  // supplement (properties of the supplement).
  if (rootType !== undefined && rootType !== 'Questionnaire' && rootType !== 'CodeSystem') {
    report('CODESYSTEM_NOT_CONTAINED', 'information', 'business-rule', path, 'CodeSystems are referred to directly from Coding.system, so it\'s generally best for them not to be contained resources');
  }
  conceptChecks(cs, path, url, report);
}

function metaChecks(cs: Obj, path: string, url: string | undefined, content: string | undefined, supp: string | undefined, count: number, lookup: Lookup, report: Report): void {
  if (supp !== undefined) {
    if (content !== 'supplement') report('CODESYSTEM_CS_HL7_PRESENT_ELEMENT_SUPPL_WRONG', 'error', 'business-rule', `${path}.content`, "CodeSystem Supplements SHALL have a content value of 'supplement'");
    if (cs.caseSensitive !== undefined) report('CODESYSTEM_CS_HL7_PRESENT_ELEMENT_SUPPL', 'error', 'business-rule', `${path}.caseSensitive`, 'CodeSystems SHOULD NOT have a stated value for the caseSensitive element when they are a supplement');
  } else {
    const hl7 = url !== undefined && (url.includes('hl7.org') || url.includes('fhir.org'));
    if (content === undefined) {
      if (hl7) report('CODESYSTEM_CS_HL7_MISSING_ELEMENT_SHALL', 'error', 'business-rule', path, missing('HL7 Defined CodeSystems SHALL', 'content'));
      else report('CODESYSTEM_CS_NONHL7_MISSING_ELEMENT', 'warning', 'business-rule', path, missing('CodeSystems SHOULD', 'content'));
    } else if (content === 'supplement') {
      report('CODESYSTEM_CS_HL7_PRESENT_ELEMENT_SUPPL_MISSING', 'error', 'business-rule', `${path}.content`, "CodeSystem Supplements with a content value of 'supplement' SHALL have a supplements element that specifies which code system is being supplemented");
    }
    if (cs.caseSensitive === undefined) {
      if (hl7) report('CODESYSTEM_CS_HL7_MISSING_ELEMENT_SHOULD', 'warning', 'business-rule', path, missing('HL7 Defined CodeSystems SHOULD', 'caseSensitive'));
      else report('CODESYSTEM_CS_NONHL7_MISSING_ELEMENT', 'information', 'business-rule', path, missing('CodeSystems SHOULD', 'caseSensitive'));
    }
    if (cs.hierarchyMeaning === undefined && list(cs.concept).some((c) => list(c.concept).length > 0)) {
      if (hl7) report('CODESYSTEM_CS_HL7_MISSING_ELEMENT_SHOULD', 'warning', 'business-rule', path, missing('HL7 Defined CodeSystems SHOULD', 'hierarchyMeaning'));
      else report('CODESYSTEM_CS_NONHL7_MISSING_ELEMENT', 'information', 'business-rule', path, missing('CodeSystems SHOULD', 'hierarchyMeaning'));
    }
  }
  if (count === 0 && content === 'complete') {
    report('CODESYSTEM_CS_COMPLETE_AND_EMPTY', 'warning', 'business-rule', path, "When a CodeSystem has content = 'complete', it doesn't make sense for there to be no concepts defined");
  }
  const stated = cs.count;
  if (typeof stated === 'number' && Number.isInteger(stated) && stated >= 0 && content !== undefined) {
    const at = `${path}.count`;
    if (content === 'complete' && count !== stated) {
      report('CODESYSTEM_CS_COUNT_COMPLETE_WRONG', 'error', 'invalid', at, `The code system is complete, but the number of concepts (${count}) does not match the stated total number (${stated})`);
    } else if ((content === 'example' || content === 'fragment') && count >= stated) {
      report('CODESYSTEM_CS_COUNT_FRAGMENT_WRONG', 'warning', 'invalid', at, `The code system is a fragment/example, but the number of concepts (${count}) exceeds or matches the stated total number (${stated})`);
    } else if (content === 'not-present' && count > 0 && stated === 0) {
      report('CODESYSTEM_CS_COUNT_NOTPRESENT_ZERO', 'information', 'invalid', `${path}.concept`, "The code system has no content, but the exceeds the stated total number is 0 concepts - check that this isn't a complete code system that has no concepts, or update/remove the stated count");
    } else if (content === 'supplement' && supp !== undefined) {
      // As the reference compares: the supplement's own concepts against the count its base states.
      const base = lookup(supp);
      const baseCount = base && base.resourceType === 'CodeSystem' && typeof base.count === 'number' ? base.count : 0;
      if (base && base.resourceType === 'CodeSystem' && count !== baseCount) {
        report('CODESYSTEM_CS_COUNT_SUPPLEMENT_WRONG', 'error', 'invalid', at, `The code system supplement states the total number of concepts as ${stated}, but this is different to the underlying code system that states a value of ${baseCount}`);
      }
    }
  }
  if (content === 'not-present' && list(cs.concept).length > 0) {
    report('CODESYSTEM_CS_COUNT_NO_CONTENT_ALLOWED', 'error', 'invalid', `${path}.concept[0]`, 'The code system says it has no content present, but concepts are found');
  }
}

function missing(who: string, element: string): string {
  return `${who} have a stated value for the ${element} element so that users know the status and meaning of the code system clearly`;
}

/**
 * CodeSystem.valueSet names the value set of all its codes: one include of this system with nothing else,
 * and an expansion (if any) holding every concept. A supplement should not name one, or the base's.
 */
function allCodesValueSet(cs: Obj, path: string, url: string | undefined, content: string | undefined, supp: string | undefined, count: number, lookup: Lookup, report: Report): void {
  const vsu = str(cs.valueSet);
  if (vsu === undefined) return;
  if (content === 'supplement') {
    const base = supp !== undefined ? lookup(supp) : undefined;
    if (base && base.resourceType === 'CodeSystem') {
      const baseVs = str(base.valueSet);
      if (baseVs === undefined) report('CODESYSTEM_CS_NO_VS_SUPPLEMENT1', 'warning', 'business-rule', path, 'CodeSystems supplements should not have an all codes value set specified, and if they do, it must match the base code system');
      else if (baseVs !== vsu) report('CODESYSTEM_CS_NO_VS_SUPPLEMENT2', 'warning', 'business-rule', path, `CodeSystems supplements should not have an all codes value set specified, and if they do, it must match the base code system, and this one does not ('${clip(baseVs)}')`);
    } else {
      report('CODESYSTEM_CS_NO_VS_NOTCOMPLETE', 'warning', 'business-rule', path, 'Review the All Codes Value Set - incomplete CodeSystems generally should not have an all codes value set specified');
    }
  } else if (content !== 'complete') {
    report('CODESYSTEM_CS_NO_VS_NOTCOMPLETE', 'information', 'business-rule', path, 'Review the All Codes Value Set - incomplete CodeSystems generally should not have an all codes value set specified');
  }
  const vs = lookup(vsu);
  if (!vs || vs.resourceType !== 'ValueSet') return;
  const name = `CodeSystem ${clip(url ?? '')} has an 'all system' value set of ${clip(vsu)}`;
  const includes = list((vs.compose as Obj | undefined)?.include);
  if (!vs.compose || includes.length !== 1) {
    report('CodeSystem_CS_VS_Invalid', 'error', 'business-rule', path, `${name}, but the value set doesn't have a single include`);
    return;
  }
  const inc = includes[0]!;
  if (inc.system !== url) {
    report('CodeSystem_CS_VS_WrongSystem', 'error', 'business-rule', path, `${name}, but the value set doesn't have a matching system (${clip(String(inc.system ?? ''))})`);
    return;
  }
  if (inc.valueSet !== undefined || inc.concept !== undefined || inc.filter !== undefined) {
    report('CodeSystem_CS_VS_IncludeDetails', 'error', 'business-rule', path, `${name}, but the include has extra details`);
  }
  const expansion = vs.expansion as Obj | undefined;
  if (expansion && typeof expansion === 'object') {
    const found = list(expansion.contains).length;
    if (found !== count) report('CODESYSTEM_CS_VS_EXP_MISMATCH', 'error', 'business-rule', path, `${name}, but it is an expansion with the wrong number of concepts (found ${found}, expected ${count})`);
  }
}

/**
 * A supplement names the code system it supplements, and keeps its hierarchyMeaning. Its displays may
 * only differ from the base's in another language; as the reference does, that is checked when the
 * supplement names an all-codes value set (the reference loads the base for its display checks there).
 */
function supplementBase(cs: Obj, path: string, content: string | undefined, supp: string | undefined, lookup: Lookup, report: Report): void {
  if (content !== 'supplement' && supp === undefined) return;
  if (supp === undefined) {
    report('CODESYSTEM_CS_SUPP_NO_SUPP', 'error', 'business-rule', path, 'The code system is marked as a supplement, but it does not define what code system it supplements');
    return;
  }
  const base = lookup(supp);
  if (!base || base.resourceType !== 'CodeSystem') return;
  const hm = str(cs.hierarchyMeaning);
  const baseHm = str(base.hierarchyMeaning);
  if (hm !== undefined && baseHm !== undefined && hm !== baseHm) {
    report('CODESYSTEM_CS_SUPP_HIERARCHY_MEANING', 'error', 'business-rule', path, `The supplement declares a hierarchyMeaning of '${clip(hm)}' that doesn't match that in the base code system '${clip(baseHm)}'`);
  }
  if (content !== 'supplement' || str(cs.valueSet) === undefined) return;
  const lang = str(cs.language);
  const baseLang = str(base.language);
  if (!(lang === undefined ? baseLang === undefined : baseLang === lang)) return;
  walkConcepts(cs.concept, path, (c, at) => {
    const display = str(c.display);
    const code = str(c.code);
    if (display === undefined || code === undefined) return;
    const b = findConcept(base.concept, code);
    const baseDisplay = b ? str(b.display) : undefined;
    if (baseDisplay !== undefined && baseDisplay.toLowerCase() !== display.toLowerCase()) {
      report('CODESYSTEM_SUPP_NO_DISPLAY', 'information', 'business-rule', at, `This display ('${clip(display)}') differs from that defined by the base code system ('${clip(baseDisplay)}'). Both displays claim to be the 'primary designation' for the same language ('${lang ?? 'undefined'}'), and the correct interpretation of this is undefined`);
    }
  });
}

/** Codes are unique in the whole hierarchy; HL7 code systems give every concept a display and a definition (said once each). */
function conceptChecks(cs: Obj, path: string, url: string | undefined, report: Report): void {
  const hl7 = url !== undefined && url.includes('hl7');
  const seen = new Set<string>();
  let noDisplay = false;
  let noDefinition = false;
  walkConcepts(cs.concept, path, (c, at) => {
    const code = typeof c.code === 'string' ? c.code : undefined;
    if (code !== undefined) {
      if (seen.has(code)) report('CODESYSTEM_DUPLICATE_CODE', 'error', 'business-rule', at, `The code '${clip(code)}' has already been defined`);
      seen.add(code);
    }
    if (!hl7) return;
    if (!noDisplay && c.display === undefined) {
      report('CODESYSTEM_CONCEPT_NO_DISPLAY', 'warning', 'business-rule', at, 'HL7 Defined CodeSystems should ensure that every concept has a display');
      noDisplay = true;
    }
    if (!noDefinition && c.definition === undefined) {
      report('CODESYSTEM_CONCEPT_NO_DEFINITION', 'warning', 'business-rule', at, 'HL7 Defined CodeSystems should ensure that every concept has a definition');
      noDefinition = true;
    }
  });
}

/** Visits every concept in document order (parents before their children), with its location. */
function walkConcepts(concepts: unknown, base: string, visit: (c: Obj, at: string) => void, depth = 0): void {
  if (depth > 100 || !Array.isArray(concepts)) return;
  concepts.forEach((c, i) => {
    if (!c || typeof c !== 'object') return;
    const at = `${base}.concept[${i}]`;
    visit(c as Obj, at);
    walkConcepts((c as Obj).concept, at, visit, depth + 1);
  });
}

function countConcepts(concepts: unknown, depth = 0): number {
  if (depth > 100 || !Array.isArray(concepts)) return 0;
  return concepts.reduce<number>((n, c) => n + 1 + (c && typeof c === 'object' ? countConcepts((c as Obj).concept, depth + 1) : 0), 0);
}

function findConcept(concepts: unknown, code: string, depth = 0): Obj | undefined {
  if (depth > 100 || !Array.isArray(concepts)) return undefined;
  for (const c of concepts) {
    if (!c || typeof c !== 'object') continue;
    if ((c as Obj).code === code) return c as Obj;
    const inner = findConcept((c as Obj).concept, code, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}
