/**
 * What ValueSet filters a code system understands, as the reference validator's code system checkers
 * (CodeSystemChecker and its SNOMED CT, LOINC, UCUM, RxNorm, CPT, BCP 47 and CodeSystem-based kinds) have
 * it: the property names known for the system, and for each property the type of its filter values, the
 * operators allowed and whether values must be codes of the system.
 */
import type { CodeSystem } from 'fhir/r4';
import { SNOMED_FILTER_ATTRIBUTES } from './snomed-attributes.js';

export type FilterValueType = 'Boolean' | 'Integer' | 'Decimal' | 'Code' | 'DateTime' | 'Coding' | 'CodeList' | 'String';

export interface FilterRules {
  type?: FilterValueType;
  /** Whether a value must be a code of the system: an error, a warning, or not checked. */
  codeValidation?: 'error' | 'warning' | 'none';
  /** Operators allowed; empty means any. */
  ops: Set<string>;
  /** For CodeList: the values allowed. */
  codes?: string[];
  /** The property's values changed meaning in the past (LOINC parts), said in the message. */
  change?: boolean;
  /** The value is an expression the system evaluates (SNOMED CT ECL), checked as such. */
  active?: boolean;
}

export interface FilterVocabulary {
  /** Property names known for the system. */
  known: string[];
  /** The rules for filters on a property, or undefined when its values are not checked. */
  rules(property: string): FilterRules | undefined;
}

const GENERAL = ['concept', 'code', 'status', 'inactive', 'effectiveDate', 'deprecationDate', 'retirementDate', 'notSelectable', 'synonym', 'comment', 'itemWeight'];
const R4_CONCEPT_OPS = ['=', 'in', 'is-a', 'descendent-of', 'is-not-a', 'generalizes', 'not-in'];

const rule = (type: FilterValueType | undefined, codeValidation: FilterRules['codeValidation'], ops: Set<string>, extra: Partial<FilterRules> = {}): FilterRules => ({
  ...(type ? { type } : {}),
  ...(codeValidation ? { codeValidation } : {}),
  ops,
  ...extra,
});

/** Rules every code system shares (the reference's CodeSystemChecker). `ops` collects operators a CodeSystem declares. */
function generalRules(property: string, ops: Set<string>): FilterRules | undefined {
  const add = (...more: string[]): Set<string> => {
    for (const o of more) ops.add(o);
    return ops;
  };
  switch (property) {
    case 'concept':
      return rule('Code', 'error', add(...R4_CONCEPT_OPS));
    case 'code':
      return rule('Code', 'error', add('regex', ...R4_CONCEPT_OPS));
    case 'status':
    case 'synonym':
      return rule('Code', 'none', ops);
    case 'inactive':
    case 'notSelectable':
      return rule('Boolean', undefined, ops);
    case 'effectiveDate':
    case 'deprecationDate':
    case 'retirementDate':
      return rule('DateTime', undefined, ops);
    case 'parent':
    case 'child':
    case 'partOf':
      return rule('Code', 'error', ops);
    case 'itemWeight':
      return rule('Decimal', undefined, ops);
    default:
      return undefined;
  }
}

const general: FilterVocabulary = { known: GENERAL, rules: (p) => generalRules(p, new Set()) };

const LOINC_PARTS = ['ancestor', 'descendent', 'parent', 'child', 'COMPONENT', 'PROPERTY', 'TIME_ASPCT', 'SYSTEM', 'SCALE_TYP', 'METHOD_TYP', 'CLASS', 'answer-list', 'MAP_TO', 'analyte', 'analyte-core', 'analyte-suffix', 'analyte-numerator', 'analyte-divisor', 'analyte-divisor-suffix', 'challenge', 'adjustment', 'count', 'time-core', 'time-modifier', 'system-core', 'super-system', 'analyte-gene', 'category', 'search', 'rad-modality-modality-type', 'rad-modality-modality-subtype', 'rad-anatomic-location-region-imaged', 'rad-anatomic-location-imaging-focus', 'rad-anatomic-location-laterality-presence', 'rad-anatomic-location-laterality', 'rad-view-aggregation', 'rad-view-view-type', 'rad-maneuver-maneuver-type', 'rad-timing', 'rad-pharmaceutical-substance-given', 'rad-pharmaceutical-route', 'rad-reason-for-exam', 'rad-guidance-for-presence', 'rad-guidance-for-approach', 'rad-guidance-for-action', 'rad-guidance-for-object', 'rad-subject', 'document-kind', 'document-role', 'document-setting', 'document-subject-matter-domain', 'document-type-of-service', 'answers-for', 'answer'];
const LOINC_TEXT = ['VersionLastChanged', 'CHNG_TYPE', 'DefinitionDescription', 'STATUS', 'CLASSTYPE', 'FORMULA', 'EXMPL_ANSWERS', 'SURVEY_QUEST_TEXT', 'SURVEY_QUEST_SRC', 'UNITSREQUIRED', 'ORDER_OBS', 'HL7_FIELD_SUBFIELD_ID', 'EXTERNAL_COPYRIGHT_NOTICE', 'EXAMPLE_UNITS', 'EXAMPLE_UCUM_UNITS', 'STATUS_REASON', 'STATUS_TEXT', 'CHANGE_REASON_PUBLIC', 'COMMON_TEST_RANK', 'COMMON_ORDER_RANK', 'HL7_ATTACHMENT_STRUCTURE', 'EXTERNAL_COPYRIGHT_LINK', 'PanelType', 'AskAtOrderEntry', 'AssociatedObservations', 'VersionFirstReleased', 'ValidHL7AttachmentRequest'];
const LOINC_OPS = ['=', 'exists', 'regex', 'in', 'not-in'];

