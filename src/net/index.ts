/**
 * The network layer shared by the ADS API client, the token client, MESH and CQI: one transport (TLS,
 * time limit, size cap, redirects refused), one retry policy, one redacted error hierarchy.
 * @packageDocumentation
 */
export { classifyConnectionError, type ExchangeStage } from './classify.js';
export { type Clock, skewedClock, systemClock } from './clock.js';
export {
  describeCause,
  NetError,
  type NetErrorKind,
  type NetErrorTranslation,
  RedactedError,
  type TlsFailureCode,
  translateNetError,
} from './errors.js';
export { excerpt, forgetSecret, redact, registerSecret } from './redact.js';
export {
  backoffDelay,
  defaultRetryPolicy,
  isRetryable,
  parseRetryAfter,
  resolveRetryPolicy,
  type RetryHint,
  type RetryLoopOptions,
  type RetryPolicy,
  withRetry,
} from './retry.js';
export {
  checkEndpoint,
  createTransport,
  type Exchange,
  type NetRequest,
  type NetResponse,
  type TlsOptions,
  type Transport,
  type TransportOptions,
} from './transport.js';
