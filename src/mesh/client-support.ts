/** Checks and conversions the MESH client uses: typed HTTP errors, JSON bodies, send headers. */
import { parseRetryAfter } from '../net/index.js';
import type { MeshResponse } from './client-types.js';
import {
  MeshAuthError,
  MeshConfigError,
  MeshGoneError,
  MeshHttpError,
  MeshInvalidRequestError,
  MeshNotFoundError,
  MeshProtocolError,
  readMeshErrorDetail,
} from './errors.js';
import { MESH_RETRY_STATUSES } from './retry.js';

/** Longest values MESH accepts for the send headers. */
const MAX_HEADER_LENGTHS: Record<string, number> = {
  'mex-to': 100,
  'mex-workflowid': 300,
  'mex-subject': 500,
  'mex-localid': 300,
  'mex-filename': 300,
};

/** A non-2xx answer as a typed error; MESH's transient statuses are retryable. */
export function toHttpError(res: MeshResponse, operation: string): MeshHttpError {
  const detail = readMeshErrorDetail(res.body);
  switch (res.status) {
    case 403:
      return new MeshAuthError(403, operation, detail);
    case 404:
      return new MeshNotFoundError(404, operation, detail);
    case 410:
      return new MeshGoneError(410, operation, detail);
    default:
      return new MeshHttpError(res.status, operation, detail, {
        retryable: MESH_RETRY_STATUSES.has(res.status),
        retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()),
      });
  }
}

/** A JSON object body, or a protocol error naming what was expected. */
export function parseJson(body: Buffer, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the typed error
  }
  throw new MeshProtocolError(`MESH ${what} is not a JSON object`);
}

/** A positive whole number setting, or a configuration error naming it. */
export function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new MeshConfigError(`MESH ${name} must be a positive integer`);
  return value;
}

/** Refuses send headers MESH would reject: missing, over-long, or with control characters. */
export function validateSendHeaders(headers: Record<string, string>): void {
  for (const required of ['mex-to', 'mex-workflowid']) {
    if (!headers[required]) throw new MeshInvalidRequestError(`MESH send needs ${required}`);
  }
  for (const [name, value] of Object.entries(headers)) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new MeshInvalidRequestError(`MESH header ${name} contains control characters`);
    const max = MAX_HEADER_LENGTHS[name];
    if (max !== undefined && value.length > max) throw new MeshInvalidRequestError(`MESH header ${name} is longer than ${max}`);
  }
}
