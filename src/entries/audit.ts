/**
 * The local audit trail of accesses to patient data: an append-only, hash-chained SQLite store, the audit key,
 * and verification of the chain. Pass `{ audit: { sink, actor } }` to validation, build, mapping and delivery.
 * See docs/audit.md.
 *
 * The whole of `src/audit`'s index: a name added there shows up in `api/audit.api.md`.
 * @module ads-fhir/audit
 */
export * from '../audit/index.js';
