/**
 * Real-time submission of NHS Pathways triage records (UEC CQI / IDT) over
 * mutual TLS, with a durable in-order outbox.
 *
 * The national endpoint paths and payload schema are issued on onboarding and
 * are not public: they sit behind {@link TriageEncoder} and the transport URL.
 * @module
 */
export { createTriageRecord, parseIsoWithOffset, type TriageRecord, type TriageRecordInput, type TriageService } from './triage-record.js';
export { isValidNhsNumber, isValidOdsCode, normaliseNhsNumber } from './identifiers.js';
export { fhirTriageEncoder, triageToFhirBundle, stableUuid, TRIAGE_SYSTEMS, type EncodedTriage, type TriageEncoder } from './encoder.js';
export {
  loadClientCredentials,
  type ClientTlsOptions,
  type ClientCredentials,
  type CredentialSource,
} from './tls-credentials.js';
export {
  HttpsTriageTransport,
  classifyTransportError,
  type HttpsTransportOptions,
  type TriageTransport,
  type DeliveryReceipt,
  type CqiLogEvent,
  type CqiLogger,
} from './transport.js';
export { CqiOutbox, type CqiOutboxOptions, type OutboxItem, type OutboxSummary } from './outbox.js';
export { CqiClient, triageRecordId, type CqiClientOptions, type SubmitResult, type DrainResult } from './client.js';
export {
  CqiError,
  TriageValidationError,
  TlsConfigError,
  TransportError,
  type TriageFieldIssue,
  type TlsConfigErrorCode,
  type TransportErrorCode,
} from './errors.js';
export { sampleTriageInput } from './test-records.js';
