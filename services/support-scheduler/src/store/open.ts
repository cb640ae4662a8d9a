import { durationMs, type CommonConfig, type ServiceRuntime } from '@edgex-ts/runtime';
import { openSqlite } from '@edgex-ts/sqlite';
import { sqliteSchedulerStores } from './sqlite/index.js';
import type { SchedulerStores } from './types.js';

/** The stores Database.Type asks for: a SQLite file at Database.Path (default) or MongoDB at Database.Url. */
export async function openSchedulerStores(database: CommonConfig['Database'], log: ServiceRuntime['log']): Promise<SchedulerStores> {
  if (database.Type === 'mongodb') {
    // Loaded on demand: the MongoDB driver costs memory the SQLite default never needs.
    const { openMongo } = await import('@edgex-ts/mongo');
    const { mongoSchedulerStores } = await import('./mongo/index.js');
    const mongo = await openMongo(database.Url, database.Name || undefined, log, { timeoutMs: durationMs(database.Timeout) });
    try {
      return await mongoSchedulerStores(mongo);
    } catch (err) {
      await mongo.close();
      throw err;
    }
  }
  return sqliteSchedulerStores(openSqlite(database.Path, log));
}
