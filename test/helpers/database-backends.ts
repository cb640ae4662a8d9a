// Both database backends for tests that run one body against each: SQLite files and MongoDB on a real FerretDB
// started for the calling test file.
import { after, before } from 'node:test';
import { startFerretDb, type FerretDb } from './ferretdb.js';
import { sqliteDatabases, type DatabaseSection } from './sqlite-databases.js';

export type { DatabaseSection } from './sqlite-databases.js';

export interface DatabaseBackend {
  name: 'SQLite' | 'MongoDB (FerretDB)';
  /** The Database section of a new, empty database (the same section opens it again after a restart). */
  fresh(): DatabaseSection;
}

/**
 * Registers the calling file's before/after hooks (FerretDB, a temporary folder) and returns [SQLite, MongoDB];
 * `purpose` names the folder and the MongoDB databases (`<purpose>_<n>`).
 */
export function databaseBackends(purpose: string): DatabaseBackend[] {
  const sqlite = sqliteDatabases(purpose);
  const prefix = purpose.replace(/[^A-Za-z0-9_]/g, '_');
  let ferret: FerretDb | undefined;
  let n = 0;
  before(async () => {
    ferret = await startFerretDb();
  });
  after(async () => {
    await ferret?.stop();
  });
  return [
    { name: 'SQLite', fresh: sqlite },
    {
      name: 'MongoDB (FerretDB)',
      fresh: () => {
        if (!ferret) throw new Error('FerretDB is not running: open databases inside tests, after the before hook');
        return { Type: 'mongodb', Url: ferret.url, Name: `${prefix}_${++n}`, Timeout: '15s' };
      },
    },
  ];
}
