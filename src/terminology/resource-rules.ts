import type { CodeSystem, CodeSystemConcept, CodeSystemProperty, ValueSet, ValueSetComposeInclude } from 'fhir/r4';
import type { ValidationIssue } from '../validation/plugins.js';
import { externalCodeProblem } from './external-systems.js';
import type { LocalTerminology } from './local-terminology.js';

/**
 * Authoring rules for CodeSystem and ValueSet resources that the HL7 Java validator applies beyond their
 * StructureDefinitions: well-formed filter values, consistent concept properties, and the extra
 * expectations on HL7-published code systems. (Absolute `compose.include.system` URIs are checked by the
 * validation engine itself.)
 */
export function terminologyResourceIssues(resource: unknown, path: string, terminology: LocalTerminology): ValidationIssue[] {
  if (typeof resource !== 'object' || resource === null) return [];
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (type === 'ValueSet') return valueSetIssues(resource as ValueSet, path, terminology);
  if (type === 'CodeSystem') return codeSystemIssues(resource as CodeSystem, path, terminology);
  return [];
}

const PROPERTY_URI = 'http://hl7.org/fhir/concept-properties#';
/** Standard concept properties (http://hl7.org/fhir/concept-properties) and their types. */
const STANDARD_PROPERTIES: Readonly<Record<string, string>> = {
  inactive: 'boolean',
  deprecated: 'dateTime',
  deprecationDate: 'dateTime',
  notSelectable: 'boolean',
  parent: 'code',
  child: 'code',
  partOf: 'code',
  synonym: 'code',
  comment: 'string',
  itemWeight: 'decimal',
  status: 'code',
  retirementDate: 'dateTime',
};
const CODING_FORMAT = /^([^|#\s]+)(?:\|([^#\s]+))?#(.+)$/;

function issue(severity: ValidationIssue['severity'], code: string, message: string, expression: string): ValidationIssue {
  return { severity, code, message, expression };
}

function valueSetIssues(vs: ValueSet, path: string, terminology: LocalTerminology): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const parts: [string, ValueSetComposeInclude[] | undefined][] = [
    ['include', vs.compose?.include],
    ['exclude', vs.compose?.exclude],
  ];
  for (const [kind, list] of parts) {
    (list ?? []).forEach((inc, i) => {
      const at = `${path}.compose.${kind}[${i}]`;
      issues.push(...conceptListIssues(inc, at, terminology), ...filterIssues(inc, at, terminology));
    });
  }
  return issues;
}

/** Codes listed in an include must exist in a complete local code system, or have a valid shape (SNOMED CT, dm+d, LOINC). */
function conceptListIssues(inc: ValueSetComposeInclude, at: string, terminology: LocalTerminology): ValidationIssue[] {
  const system = inc.system;
  if (!system || !inc.concept) return [];
  const issues: ValidationIssue[] = [];
  inc.concept.forEach((c, k) => {
    if (typeof c.code !== 'string') return;
    const malformed = externalCodeProblem(system, c.code);
    const why = malformed ? `'${c.code}' is ${malformed}` : unknownCode(terminology, system, c.code);
    if (why) issues.push(issue('error', 'code-invalid', `The code '${c.code}' is not valid in the system ${system} (${why})`, `${at}.concept[${k}]`));
  });
  return issues;
}

/** Filters on a Coding-typed property must name `system(|version)#code`, and the code must exist. */
function filterIssues(inc: ValueSetComposeInclude, at: string, terminology: LocalTerminology): ValidationIssue[] {
  if (!inc.system || !inc.filter) return [];
  const cs = terminology.resolver.codeSystem(inc.system);
  if (!cs) return [];
  const issues: ValidationIssue[] = [];
  inc.filter.forEach((f, j) => {
    const declared = cs.property?.find((p) => p.code === f.property);
    if (declared?.type !== 'Coding' || typeof f.value !== 'string') return;
    const m = CODING_FORMAT.exec(f.value);
    const where = `${at}.filter[${j}]`;
    if (!m) {
      issues.push(issue('error', 'invalid', `The value for a filter based on property '${f.property}' must be in the format system(|version)#code, not '${f.value}'`, where));
      return;
    }
    const unknown = unknownCode(terminology, m[1] as string, m[3] as string);
    if (unknown) issues.push(issue('error', 'invalid', `The value for a filter based on property '${f.property}' is '${f.value}' which is not a valid code (${unknown})`, where));
  });
  return issues;
}

function unknownCode(terminology: LocalTerminology, system: string, code: string): string | undefined {
  const index = terminology.codeSystem(system);
  if (!index || !index.isComplete || index.lookup(code)) return undefined;
  return `Unknown code '${code}' in the CodeSystem '${system}'`;
}

function isHl7Defined(url: string | undefined): boolean {
  return typeof url === 'string' && (url.startsWith('http://hl7.org/fhir') || url.startsWith('http://terminology.hl7.org'));
}

function codeSystemIssues(cs: CodeSystem, path: string, terminology: LocalTerminology): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const concepts = cs.concept ?? [];
  if (cs.supplements && cs.content !== 'supplement') {
    issues.push(issue('error', 'business-rule', "CodeSystem Supplements SHALL have a content value of 'supplement'", `${path}.content`));
  }
  if (cs.supplements) issues.push(...supplementIssues(cs, path, terminology));
  // A supplement takes its case sensitivity from the code system it supplements.
  if (isHl7Defined(cs.url) && cs.caseSensitive === undefined && !cs.supplements) {
    issues.push(issue('warning', 'business-rule', 'HL7 Defined CodeSystems SHOULD have a stated value for the caseSensitive element so that users know the status and meaning of the code system clearly', path));
  }
  if (cs.content === 'complete' && concepts.length === 0) {
    issues.push(issue('warning', 'business-rule', "When a CodeSystem has content = 'complete', it doesnt make sense for there to be no concepts defined", path));
  }
  const declared = propertyIssues(cs.property ?? [], path, issues);
  const codes = new Set<string>();
  const walk = (list: CodeSystemConcept[], at: string): void =>
    list.forEach((c, i) => {
      if (typeof c.code === 'string') codes.add(c.code);
      walk(c.concept ?? [], `${at}[${i}].concept`);
    });
  walk(concepts, `${path}.concept`);
  let definitionReported = false;
  const visit = (list: CodeSystemConcept[], at: string): void =>
    list.forEach((c, i) => {
      const here = `${at}[${i}]`;
      // Reported once per code system, as the Java validator does.
      if (isHl7Defined(cs.url) && !c.definition && !definitionReported) {
        definitionReported = true;
        issues.push(issue('warning', 'business-rule', 'HL7 Defined CodeSystems should ensure that every concept has a definition', here));
      }
      (c.designation ?? []).forEach((d, k) => {
        const language = d.language ?? cs.language;
        if (!d.use && language === cs.language && c.display !== undefined) {
          issues.push(
            issue('warning', 'business-rule', `The designation '${d.value}' has no use and is in the same language ('${language ?? ''}'), so is not differentiated from the base display ('${c.display}')`, `${here}.designation[${k}]`),
          );
        }
      });
      (c.property ?? []).forEach((p, k) => issues.push(...conceptPropertyIssues(p, `${here}.property[${k}]`, declared, codes, terminology)));
      visit(c.concept ?? [], `${here}.concept`);
    });
  visit(concepts, `${path}.concept`);
  return issues;
}

