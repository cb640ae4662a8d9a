import { pino } from 'pino';
import { startSupportLogging, type SupportLoggingConfigInput, type SupportLoggingHandle } from '../index.js';
import type { DatabaseSection } from '../../../../test/helpers/sqlite-databases.js';

/** support-logging on ephemeral ports (or `port`), quiet, with the given store and config. */
export function startTestSupportLogging(database: DatabaseSection, overrides: SupportLoggingConfigInput = {}, port = 0): Promise<SupportLoggingHandle> {
  return startSupportLogging({
    configOverrides: { ...overrides, Service: { Port: port, GrpcPort: 0, Host: '127.0.0.1', ...overrides.Service }, Database: database },
    env: {},
    argv: [],
    log: pino({ level: 'silent' }),
  });
}
