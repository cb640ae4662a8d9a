import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { EdgeXLogLevel } from './config-schema.js';

export type { Logger } from 'pino';

const PINO_LEVEL: Record<EdgeXLogLevel, LevelWithSilent> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Maps an EdgeX log level name (case-insensitive) to pino's; unknown names fall back to 'info'. */
export function pinoLevelOf(level: string): LevelWithSilent {
  return PINO_LEVEL[level.toUpperCase() as EdgeXLogLevel] ?? 'info';
}

/** JSON logs to stdout (or `destination`), with binding {service}. */
export function createLogger(service: string, level: string = 'INFO', destination?: DestinationStream): Logger {
  const options = { level: pinoLevelOf(level), base: { service } };
  return destination ? pino(options, destination) : pino(options);
}

/** Changes the level at runtime (e.g. when Writable.LogLevel changes). */
export function setLogLevel(log: Logger, level: string): void {
  log.level = pinoLevelOf(level);
}
