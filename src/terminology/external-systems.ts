import { isAbsoluteUrl } from './absolute-url.js';
import { isValidLoincCode, LOINC_SYSTEM } from './loinc.js';
import { passesSctidCheck } from './snomed.js';
import { isValidUcum, UCUM_SYSTEM } from './ucum.js';
import { DMD_SYSTEM, SNOMED_SYSTEM } from '../systems/index.js';

/** Code systems whose content is never shipped in a FHIR package, with the name testers know them by. */
export const EXTERNAL_SYSTEMS: Readonly<Record<string, string>> = {
  [SNOMED_SYSTEM]: 'SNOMED CT',
  [DMD_SYSTEM]: 'dm+d',
  [LOINC_SYSTEM]: 'LOINC',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
  'http://hl7.org/fhir/sid/icd-10-uk': 'ICD-10 (UK)',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://hl7.org/fhir/sid/icd-9-cm': 'ICD-9-CM',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/ndc': 'NDC',
  'http://www.ama-assn.org/go/cpt': 'CPT',
  'http://hl7.org/fhir/sid/cvx': 'CVX',
  'urn:iso:std:iso:3166': 'ISO 3166 country codes',
  'urn:iso:std:iso:4217': 'ISO 4217 currency codes',
  'urn:ietf:bcp:47': 'BCP 47 language tags',
  'urn:ietf:bcp:13': 'MIME types',
  [UCUM_SYSTEM]: 'UCUM',
};

/**
 * Systems the reference validator leaves to a terminology server whatever it holds locally (ValueSetUtilities.isServerSide).
 * Without a server, a CodeableConcept holding a coding of one of them is not checked locally at all, so nothing is
 * said of its other codings either (not even that one has no system).
 */
export const SERVER_SIDE_SYSTEMS: ReadonlySet<string> = new Set([
  'http://hl7.org/fhir/sid/cvx', 'http://loinc.org', 'http://snomed.info/sct', 'http://www.nlm.nih.gov/research/umls/rxnorm',
  'http://www.ama-assn.org/go/cpt', 'http://hl7.org/fhir/ndfrt', 'http://hl7.org/fhir/sid/ndc', 'http://hl7.org/fhir/sid/icd-10',
  'http://hl7.org/fhir/sid/icd-9-cm', 'http://hl7.org/fhir/sid/icd-10-cm',
]);

/** True when a CodeableConcept has a coding of a system only a terminology server checks (see SERVER_SIDE_SYSTEMS). */
export function hasServerSideCoding(concept: unknown): boolean {
  const coding = concept && typeof concept === 'object' ? (concept as { coding?: unknown }).coding : undefined;
  return Array.isArray(coding) && coding.some((c) => c && typeof c === 'object' && SERVER_SIDE_SYSTEMS.has((c as { system?: unknown }).system as string));
}

/** A system whose codes can be checked by their shape alone, although its content is not enumerated. */
export interface SyntacticSystem {
  label: string;
  check(code: string): boolean;
}

/** RFC 6838 type/subtype, optionally followed by parameters. */
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;.*)?$/;
const FORMAT_SHORTHANDS = new Set(['xml', 'json', 'ttl']);
/** BCP 47 tag shape: primary language subtag then hyphenated subtags (the registry itself is not checked). */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$|^[xXiI](-[A-Za-z0-9]{1,8})+$/;

export const SYNTACTIC_SYSTEMS: Readonly<Record<string, SyntacticSystem>> = {
  [UCUM_SYSTEM]: { label: 'UCUM unit', check: isValidUcum },
  // `xml`, `json` and `ttl` are the FHIR format shorthands R4 allows where a MIME type is bound
  // (CapabilityStatement.format, `_format`).
  'urn:ietf:bcp:13': { label: 'MIME type', check: (c) => MIME_TYPE.test(c) || FORMAT_SHORTHANDS.has(c) },
  'urn:ietf:bcp:47': { label: 'language tag', check: (c) => LANGUAGE_TAG.test(c) },
};

/** The name of a well-known external system, or the URL itself. */
export function systemName(system: string): string {
  return EXTERNAL_SYSTEMS[system] ?? system;
}

/**
 * Systems whose codes carry a check digit or fixed shape, so a malformed code is known to be wrong
 * offline even though the system's content is not available.
 */
const CODE_CHECKS: Readonly<Record<string, { check: (code: string) => boolean; why: string }>> = {
  [SNOMED_SYSTEM]: { check: passesSctidCheck, why: 'not a valid SNOMED CT identifier (wrong length, partition or check digit)' },
  [DMD_SYSTEM]: { check: passesSctidCheck, why: 'not a valid dm+d identifier (wrong length, partition or check digit)' },
  [LOINC_SYSTEM]: { check: isValidLoincCode, why: 'not a valid LOINC code (shape or check digit)' },
  // The reference's URI code system (URICodeSystem): any absolute URI is a code, anything else is not.
  'urn:ietf:rfc:3986': { check: isAbsoluteUrl, why: 'not an absolute URI' },
};

/** Why `code` cannot be a code of `system`, when its shape alone proves it; else undefined. */
export function externalCodeProblem(system: string, code: string): string | undefined {
  const rule = CODE_CHECKS[system];
  return rule && !rule.check(code) ? rule.why : undefined;
}

/** True when `system` has an offline shape check ({@link externalCodeProblem}). */
export function hasExternalCodeCheck(system: string): boolean {
  return Object.prototype.hasOwnProperty.call(CODE_CHECKS, system);
}
