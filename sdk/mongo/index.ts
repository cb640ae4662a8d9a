export { openMongo, mongoDatabaseName, type MongoHandle, type OpenMongoOptions } from './connect.js';
export { isTransientMongoError, isDuplicateKeyError, toEdgeXError } from './errors.js';
export { withRetry, DEFAULT_RETRY_POLICY, type RetryPolicy, type Attempt } from './retry.js';
export { insertBatch } from './batch.js';
export { ensureIndexes, type NamedIndex } from './indexes.js';
