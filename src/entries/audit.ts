/**
 * The local audit trail of accesses to patient data: an append-only SQLite store chained under the audit key
 * (HMAC), the key, and verification of the chain (which needs the key). Pass `{ audit: { sink, actor } }` to validation, build, mapping and delivery.
 * See docs/audit.md.
 *
 * The whole of `src/audit`'s index: a name added there shows up in `api/audit.api.md`.
 * @module ads-fhir/audit
 */
export * from '../audit/index.js';
