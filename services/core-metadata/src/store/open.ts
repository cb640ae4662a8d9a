import { durationMs, type CommonConfig, type ServiceRuntime } from '@edgex-ts/runtime';
import { openSqlite } from '@edgex-ts/sqlite';
import { sqliteMetadataStores } from './sqlite/index.js';
import type { MetadataStores } from './types.js';

/** The stores Database.Type asks for: a SQLite file at Database.Path (default) or MongoDB at Database.Url. */
export async function openMetadataStores(database: CommonConfig['Database'], log: ServiceRuntime['log']): Promise<MetadataStores> {
  if (database.Type === 'mongodb') {
    // Loaded on demand: the MongoDB driver costs ~20 MB of memory that the SQLite default never needs.
    const { openMongo } = await import('@edgex-ts/mongo');
    const { mongoMetadataStores } = await import('./mongo/index.js');
    const mongo = await openMongo(database.Url, database.Name || undefined, log, { timeoutMs: durationMs(database.Timeout) });
    try {
      return await mongoMetadataStores(mongo);
    } catch (err) {
      await mongo.close();
      throw err;
    }
  }
  return sqliteMetadataStores(openSqlite(database.Path, log));
}
