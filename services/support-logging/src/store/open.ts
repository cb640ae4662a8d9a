import { durationMs, type CommonConfig, type Logger } from '@edgex-ts/runtime';
import { openSqlite } from '@edgex-ts/sqlite';
import { SqliteLogStore } from './sqlite.js';
import type { LogStore } from './types.js';

/** The store Database.Type asks for: a SQLite file at Database.Path (default) or MongoDB at Database.Url. */
export async function openLogStore(database: CommonConfig['Database'], log: Logger): Promise<LogStore> {
  if (database.Type === 'mongodb') {
    // Loaded on demand: the MongoDB driver costs ~20 MB of memory that the SQLite default never needs.
    const { openMongo } = await import('@edgex-ts/mongo');
    const { MongoLogStore } = await import('./mongo.js');
    const mongo = await openMongo(database.Url, database.Name || undefined, log, { timeoutMs: durationMs(database.Timeout) });
    try {
      return await MongoLogStore.open(mongo);
    } catch (err) {
      await mongo.close();
      throw err;
    }
  }
  return new SqliteLogStore(openSqlite(database.Path, log));
}
