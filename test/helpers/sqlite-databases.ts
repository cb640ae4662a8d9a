// Fresh SQLite databases for service tests, as the Database section a service is started with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** The Database section of a fresh, empty store: a SQLite file or a MongoDB database. */
export type DatabaseSection = { Type: 'sqlite'; Path: string } | { Type: 'mongodb'; Url: string; Name: string; Timeout: string };

/**
 * A new SQLite file per call, in a temporary folder removed after the calling file's tests (registers an `after`
 * hook: call it at the top of a test file). `purpose` names the folder.
 */
export function sqliteDatabases(purpose: string): () => DatabaseSection {
  const dir = mkdtempSync(join(tmpdir(), `edgex-${purpose}-`));
  let n = 0;
  after(() => rmSync(dir, { recursive: true, force: true }));
  return () => ({ Type: 'sqlite', Path: join(dir, `db${++n}.db`) });
}
