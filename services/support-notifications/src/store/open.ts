import { durationMs, type CommonConfig } from '@edgex-ts/runtime';
import { openSqlite } from '@edgex-ts/sqlite';
import type { Logger } from 'pino';
import { sqliteNotificationStores } from './sqlite.js';
import type { NotificationStores } from './types.js';

/** The stores Database.Type asks for: a SQLite file at Database.Path (default) or MongoDB at Database.Url. */
export async function openNotificationStores(database: CommonConfig['Database'], log: Logger): Promise<NotificationStores> {
  if (database.Type === 'mongodb') {
    // Loaded on demand: the MongoDB driver costs ~20 MB of memory that the SQLite default never needs.
    const { openMongo } = await import('@edgex-ts/mongo');
    const { mongoNotificationStores } = await import('./mongo.js');
    const mongo = await openMongo(database.Url, database.Name || undefined, log, { timeoutMs: durationMs(database.Timeout) });
    try {
      return await mongoNotificationStores(mongo);
    } catch (err) {
      await mongo.close();
      throw err;
    }
  }
  const db = openSqlite(database.Path, log);
  try {
    return sqliteNotificationStores(db);
  } catch (err) {
    db.close();
    throw err;
  }
}
