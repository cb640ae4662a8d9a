import { MongoBulkWriteError, MongoError, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';

const DROPPED_CONNECTION = /connection .*(closed|reset|timed out)|socket|ECONNRESET|ECONNREFUSED|EPIPE/i;

/** Node's codes for a connection that broke or could not be made. */
const SOCKET_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN']);

/**
 * Server error codes that mean "this server cannot serve you right now, another attempt may succeed":
 * not primary / stepping down / shutting down / host unreachable / network timeout.
 */
const TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const TRANSIENT_LABELS = ['RetryableWriteError', 'ResetPool', 'TransientTransactionError'];

/**
 * True for failures that a later attempt can get past: the connection broke or was refused, no server could be
 * selected in time, or the server is not (or no longer) the primary. Store code retries these with backoff.
 */
export function isTransientMongoError(err: unknown): boolean {
  if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError) return true;
  // The socket's own error (`write ECONNRESET`) sometimes reaches the caller unwrapped when the server goes away
  // in the middle of a write.
  if (err instanceof Error && SOCKET_ERROR_CODES.has(String((err as NodeJS.ErrnoException).code))) return true;
  if (!(err instanceof MongoError)) return false;
  if (TRANSIENT_LABELS.some((l) => err.hasErrorLabel(l))) return true;
  if (typeof err.code === 'number' && TRANSIENT_CODES.has(err.code)) return true;
  // A bulk write cut off by a dropped connection is a MongoBulkWriteError copied from the network error: no
  // write errors, no write-concern error, and the network error's message.
  if (err instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors.length : err.writeErrors ? 1 : 0;
    return writeErrors === 0 && !err.writeConcernError && DROPPED_CONNECTION.test(err.message);
  }
  // The client was closed under the operation (stop while a request was in flight): not worth a retry, but
  // still "unavailable" rather than a data error; see toEdgeXError.
  return false;
}

/**
 * True for a unique-index violation. MongoDB says code 11000 (E11000); FerretDB v1 says so on insert, but on an
 * update that collides it reports its SQLite backend's "UNIQUE constraint failed" under another code.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  if (!(err instanceof MongoError)) return false;
  if (err.code === 11000 || err.code === 11001) return true;
  return err instanceof MongoServerError && /E11000|duplicate key|UNIQUE constraint failed/i.test(err.message);
}

/**
 * Any failure of a MongoDB operation as an EdgeXError: an EdgeXError passes through; a transient one (server
 * unreachable) becomes ServiceUnavailable (503), anything else Database (500). `what` says what was being done,
 * e.g. "add device D1"; `where` names the server (a URL without password).
 */
export function toEdgeXError(err: unknown, what: string, where: string): EdgeXError {
  if (err instanceof EdgeXError) return err;
  const reason = errorMessage(err);
  if (isTransientMongoError(err) || isClientClosed(err)) {
    return new EdgeXError('ServiceUnavailable', `${what}: database ${where} is unavailable: ${reason}`, err);
  }
  return new EdgeXError('Database', `${what}: database ${where} failed: ${reason}`, err);
}

function isClientClosed(err: unknown): boolean {
  return err instanceof MongoError && (err.name === 'MongoNotConnectedError' || err.name === 'MongoTopologyClosedError');
}
