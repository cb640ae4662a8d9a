import type { Logger } from 'pino';
import { startPeriodicTask, type PeriodicTask } from '@edgex-ts/runtime';
import type { RecordStore } from '../store/types.js';

export interface RetentionSettings {
  intervalMs: number;
  maxCap: number;
  minCap: number;
}

/** One retention pass: when more than maxCap records are kept, the oldest go until minCap remain; returns how many went. */
export async function applyRetention(records: RecordStore, settings: Pick<RetentionSettings, 'maxCap' | 'minCap'>): Promise<number> {
  const count = await records.count();
  return count > settings.maxCap ? records.deleteOldest(count - settings.minCap) : 0;
}

/**
 * EdgeX v4's retention of schedule action records: every interval, when more than MaxCap records are kept, the
 * oldest go until MinCap remain.
 */
export function startRetention(records: RecordStore, settings: RetentionSettings, log: Logger): PeriodicTask {
  return startPeriodicTask({
    intervalMs: settings.intervalMs,
    log,
    failure: 'retention of schedule action records failed',
    pass: async () => {
      const removed = await applyRetention(records, settings);
      if (removed > 0) log.info({ removed }, `retention: removed the ${removed} oldest schedule action records`);
    },
  });
}
