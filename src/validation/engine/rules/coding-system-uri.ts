/**
 * The system of a Coding that no binding checks (no binding, or an example one), as the reference validator's
 * InstanceValidator.checkCodedElement / checkCode judge it when no terminology service supports the system:
 * - a value set's URL is not a code system (Terminology_TX_System_ValueSet2);
 * - build.fhir.org pages and `.html` pages of the specification are not code systems (WRONG_BUILD, WRONG_HTML);
 * - a system under http://hl7.org/fhir/ that is no code system known here (Terminology_TX_System_Unknown);
 * - a URI that extends SNOMED CT, LOINC, UCUM or RxNorm's (Terminology_TX_System_Invalid);
 * - `https:` where the code system is `http:` (TERMINOLOGY_TX_SYSTEM_HTTPS);
 * - a code system loaded without its codes (content = not-present) cannot check the code (TERMINOLOGY_TX_SYSTEM_NOT_USABLE).
 * Codings inside a CodeableConcept are judged with it (the reference checks them through the terminology layer,
 * not here). Code systems loaded from the packages, and the external ones (SNOMED CT, LOINC, ...), are supported.
 */
import { EXTERNAL_SYSTEMS } from '../../../terminology/external-systems.js';
import { clip } from '../../primitives.js';
import type { DatatypeRule, RuleContext } from '../context.js';

/** Code systems the reference knows by name without a definition (SIDUtilities.isknownCodeSystem). */
const KNOWN_SIDS = new Set([
  'ndc', 'icpc-2', 'icpc-1', 'icpc-1-nl', 'icd-9', 'icd-10', 'cvx', 'srt', 'icd-10-vn', 'icd-10-cm', 'icd-10-am', 'icd-9-cm',
  'icf-nl', 'ca-hc-npn', 'ca-hc-din', 'dsm5', 'ex-icd-10-procedures',
].map((s) => `http://hl7.org/fhir/sid/${s}`));
/** Systems whose URI must be exactly this (a longer one is no code system). */
const EXACT_SYSTEMS = ['http://snomed.info/sct', 'http://loinc.org', 'http://unitsofmeasure.org', 'http://www.nlm.nih.gov/research/umls/rxnorm'];
const HTTPS_OF_EXACT = new Set(EXACT_SYSTEMS.map((s) => s.replace('http:', 'https:')));
const HL7_FHIR = ['http://hl7.org/fhir', 'https://hl7.org/fhir', 'http://www.hl7.org/fhir', 'https://www.hl7.org/fhir'];
const UNABLE = '{unable to determine intended url}';

export const checkCodingSystemUri: DatatypeRule = (obj, path, def, ctx) => {
  const system = obj.system;
  if (typeof system !== 'string' || typeof obj.code !== 'string' || ctx.hostType === 'CodeableConcept') return;
  if (def.binding && def.binding.strength !== 'example') return;
  const found = ctx.lookup(system);
  if (found?.resourceType === 'ValueSet') {
    ctx.report('Terminology_TX_System_ValueSet2', 'error', 'code-invalid', path, `The Coding references a value set, not a code system ('${clip(system)}')`);
    return;
  }
  if (found?.resourceType === 'CodeSystem' && found.content === 'not-present' && usableOnlyWithCodes(system)) {
    ctx.report('TERMINOLOGY_TX_SYSTEM_NOT_USABLE', 'information', 'unknown', path, `The definition for the Code System with URI '${clip(system)}' doesn't provide any codes (content = not-present), so the code cannot be validated`);
    return;
  }
  if (found?.resourceType === 'CodeSystem' || Object.prototype.hasOwnProperty.call(EXTERNAL_SYSTEMS, system)) return;
  if (system.startsWith('http://build.fhir.org') || system.startsWith('https://build.fhir.org')) {
    ctx.report('TERMINOLOGY_TX_SYSTEM_WRONG_BUILD', 'error', 'code-invalid', path, `The code system reference ${clip(system)} is wrong - the code system reference cannot be a reference to build.fhir.org. This may be the correct reference: ${suggestForBuild(system, ctx)}`);
  } else if (HL7_FHIR.some((p) => system.startsWith(p))) {
    if (KNOWN_SIDS.has(system) || system.startsWith('http://hl7.org/fhir/test')) return;
    if (system.endsWith('.html')) {
      ctx.report('TERMINOLOGY_TX_SYSTEM_WRONG_HTML', 'error', 'code-invalid', path, `The code system reference ${clip(system)} is wrong - the code system reference cannot be to an HTML page. This may be the correct reference: ${suggestForPage(system, ctx)}`);
    } else {
      ctx.report('Terminology_TX_System_Unknown', 'error', 'code-invalid', path, `Unknown Code System '${clip(system)}'`);
    }
  } else if (EXACT_SYSTEMS.some((s) => system !== s && system.startsWith(s))) {
    ctx.report('Terminology_TX_System_Invalid', 'error', 'code-invalid', path, `Invalid System URI: ${clip(system)}`);
  } else if (system.startsWith('https:') && system.length > 7 && (HTTPS_OF_EXACT.has(system) || isCodeSystem(`http:${system.slice(6)}`, ctx))) {
    ctx.report('TERMINOLOGY_TX_SYSTEM_HTTPS', 'error', 'code-invalid', path, `The system URL '${clip(system)}' wrongly starts with https: not http:`);
  }
};

/**
 * Whether the reference reaches its last branch for this system (InstanceValidator.checkCode), where a code system
 * without content is not usable: not build.fhir.org or the specification's own space (judged before), not one of the
 * big external systems nor one that only a terminology server holds (ValueSetUtilities.isServerSide), and not an
 * example.org system (skipped while examples are allowed, as in the reference's test harness).
 */
function usableOnlyWithCodes(system: string): boolean {
  if (system.startsWith('http://build.fhir.org') || system.startsWith('https://build.fhir.org') || HL7_FHIR.some((p) => system.startsWith(p))) return false;
  if (EXACT_SYSTEMS.some((s) => system.startsWith(s))) return false;
  // The big external terminologies (SNOMED CT, dm+d, CPT, ISO, BCP...) are a terminology server's or the reference's own
  // built-in business even where a package carries a placeholder definition of them: not judged here.
  if (Object.prototype.hasOwnProperty.call(EXTERNAL_SYSTEMS, system)) return false;
  return !system.startsWith('http://example.org') && !system.startsWith('https://example.org');
}

function isCodeSystem(url: string, ctx: RuleContext): boolean {
  return ctx.lookup(url)?.resourceType === 'CodeSystem';
}

/** The reference's guess at the code system a specification page stands for. */
function suggestForPage(system: string, ctx: RuleContext): string {
  for (const marker of ['/codesystem-', '/valueset-']) {
    const at = system.indexOf(marker);
    if (at >= 0) {
      const url = `http://hl7.org/fhir/${system.slice(at + marker.length).replace('.html', '')}`;
      return isCodeSystem(url, ctx) ? url : UNABLE;
    }
  }
  return UNABLE;
}

function suggestForBuild(system: string, ctx: RuleContext): string {
  if (system.includes('/codesystem-') || system.includes('/valueset-')) return suggestForPage(system, ctx);
  const http = system.replace('https://', 'http://');
  if (http.length < 22) return UNABLE;
  const url = `http://hl7.org/fhir/${http.slice(22).replace('.html', '')}`;
  return isCodeSystem(url, ctx) ? url : UNABLE;
}
