import { MongoBulkWriteError, type Collection, type Document, type OptionalUnlessRequiredId } from 'mongodb';
import type { MongoHandle } from './connect.js';
import { isDuplicateKeyError } from './errors.js';

/**
 * Inserts `docs` (each with its own `_id`) as one unordered batch, retrying transient failures through
 * `mongo.run`. A retry may find some documents already stored by an attempt whose reply was lost; duplicate
 * `_id`s are therefore counted as stored, never as a failure, so a retried batch neither fails nor doubles.
 * Use it only for collections whose sole unique index is `_id`. Returns how many documents were new.
 */
export async function insertBatch<T extends Document>(
  mongo: MongoHandle,
  collection: Collection<T>,
  docs: OptionalUnlessRequiredId<T>[],
  what: string,
): Promise<number> {
  if (docs.length === 0) return 0;
  return mongo.run(what, async () => {
    try {
      const res = await collection.insertMany(docs, { ordered: false });
      return res.insertedCount;
    } catch (err) {
      if (err instanceof MongoBulkWriteError) {
        const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
        if (errors.length > 0 && errors.every((e) => e.code === 11000 || e.code === 11001)) {
          return err.insertedCount;
        }
      } else if (isDuplicateKeyError(err)) {
        return 0;
      }
      throw err;
    }
  });
}
