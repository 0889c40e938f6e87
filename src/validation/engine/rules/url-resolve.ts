/**
 * uri and url values in the FHIR specification's own spaces that name nothing known (Type_Specific_Checks_DT_URL_Resolve),
 * as the HL7 validator command judges them (InstanceValidator.validateReference and resolveUrl, with the command's
 * fetchers, ValidationEngine.resolveURL and StandAloneValidatorFetcher.resolveURL): a URL under
 * http://hl7.org/fhir or http://fhir.org/guides that is no definition loaded, no
 * URL the validator knows by name (special extensions, SIDs, mapping spaces, cross-version URLs) and no example
 * URL is an error. Coding.system, Identifier.system, Extension.url, Attachment.url and the rest are all checked;
 * only an extension's value is exempt where its extension says so.
 *
 * On only with `EngineOptions.resolveUrls`: the HL7 test suite's runner answers every URL as found, and outside
 * the command's setting ads-fhir cannot know which packages the payload's author had loaded (docs/validation.md).
 * URLs in other spaces are not judged: the command takes them as found unless it can load their package.
 */
import { clip } from '../../primitives.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';

/**
 * The spaces where an unresolved URL is an error (isKnownSpace), but http://terminology.hl7.org/: the command loads
 * HL7 Terminology (THO) itself, whose code systems ads-fhir does not all hold (those of R4 only), so a THO URL it does
 * not know may well be there.
 */
const KNOWN_SPACES = ['http://hl7.org/fhir', 'http://fhir.org/guides'];

/**
 * URLs the reference knows without a definition: isDefinitionURL, SpecialExtensions, SID code and id systems,
 * mapping and namespace URIs (isKnownMappingUri, the fetchers' lists) and ValidationEngine's own list.
 */
const KNOWN_URLS = new Set([
  ...['Boolean', 'String', 'Integer', 'Decimal', 'Date', 'Time', 'DateTime', 'Quantity'].map((t) => `http://hl7.org/fhirpath/System.${t}`),
  ...['Patient', 'Practitioner', 'Group', 'Device', 'Encounter'].map((c) => `http://hl7.org/fhir/CompartmentDefinition/${c}`),
  'http://hl7.org/fhir/SearchParameter/Resource-filter',
  ...[
    'elementdefinition-type-must-support', 'instance-name', 'instance-description', 'codesystem-properties-mode',
    'structuredefinition-rdf-type', 'structuredefinition-conformance-derivedFrom', 'structuredefinition-fmm-support',
  ].map((e) => `http://hl7.org/fhir/StructureDefinition/${e}`),
  'http://hl7.org/fhir/build/StructureDefinition/definition',
  'http://hl7.org/fhir/build/StructureDefinition/binding-definition',
  ...[
    'ndc', 'icpc-2', 'icpc-1', 'icpc-1-nl', 'icd-9', 'icd-10', 'cvx', 'srt', 'icd-10-vn', 'icd-10-cm', 'icd-10-am', 'icd-9-cm', 'icf-nl',
    'ca-hc-npn', 'ca-hc-din', 'dsm5', 'ex-icd-10-procedures', 'us-ssn', 'us-npi', 'eui-48/bluetooth', 'eui-48/ethernet',
  ].map((s) => `http://hl7.org/fhir/sid/${s}`),
  ...[
    'auditevent', 'composition', 'consent', 'documentreference', 'fivews', 'interface', 'logical', 'object-implementation', 'provenance',
    'rr', 'w5', 'workflow', 'ConsentPolicy/opt-out', 'ConsentPolicy/opt-in',
  ].map((m) => `http://hl7.org/fhir/${m}`),
]);

/** Passport SIDs (http://hl7.org/fhir/sid/passport-XXX) and version-specific URLs (http://hl7.org/fhir/5.0/...), whose packages the command may load. */
const KNOWN_PATTERNS = [/^http:\/\/hl7\.org\/fhir\/sid\/passport-[a-zA-Z]{3}$/, /^http:\/\/hl7\.org\/fhir\/[0-9]+\.[0-9]+\//];

/**
 * Core-namespace extensions: the command loads the HL7 extension pack, which ads-fhir does not hold, so one it does
 * not know may still be there (the extension rule accepts them unseen for the same reason: extension-domains.ts).
 */
const EXTENSION_PACK = 'http://hl7.org/fhir/StructureDefinition/';

/** Extensions whose uri value is not looked up (isExemptPathForUrlChecking). */
const EXEMPT_EXTENSIONS = new Set([
  'http://hl7.org/fhir/StructureDefinition/textLink',
  'http://hl7.org/fhir/uv/cql/StructureDefinition/cql-namespaceUri',
  'http://hl7.org/fhir/tools/StructureDefinition/ig-page-name',
  'http://hl7.org/fhir/tools/StructureDefinition/web-source',
  'http://hl7.org/fhir/StructureDefinition/web-source',
]);

/** An absolute uri or url value (not '#id', not a canonical resource's own url, not a Bundle entry's fullUrl). */
export function checkUrlResolves(node: ElementNode, code: string, text: string, path: string, ctx: RuleContext): void {
  if (!ctx.options.resolveUrls || (code !== 'uri' && code !== 'url')) return;
  if (!KNOWN_SPACES.some((s) => text.startsWith(s)) || node.path === 'Bundle.entry.fullUrl') return;
  const url = text.includes('|') ? text.slice(0, text.lastIndexOf('|')) : text;
  if (KNOWN_URLS.has(url) || KNOWN_PATTERNS.some((p) => p.test(url)) || url.startsWith(EXTENSION_PACK)) return;
  if (ctx.hostType === 'Extension' && node.name === 'value' && isExemptExtension(ctx.hostObject)) return;
  if (ctx.lookup(url)) return;
  ctx.report('Type_Specific_Checks_DT_URL_Resolve', 'error', 'invalid', path, `No definition could be found for URL value '${clip(text)}'`);
}

/** The value of an extension with no absolute url, or of one whose value is checked elsewhere or not at all. */
function isExemptExtension(extension: unknown): boolean {
  const url = extension && typeof extension === 'object' ? (extension as { url?: unknown }).url : undefined;
  return typeof url !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(url) || EXEMPT_EXTENSIONS.has(url);
}