/** Checks CodeSystem.property against the standard concept properties; returns code -> declared type. */
function propertyIssues(properties: CodeSystemProperty[], path: string, issues: ValidationIssue[]): Map<string, string> {
  const declared = new Map<string, string>();
  const uris = new Set<string>();
  properties.forEach((p, i) => {
    const at = `${path}.property[${i}]`;
    if (declared.has(p.code)) issues.push(issue('error', 'business-rule', `A property is already defined with the code '${p.code}'`, at));
    else declared.set(p.code, p.type);
    if (p.uri) {
      if (uris.has(p.uri)) {
        issues.push(issue('error', 'business-rule', `A property is already defined with the URI '${p.uri}'`, at));
        return;
      }
      uris.add(p.uri);
    }
    const standardByUri = p.uri?.startsWith(PROPERTY_URI) ? p.uri.slice(PROPERTY_URI.length) : undefined;
    if (standardByUri !== undefined && STANDARD_PROPERTIES[standardByUri]) {
      if (p.code !== standardByUri) {
        issues.push(issue('error', 'business-rule', `The URI '${p.uri}' is normally assigned the code '${standardByUri}'. Using the code '${p.code}' will usually create confusion in ValueSet filters etc`, at));
      }
      const type = STANDARD_PROPERTIES[standardByUri];
      if (p.type !== type) issues.push(issue('error', 'business-rule', `Wrong type '${p.type}': The URI '${p.uri}' identifies a property that has the type '${type}'`, at));
    } else if (!p.uri && STANDARD_PROPERTIES[p.code]) {
      issues.push(
        issue('warning', 'business-rule', `This property has only the standard code ('${p.code}') but not the standard URI '${PROPERTY_URI}${p.code}', so it has no clearly defined meaning in the terminology ecosystem`, at),
      );
      const type = STANDARD_PROPERTIES[p.code];
      if (p.type !== type) issues.push(issue('warning', 'business-rule', `Wrong type '${p.type}': The code '${p.code}' identifies a property that has the type '${type}'`, at));
    }
  });
  return declared;
}

