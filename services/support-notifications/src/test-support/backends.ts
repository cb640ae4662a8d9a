// The two database backends for tests that run one body against each: SQLite files and MongoDB (a real FerretDB,
// started for the calling test file). Each backend hands out fresh databases, as Database config sections.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startFerretDb, type FerretDb } from '../../../../test/helpers/ferretdb.js';
import type { DatabaseSection } from './service.js';

export interface Backend {
  name: string;
  /** A fresh, empty database (the same section opens it again after a restart). */
  fresh(): DatabaseSection;
}

/** Registers the calling file's before/after hooks and returns [SQLite, MongoDB (FerretDB)]. */
export function notificationBackends(purpose: string): Backend[] {
  const dir = mkdtempSync(join(tmpdir(), `support-notifications-${purpose}-`));
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
    { name: 'SQLite', fresh: () => ({ Type: 'sqlite', Path: join(dir, `n${++n}.db`) }) },
    {
      name: 'MongoDB (FerretDB)',
      fresh: () => {
        if (!ferret) throw new Error('FerretDB is not running: open databases inside tests, after the before hook');
        return { Type: 'mongodb', Url: ferret.url, Name: `support_notifications_${purpose}_${++n}`, Timeout: '15s' };
      },
    },
  ];
}
