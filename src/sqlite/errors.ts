/** Failures of the local SQLite files (outboxes, audit trail): what and where, never their content. */
import { RedactedError } from '../net/errors.js';

/** Why a store could not be used. */
export type StoreErrorCode =
  /** The file does not exist and the command does not create one. */
  | 'missing'
  /** The file is not a SQLite database, or not this kind of store. */
  | 'not-a-store'
  /** A newer version of ads-fhir wrote the file. */
  | 'newer-schema'
  /** Another process holds the file's writer lease. */
  | 'busy'
  /** The file or its folder cannot be created, opened or written. */
  | 'unwritable';

/** A local store could not be opened or used. */
export class StoreError extends RedactedError {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
