/** Why a package or profile could not be loaded; lets callers branch without parsing messages. */
export type PackageErrorCode =
  | 'not-found'
  | 'corrupt-archive'
  | 'bad-manifest'
  | 'malformed-json'
  | 'missing-dependency'
  | 'unknown-base'
  | 'circular-base'
  | 'snapshot-failed';

/**
 * A package or profile problem, with the file (or canonical URL) it concerns.
 * The message is meant for the user as it stands: no stack trace needed.
 */
export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(
    readonly code: PackageErrorCode,
    /** File path, `file.tgz!package/x.json`, or canonical URL the error is about. */
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** True for errors this module raises on purpose. */
export function isPackageError(e: unknown): e is PackageError {
  return e instanceof PackageError;
}
