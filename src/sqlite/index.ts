/**
 * The local SQLite files of the toolkit (the ADS outbox, the CQI outbox, the audit trail): one way to open
 * them (0600, WAL, busy timeout, migrations) and one exclusive writer lease.
 * @packageDocumentation
 */
export { StoreError, type StoreErrorCode } from './errors.js';
export { acquireWriterLease, describeHolder, type LeaseHolder, leaseHolder, type LeaseOptions, WriterLease } from './lease.js';
export { DATA_FILE_MODE, type Migration, openDatabase, type OpenDatabaseOptions, sqliteDriver } from './open.js';