const VALUE_TYPES: [string, string][] = [
  ['valueCode', 'code'],
  ['valueCoding', 'Coding'],
  ['valueString', 'string'],
  ['valueInteger', 'integer'],
  ['valueBoolean', 'boolean'],
  ['valueDateTime', 'dateTime'],
  ['valueDecimal', 'decimal'],
];

function conceptPropertyIssues(
  p: NonNullable<CodeSystemConcept['property']>[number],
  at: string,
  declared: Map<string, string>,
  codes: Set<string>,
  terminology: LocalTerminology,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const record = p as unknown as Record<string, unknown>;
  const actual = VALUE_TYPES.find(([key]) => record[key] !== undefined)?.[1];
  const type = declared.get(p.code);
  if (type === undefined) {
    issues.push(issue('warning', 'business-rule', `The property '${p.code}' has no definition in CodeSystem.property. Many terminology tools won't know what to do with it`, at));
  } else if (actual !== undefined && actual !== type) {
    issues.push(issue('error', 'business-rule', `The property '${p.code}' has the invalid type '${actual}', when it is defined to have the type '${type}'`, at));
  }
  if (p.code === 'synonym' && actual !== undefined) {
    const value = String(record[VALUE_TYPES.find(([, t]) => t === actual)?.[0] ?? ''] ?? '');
    if (!codes.has(value)) {
      issues.push(issue('warning', 'business-rule', `The synonym '${value}' is not also defined in the code system. The Synonym property should only used to declare equivalence to other existing codes`, at));
    }
  }
  const coding = p.valueCoding;
  if (coding?.system && coding.code) {
    const unknown = unknownCode(terminology, coding.system, coding.code);
    if (unknown) issues.push(issue('error', 'code-invalid', unknown, `${at}.value.ofType(Coding).code`));
  }
  return issues;
}

/** Concepts of a supplement must exist in the supplemented code system. */
function supplementIssues(cs: CodeSystem, path: string, terminology: LocalTerminology): ValidationIssue[] {
  const base = (cs.supplements ?? '').split('|')[0] ?? '';
  const issues: ValidationIssue[] = [];
  (cs.concept ?? []).forEach((c, i) => {
    if (typeof c.code !== 'string') return;
    const missing = externalCodeProblem(base, c.code) !== undefined || unknownCode(terminology, base, c.code) !== undefined;
    if (missing) {
      issues.push(issue('error', 'business-rule', `The code '${c.code}' is not declared in the base CodeSystem ${base} so is not valid in the supplement`, `${path}.concept[${i}]`));
    }
  });
  return issues;
}
