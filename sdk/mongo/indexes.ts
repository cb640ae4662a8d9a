import { MongoServerError, type Collection, type Document, type IndexDescription } from 'mongodb';
import type { MongoHandle } from './connect.js';

/** Every index needs a name here: that is how existing ones are recognised. */
export type NamedIndex = IndexDescription & { name: string };

/**
 * Creates the indexes of `collection` that do not exist yet (by name), in one call; safe on every start.
 * Only missing ones are sent: FerretDB v1 drops the connection when createIndexes repeats several existing
 * indexes, and real MongoDB gains nothing from the repeat either. Returns the names created.
 */
export async function ensureIndexes<T extends Document>(mongo: MongoHandle, collection: Collection<T>, indexes: NamedIndex[]): Promise<string[]> {
  const existing = await mongo.run(`list indexes of ${collection.collectionName}`, async () => {
    try {
      return new Set((await collection.listIndexes().toArray()).map((i) => String(i.name)));
    } catch (err) {
      if (err instanceof MongoServerError && err.code === 26) return new Set<string>(); // NamespaceNotFound: new collection
      throw err;
    }
  });
  const missing = indexes.filter((i) => !existing.has(i.name));
  if (missing.length === 0) return [];
  await mongo.run(`create indexes of ${collection.collectionName}`, () => collection.createIndexes(missing));
  return missing.map((i) => i.name);
}
