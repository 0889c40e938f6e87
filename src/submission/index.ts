/**
 * Submission transport: NHS API Platform signed-JWT auth, the Ambulance Data Submission API client and
 * the durable outbox that delivers bundles at least once.
 * @packageDocumentation
 */
export { type AccessTokenProvider, TokenClient, type TokenClientOptions } from './auth.js';
export {
  AdsClient,
  type AdsClientOptions,
  type BundleSubmitter,
  CORRELATION_HEADER,
  REQUEST_ID_HEADER,
  type SubmissionLogEvent,
  type SubmissionReceipt,
  type SubmitOptions,
} from './client.js';
export { type Clock, skewedClock, systemClock } from './clock.js';
export {
  ADS_ENVIRONMENTS,
  type AdsEndpoints,
  type AdsEnvironmentName,
  resolveEndpoints,
  type SubmissionPath,
} from './environments.js';
export {
  AdsHttpError,
  describeError,
  fromNetError,
  KeyError,
  NetworkError,
  ResponseTooLargeError,
  SubmissionError,
  type SubmissionErrorCode,
  TimeoutError,
  TokenError,
} from './errors.js';
export { parseRetryAfter } from '../net/index.js';
export { type GeneratedSigningKey, generateSigningKey, loadPrivateKey, type PrivateKeySource } from './keys.js';
export {
  type ClaimedEntry,
  type DuplicateBundle,
  DuplicateBundleError,
  type EnqueueOptions,
  Outbox,
  type OutboxEntry,
  type OutboxKey,
  type OutboxOptions,
  OUTBOX_STATES,
  type OutboxState,
  type OutboxStatus,
  type WriterLeaseOptions,
} from './outbox.js';
export {
  describeIssue,
  describeIssues,
  issueMessage,
  type MatchedBy,
  type NotificationInput,
  type NotificationOutcome,
  type NotificationQuery,
  type NotificationRecord,
  type NotificationRef,
  type RecordedNotification,
  type StoredIssue,
} from './outbox-notifications.js';
export { type DeliveryOutcome, OutboxWorker, type OutboxWorkerOptions } from './outbox-worker.js';
export { type RateLimitOptions, TokenBucket } from './rate-limit.js';
export { redact } from '../net/index.js';
export { backoffDelay, defaultRetryPolicy, type RetryPolicy } from '../net/index.js';
export { createSubmissionClient, type SubmissionConfig, submissionConfigFromEnv } from './config.js';
export { reconcile, type ReconcileEvent, type ReconcileOptions, type ReconcileSummary } from './reconcile.js';
// The shared network layer and local stores the clients run on: to inject a transport, or handle their errors.
export {
  checkEndpoint,
  createTransport,
  type Exchange,
  NetError,
  type NetErrorKind,
  type NetRequest,
  type NetResponse,
  RedactedError,
  type TlsFailureCode,
  type TlsOptions,
  type Transport,
  type TransportOptions,
} from '../net/index.js';
export { StoreError, type StoreErrorCode } from '../sqlite/index.js';
