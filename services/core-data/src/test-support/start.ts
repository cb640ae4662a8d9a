import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoreData, type CoreDataHandle } from '../index.js';
import type { CoreDataConfigInput } from '../config.js';

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'core-data-')), 'core-data.db');
}

/** core-data on ephemeral ports with its own SQLite file; bus disabled unless a broker port is given. */
export function startTestCoreData(
  opts: { dbPath?: string; brokerPort?: number; clientId?: string; overrides?: CoreDataConfigInput } = {},
): Promise<CoreDataHandle> {
  const bus: CoreDataConfigInput['MessageBus'] = opts.brokerPort
    ? { Host: '127.0.0.1', Port: opts.brokerPort, Optional: { ClientId: opts.clientId ?? 'core-data' } }
    : { Disabled: true };
  return startCoreData({
    argv: [],
    env: {},
    configOverrides: {
      Service: { Port: 0, GrpcPort: 0, Host: '127.0.0.1', ServerBindAddr: '127.0.0.1' },
      Writable: { LogLevel: 'ERROR' },
      Database: { Path: opts.dbPath ?? tempDbPath() },
      MessageBus: bus,
      ...opts.overrides,
    },
  });
}
