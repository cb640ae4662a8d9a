import type { Logger } from 'pino';
import { errorMessage } from '@edgex-ts/contracts';
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
 * oldest go until MinCap remain. Returns the function that stops it.
 */
export function startRetention(records: RecordStore, settings: RetentionSettings, log: Logger): () => void {
  let pass: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    pass = pass.then(async () => {
      try {
        const removed = await applyRetention(records, settings);
        if (removed > 0) log.info({ removed }, `retention: removed the ${removed} oldest schedule action records`);
      } catch (err) {
        log.error({ err: errorMessage(err) }, 'retention of schedule action records failed');
      }
    });
  }, settings.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
