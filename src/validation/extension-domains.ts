/**
 * Extensions whose definition is not loaded: which are accepted, as the reference validator decides
 * (InstanceValidator.allowUnknownExtension, isKnownExtension, SpecialExtensions, BuildExtensions), and
 * where ads-fhir stands in for packages the reference loads itself (see docs/validation.md).
 */

/** `allowedExtensionDomains` entry that accepts any extension (the reference's `-extension any`). */
export const ANY_EXTENSION_DOMAIN = 'any';

/**
 * HL7 namespaces whose extensions the reference resolves from packages it always loads (the core
 * extension pack, HL7 tooling and test definitions); ads-fhir accepts them unseen. Implementation guides
 * (SDC, US Core...) are not among them.
 */
const HL7_PACKAGED_EXTENSIONS = ['http://hl7.org/fhir/StructureDefinition/', 'http://hl7.org/fhir/tools/', 'http://hl7.org/fhir/test/'];

/**
 * Core-namespace URLs that no HL7 package defines: HL7 tooling publishes these flags under
 * http://hl7.org/fhir/tools/StructureDefinition/ instead, so the core spelling cannot be resolved.
 */
const NEVER_PUBLISHED_CORE_EXTENSIONS = new Set(['http://hl7.org/fhir/StructureDefinition/obligation-profile']);

/** URLs the reference knows without a definition (SpecialExtensions' build URLs and BuildExtensions' constants): never reported. */
const BUILD = 'http://hl7.org/fhir/build/StructureDefinition/';
const KNOWN_WITHOUT_DEFINITION = new Set([
  ...[
    'description', 'title', 'registered', 'ig', 'example-for', 'path', 'footer', 'footer2', 'entered-in-error-status', 'proposed-order',
    'hint', 'layout', 'todo', 'committee-notes', 'uml-dir', 'uml-break', 'svg', 'ocl', 'fixed-name', 'turtle', 'name', 'v2-map', 'v3-map',
    'uri', 'website', 'email', 'copyright', 'status', 'introduction', 'notes', 'code', 'type', 'no-binding', 'example', 'template',
    'definition', 'binding-definition',
  ].map((tail) => `${BUILD}${tail}`),
  'http://hl7.org/fhir/build/CodeSystem/example-type',
  'http://hl7.org/fhir/StructureDefinition/elementdefinition-bindingName',
]);

/** Cross-version extension URLs (`http://hl7.org/fhir/5.0/StructureDefinition/extension-Path`): their definitions are generated, not loaded. */
const CROSS_VERSION = /^http:\/\/hl7\.org\/fhir\/[1-6]\.[0-9]\/StructureDefinition\/extension-[A-Za-z]/;

/** The HL7 test definitions: the suite's runner has them, the validator command does not load them. */
const HL7_TEST_EXTENSIONS = 'http://hl7.org/fhir/test/';

/**
 * True when the reference validator accepts the URL with no definition and nothing to say about it. `commandView`
 * (EngineOptions.resolveUrls: judged as the validator command judges) leaves the HL7 test definitions out.
 */
export function knownWithoutDefinition(url: string, commandView = false): boolean {
  if (commandView && url.startsWith(HL7_TEST_EXTENSIONS)) return false;
  return KNOWN_WITHOUT_DEFINITION.has(url) || CROSS_VERSION.test(url) || (HL7_PACKAGED_EXTENSIONS.some((d) => url.startsWith(d)) && !NEVER_PUBLISHED_CORE_EXTENSIONS.has(url));
}

/** Example and built-in domains (allowExamples is on, as in the reference's test harness). */
function builtInDomain(url: string): boolean {
  return (
    url.includes('example.org') ||
    url.includes('acme.com') ||
    url.includes('nema.org') ||
    url.startsWith('http://hl7.org/fhir/tools/StructureDefinition/') ||
    url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-expression'
  );
}

/** The reference's isKnownExtension: a built-in or allowed domain (then an unknown extension passes silently). */
export function isKnownExtensionDomain(url: string, allowedDomains: readonly string[]): boolean {
  if (builtInDomain(url) || url === 'http://hl7.org/fhir/StructureDefinition/codesystem-properties-mode') return true;
  return allowedDomains.some((d) => d !== ANY_EXTENSION_DOMAIN && url.startsWith(d));
}

/** The reference's allowUnknownExtension: a known domain, or any extension when `any` is allowed. */
export function allowUnknownExtension(url: string, allowedDomains: readonly string[]): boolean {
  return isKnownExtensionDomain(url, allowedDomains) || allowedDomains.includes(ANY_EXTENSION_DOMAIN);
}

/** True when an extension URL may be used without its definition being loaded (with or without a hint). */
export function acceptedUnseen(url: string, allowedDomains: readonly string[]): boolean {
  return knownWithoutDefinition(url) || allowUnknownExtension(url, allowedDomains);
}
