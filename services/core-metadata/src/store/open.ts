import { durationMs, openMongo, openSqlite, type CommonConfig, type ServiceRuntime } from '@edgex-ts/sdk/runtime';
import { mongoMetadataStores } from './mongo/index.js';
import { sqliteMetadataStores } from './sqlite/index.js';
import type { MetadataStores } from './types.js';

/** The stores Database.Type asks for: a SQLite file at Database.Path (default) or MongoDB at Database.Url. */
export async function openMetadataStores(database: CommonConfig['Database'], log: ServiceRuntime['log']): Promise<MetadataStores> {
  if (database.Type === 'mongodb') {
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
