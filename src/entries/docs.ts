/**
 * Mapped-field documentation: which ADS data item lands in which FHIR element, generated from the profiles as
 * Markdown and HTML (what `ads-fhir docs` writes).
 *
 * The whole of `src/docs`'s index: a name added there shows up in `api/docs.api.md`.
 * @module ads-fhir/docs
 */
export * from '../docs/index.js';