const loinc: FilterVocabulary = {
  known: unique([...GENERAL, 'concept', ...LOINC_PARTS.slice(0, 11), ...LOINC_TEXT, ...LOINC_PARTS.slice(11)]),
  rules(p) {
    if (LOINC_PARTS.includes(p)) return rule('Code', 'error', new Set(LOINC_OPS), { change: true });
    if (LOINC_TEXT.includes(p)) return rule('String', 'none', new Set(LOINC_OPS));
    if (p === 'copyright') return rule('CodeList', 'none', new Set(['=', 'regex', 'in', 'not-in']), { codes: ['LOINC', '3rdParty'] });
    if (p === 'concept' || p === 'code') return rule('Code', 'none', new Set(['=', 'is-a', 'is-not-a']));
    return undefined;
  },
};

const snomed: FilterVocabulary = {
  known: ['concept', 'constraint', 'expressions', 'inactive', ...SNOMED_FILTER_ATTRIBUTES],
  rules(p) {
    switch (p) {
      case 'constraint':
        return rule('String', undefined, new Set(['=']), { active: true });
      case 'expressions':
      case 'inactive':
        return rule('Boolean', undefined, new Set(['=', 'in']));
      case 'concept':
        return rule('Code', 'error', new Set(['is-a', 'is-not-a', 'in', 'descendent-of', 'descendent-leaf']));
      default:
        return rule('Code', 'error', new Set(['=', 'in']));
    }
  },
};

const RXNORM = ['STY', 'SAB', 'TTY', 'SY', 'SIB', 'RN', 'PAR', 'CHD', 'RB', 'RO', 'IN', 'PIN', 'MIN', 'BN', 'SCD', 'SBD', 'GPCK', 'BPCK', 'SCDC', 'SCDF', 'SCDFP', 'SCDG', 'SCDGP', 'SBDC', 'SBDF', 'SBDFP', 'SBDG', 'DF', 'DFG'];

const SPECIAL: Record<string, FilterVocabulary> = {
  'http://snomed.info/sct': snomed,
  'http://loinc.org': loinc,
  'http://www.nlm.nih.gov/research/umls/rxnorm': { known: [...GENERAL, ...RXNORM], rules: () => rule('Code', 'none', new Set()) },
  'http://unitsofmeasure.org': { known: [...GENERAL, 'property', 'canonical'], rules: () => rule('Code', 'none', new Set()) },
  'http://www.ama-assn.org/go/cpt': {
    known: unique([...GENERAL, 'modifier', 'kind', 'modified', 'code', 'telemedicine', 'orthopox']),
    rules(p) {
      if (p === 'modifier' || p === 'modified' || p === 'telemedicine' || p === 'orthopox') return rule('Boolean', undefined, new Set());
      if (p === 'kind') return rule('Code', 'none', new Set());
      return undefined;
    },
  },
  'urn:ietf:bcp:47': { known: [...GENERAL, 'language', 'region', 'script', 'variant', 'extension', 'ext-lang', 'private-use'], rules: general.rules },
};

/** A code system known locally: its own filters and properties come first (the reference's CodeSystemBasedChecker). */
function codeSystemBased(cs: CodeSystem): FilterVocabulary {
  const known = [...GENERAL];
  if (cs.hierarchyMeaning) known.push('parent', 'child', 'partOf');
  for (const f of cs.filter ?? []) if (f.code && !known.includes(f.code)) known.push(f.code);
  for (const p of cs.property ?? []) if (p.code && !known.includes(p.code)) known.push(p.code);
  return {
    known,
    rules(property) {
      const ops = new Set<string>();
      for (const f of cs.filter ?? []) if (f.code === property) for (const op of f.operator ?? []) ops.add(op);
      const prop = (cs.property ?? []).find((p) => p.code === property);
      switch (prop?.type) {
        case 'boolean':
          return rule('Boolean', undefined, ops);
        // A 'code' property is meant to hold codes of the system, but is often used for other lists: a warning.
        case 'code':
          return rule('Code', 'warning', ops);
        case 'Coding':
          return rule('Coding', undefined, ops);
        case 'dateTime':
          return rule('DateTime', undefined, ops);
        case 'decimal':
          return rule('Decimal', undefined, ops);
        case 'integer':
          return rule('Integer', undefined, ops);
        case 'string':
          return undefined;
        default:
          return generalRules(property, ops);
      }
    },
  };
}

/** The filter vocabulary for an include's system (undefined: no system), given its local CodeSystem if any. */
export function filterVocabulary(system: string | undefined, cs: CodeSystem | undefined): FilterVocabulary {
  if (system === undefined) return general;
  const special = SPECIAL[system];
  if (special) return special;
  return cs ? codeSystemBased(cs) : general;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
