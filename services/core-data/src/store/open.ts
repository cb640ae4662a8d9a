import { durationMs, type CommonConfig } from '@edgex-ts/runtime';
import { openSqlite } from '@edgex-ts/sqlite';
import type { Logger } from 'pino';
import { SqliteEventStore } from './sqlite-store.js';
import { ThreadedEventStore } from './threaded-store.js';
import type { EventStore } from './types.js';

/**
 * The EventStore Database.Type asks for: SQLite at Database.Path (default; a file gets its own writer
 * thread, an in-memory database cannot be shared with one), or MongoDB at Database.Url (MONGODB_URL).
 */
export async function openEventStore(database: CommonConfig['Database'], log: Logger): Promise<EventStore> {
  if (database.Type === 'mongodb') {
    // Loaded on demand: the MongoDB driver costs ~20 MB of memory that the SQLite default never needs.
    const { openMongo } = await import('@edgex-ts/mongo');
    const { MongoEventStore } = await import('./mongo/mongo-store.js');
    const mongo = await openMongo(database.Url, database.Name || undefined, log, { timeoutMs: durationMs(database.Timeout) });
    try {
      return await MongoEventStore.open(mongo);
    } catch (err) {
      await mongo.close();
      throw err;
    }
  }
  const path = database.Path;
  const db = openSqlite(path, log);
  const inMemory = path === '' || path === ':memory:';
  try {
    return inMemory ? new SqliteEventStore(db, log) : new ThreadedEventStore(db, path, { log });
  } catch (err) {
    db.close(); // e.g. a file from a newer release (see CORE_DATA_SCHEMA)
    throw err;
  }
}
