// Every EventStore implementation for tests that run one body against each: SQLite (same thread), SQLite with its
// writer thread, and MongoDB (a real FerretDB, started for the calling test file).
import { openMongo } from '@edgex-ts/mongo';
import { openSqlite } from '@edgex-ts/sqlite';
import { pino } from 'pino';
import { databaseBackends } from '../../../../test/helpers/database-backends.js';
import { MongoEventStore } from '../store/mongo/mongo-store.js';
import { SqliteEventStore } from '../store/sqlite-store.js';
import { ThreadedEventStore } from '../store/threaded-store.js';
import type { EventStore } from '../store/types.js';

export interface EventStoreBackends {
  /** Name and opener of each implementation; every call opens a fresh, empty store. */
  all: [string, () => Promise<EventStore>][];
  /** A fresh, empty SQLite store (same thread). */
  sqlite: () => Promise<EventStore>;
}

/**
 * Registers the calling file's before/after hooks (FerretDB, a temporary folder for the SQLite files: see
 * test/helpers/database-backends.ts) and returns the openers; `purpose` names the files and MongoDB databases.
 */
export function eventStoreBackends(purpose: string): EventStoreBackends {
  const silent = pino({ level: 'silent' });
  const [sqliteDatabase, mongoDatabase] = databaseBackends(`core_data_${purpose}`);
  const sqlitePath = (): string => {
    const section = sqliteDatabase.fresh();
    if (section.Type !== 'sqlite') throw new Error(`expected a SQLite database, got ${section.Type}`);
    return section.Path;
  };

  const sqlite = async (): Promise<EventStore> => new SqliteEventStore(openSqlite(sqlitePath(), silent));
  const threaded = async (): Promise<EventStore> => {
    const path = sqlitePath();
    return new ThreadedEventStore(openSqlite(path, silent), path);
  };
  const mongo = async (): Promise<EventStore> => {
    const section = mongoDatabase.fresh();
    if (section.Type !== 'mongodb') throw new Error(`expected a MongoDB database, got ${section.Type}`);
    return MongoEventStore.open(await openMongo(section.Url, section.Name, silent, { timeoutMs: 15_000 }));
  };
  return {
    all: [
      ['SqliteEventStore', sqlite],
      ['ThreadedEventStore', threaded],
      ['MongoEventStore', mongo],
    ],
    sqlite,
  };
}
