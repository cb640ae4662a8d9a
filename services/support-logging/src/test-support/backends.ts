// Both stores for tests that run one body against each: SQLite (a temporary file) and MongoDB (a real FerretDB,
// started for the calling test file).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startFerretDb, type FerretDb } from '../../../../test/helpers/ferretdb.js';
import type { DatabaseOverrides } from './sqlite.js';

export type { DatabaseOverrides } from './sqlite.js';

/**
 * Registers the calling file's before/after hooks (FerretDB, a temporary folder) and returns, per backend, a
 * function giving the Database section of a new empty store (`support_logging_<purpose>_<n>` on MongoDB).
 */
export function logBackends(purpose: string): [string, () => DatabaseOverrides][] {
  const dir = mkdtempSync(join(tmpdir(), `support-logging-${purpose}-`));
  let ferret: FerretDb | undefined;
  let n = 0;
  before(async () => {
    ferret = await startFerretDb();
  });
  after(async () => {
    await ferret?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return [
    ['SQLite', () => ({ Type: 'sqlite', Path: join(dir, `s${++n}.db`) })],
    [
      'MongoDB',
      () => {
        if (!ferret) throw new Error('FerretDB is not running (logBackends must be called at the top of a test file)');
        return { Type: 'mongodb', Url: ferret.url, Name: `support_logging_${purpose}_${++n}` };
      },
    ],
  ];
}
