import { join } from 'node:path';
import type { SupportSchedulerConfigInput } from '../config.js';
import { startFerretDb, type FerretDb } from '../../../../test/helpers/ferretdb.js';
import { tempDir } from './harness.js';

/** Where a scheduler under test keeps its data: a fresh `database()` each call, the same one across restarts. */
export interface Backend {
  name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A new, empty database's Database section. */
  database(): SupportSchedulerConfigInput['Database'];
}

let seq = 0;

export function sqliteBackend(): Backend {
  let dir: ReturnType<typeof tempDir> | undefined;
  return {
    name: 'SQLite',
    setUp: async () => {
      dir = tempDir();
    },
    tearDown: async () => dir?.remove(),
    database: () => ({ Type: 'sqlite', Path: join(dir!.path, `scheduler-${++seq}.db`) }),
  };
}

/** A real FerretDB (MongoDB wire protocol); fails naming the install command when it is missing. */
export function mongoBackend(): Backend {
  let ferret: FerretDb | undefined;
  return {
    name: 'MongoDB (FerretDB)',
    setUp: async () => {
      ferret = await startFerretDb();
    },
    tearDown: async () => ferret?.stop(),
    database: () => ({ Type: 'mongodb', Url: ferret!.url, Name: `scheduler_${process.pid}_${++seq}`, Timeout: '10s' }),
  };
}

export const BACKENDS = [sqliteBackend, mongoBackend];
