// Every EventStore implementation for tests that run one body against each: SQLite (same thread), SQLite with its
// writer thread, and MongoDB (a real FerretDB, started for the calling test file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { openMongo } from '@edgex-ts/mongo';
import { openSqlite } from '@edgex-ts/sqlite';
import { pino } from 'pino';
import { startFerretDb, type FerretDb } from '../../../../test/helpers/ferretdb.js';
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
 * Registers the calling file's before/after hooks (FerretDB, a temporary folder for the SQLite files) and returns
 * the openers; `purpose` names the files and MongoDB databases (`core_data_<purpose>_<n>`).
 */
export function eventStoreBackends(purpose: string): EventStoreBackends {
  const silent = pino({ level: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), `core-data-${purpose}-`));
  let ferret: FerretDb | undefined;
  let n = 0;
  before(async () => {
    ferret = await startFerretDb();
  });
  after(async () => {
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const sqlite = async (): Promise<EventStore> => new SqliteEventStore(openSqlite(join(dir, `s${++n}.db`), silent));
  const threaded = async (): Promise<EventStore> => {
    const path = join(dir, `t${++n}.db`);
    return new ThreadedEventStore(openSqlite(path, silent), path);
  };
  const mongo = async (): Promise<EventStore> => {
    if (!ferret) throw new Error('FerretDB is not running: open stores inside tests, after the before hook');
    return MongoEventStore.open(await openMongo(ferret.url, `core_data_${purpose}_${++n}`, silent, { timeoutMs: 15_000 }));
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
