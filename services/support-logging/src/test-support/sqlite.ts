import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** The Database section of a fresh, empty store. */
export interface DatabaseOverrides {
  Type: 'sqlite' | 'mongodb';
  Path?: string;
  Url?: string;
  Name?: string;
}

/** For tests about something else than the store: fresh SQLite files in a temporary folder removed after the file's tests. */
export function sqliteDatabases(purpose: string): () => DatabaseOverrides {
  const dir = mkdtempSync(join(tmpdir(), `support-logging-${purpose}-`));
  let n = 0;
  after(() => rmSync(dir, { recursive: true, force: true }));
  return () => ({ Type: 'sqlite', Path: join(dir, `s${++n}.db`) });
}
