/**
 * MESH (Message Exchange for Social Care and Health) client and error-notification polling.
 *
 * - {@link MeshClient}: `NHSMESH` auth, handshake, paged inbox, chunked/gzip download with
 *   verification, acknowledge, chunked send, tracking, v1/v2 `Accept`, bounded retries, mutual TLS.
 * - {@link pollNotifications} / {@link drainNotifications}: download, parse and acknowledge only
 *   after the caller has stored each notification.
 * - {@link NotificationParser} and the project's default format ({@link DefaultNotificationParser}).
 * @module
 */
export {
  buildMeshAuthHeader,
  formatMeshTimestamp,
  meshAuthHash,
  MeshTokenGenerator,
  MESH_AUTH_SCHEME,
  parseMeshAuthHeader,
  parseMeshTimestamp,
  verifyMeshAuthHash,
  type MeshAuthInput,
  type MeshAuthToken,
  type MeshCredentials,
} from './auth.js';
export {
  DEFAULT_CHUNK_SIZE,
  MESH_ACCEPT,
  MeshClient,
  type MeshApiVersion,
  type MeshClientOptions,
  type MeshInboxOptions,
  type MeshInboxPage,
  type MeshRequest,
  type MeshResponse,
  type MeshSendOptions,
  type MeshSendResult,
  type MeshTlsOptions,
  type MeshTrackingInfo,
  type MeshTransport,
  type MeshTransportLimits,
} from './client.js';
export {
  MeshAuthError,
  MeshConfigError,
  MeshError,
  MeshGoneError,
  MeshHttpError,
  MeshIntegrityError,
  MeshInvalidRequestError,
  MeshMissingChunkError,
  MeshNetworkError,
  MeshNotFoundError,
  MeshProtocolError,
  MeshRedirectError,
  MeshResponseTooLargeError,
  MeshRetryExhaustedError,
  readMeshErrorDetail,
  type MeshErrorDetail,
} from './errors.js';
export {
  checksumMatches,
  contentChecksum,
  parseChunkRange,
  readMessageMetadata,
  type MeshMessage,
  type MeshMessageMetadata,
} from './message.js';
export { MESH_RETRY_DEFAULTS, MESH_RETRY_STATUSES, resolveMeshRetryPolicy, type MeshRetryOptions, type MeshRetryPolicy } from './retry.js';
export {
  DEFAULT_NOTIFICATION_FORMAT,
  DEFAULT_NOTIFICATION_WORKFLOW_ID,
  DefaultNotificationParser,
  defaultNotificationHeaders,
  drainNotifications,
  encodeDefaultNotification,
  pollNotifications,
  readOperationOutcomeIssues,
  type DefaultNotificationInput,
  type NotificationDrainSummary,
  type NotificationIssue,
  type NotificationParser,
  type ParsedNotification,
  type MeshPolledItem,
  type NotificationPollOptions,
  type SubmissionRef,
} from './notifications.js';
export {
  loadMeshConfig,
  MESH_ENV,
  type LoadedMeshConfig,
  type MeshConfigFile,
  type MeshConfigOverrides,
} from './config.js';
export { formatPolledItemSummary, summarisePolledItem, type PolledItemSummary } from './summary.js';
