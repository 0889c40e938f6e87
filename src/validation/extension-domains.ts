/**
 * Extensions whose definition is not loaded are errors, except in namespaces the HL7 Java validator
 * knows from packages it always loads (see docs/validation.md).
 */

/** Extension namespaces the reference validator knows from packages it always loads. */
const HL7_PACKAGED_EXTENSIONS = ['http://hl7.org/fhir/StructureDefinition/', 'http://hl7.org/fhir/tools/', 'http://hl7.org/fhir/test/'];

/**
 * Core-namespace URLs that no HL7 package defines: HL7 tooling publishes these flags under
 * http://hl7.org/fhir/tools/StructureDefinition/ instead, so the core spelling cannot be resolved.
 */
const NEVER_PUBLISHED_CORE_EXTENSIONS = new Set(['http://hl7.org/fhir/StructureDefinition/obligation-profile']);

/** True when an extension URL may be used without its definition being loaded. */
export function acceptedUnseen(url: string, allowedDomains: readonly string[]): boolean {
  if (url.startsWith('http://example.org') || url.startsWith('https://example.org')) return true;
  // HL7's extension pack (core namespace), tools and test definitions are accepted unseen, as the
  // reference validator loads those packages itself; implementation guides (SDC, US Core...) it does not.
  if (HL7_PACKAGED_EXTENSIONS.some((d) => url.startsWith(d))) return !NEVER_PUBLISHED_CORE_EXTENSIONS.has(url);
  return allowedDomains.some((d) => url.startsWith(d));
}
