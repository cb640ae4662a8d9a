import { durationMs, startPeriodicTask, type Logger, type PeriodicTask } from '@edgex-ts/runtime';
import type { SupportLoggingConfig } from './config.js';
import type { LoggingDomain } from './domain/index.js';

export type RetentionConfig = SupportLoggingConfig['Retention'];

/** Entries removed per store call, so that a large pass is many short transactions and ingest interleaves. */
export const RETENTION_BATCH = 5000;

export interface RetentionPassResult {
  removedByAge: number;
  removedByCap: number;
}

/**
 * One pass: entries older than MaxAge go; then, when MaxCap or more remain, the oldest go until MinCap remain.
 * `stopped` is checked between batches.
 */
export async function runRetentionPass(domain: LoggingDomain, retention: RetentionConfig, stopped: () => boolean = () => false): Promise<RetentionPassResult> {
  const maxAgeMs = durationMs(retention.MaxAge);
  const removedByAge = maxAgeMs > 0 ? await domain.removeOlderThan(maxAgeMs, 'age') : 0;
  let removedByCap = 0;
  const stored = await domain.store.count({});
  if (stored >= retention.MaxCap) {
    let excess = stored - retention.MinCap;
    while (excess > 0 && !stopped()) {
      const n = await domain.store.removeOldest(Math.min(excess, RETENTION_BATCH));
      if (n === 0) break;
      removedByCap += n;
      excess -= n;
    }
  }
  return { removedByAge, removedByCap };
}

/** Runs a pass at start and then every Interval after the previous one ended; undefined when Retention.Enabled is false. */
export function startRetention(domain: LoggingDomain, retention: RetentionConfig, log: Logger, onCapRemoved: (n: number) => void): PeriodicTask | undefined {
  if (!retention.Enabled) return undefined;
  return startPeriodicTask({
    intervalMs: durationMs(retention.Interval),
    firstDelayMs: 0,
    log,
    failure: 'Retention pass failed',
    pass: async (stopped) => {
      const r = await runRetentionPass(domain, retention, stopped);
      if (r.removedByCap > 0) onCapRemoved(r.removedByCap);
      if (r.removedByAge + r.removedByCap > 0) {
        log.info(r, `Retention removed ${r.removedByAge} log entries older than ${retention.MaxAge} and ${r.removedByCap} beyond MaxCap ${retention.MaxCap}`);
      }
    },
  });
}
