import { durationMs, startPeriodicTask, type PeriodicTask } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { SupportNotificationsConfig } from './config.js';
import type { NotificationStore } from './store/types.js';

/**
 * EdgeX v4 retention of support-notifications (`Retention.Enabled/Interval/MaxCap/MinCap`): every Interval, when at
 * least MaxCap notifications are stored, the oldest (by created) go with their transmissions until MinCap remain.
 * The same shape as core-data's retention (services/core-data/src/retention.ts): a timer restarted after each pass,
 * bounded batches, stop() waits for a running pass.
 */
export type RetentionConfig = SupportNotificationsConfig['Retention'];

/** Notifications deleted per store call, so REST requests interleave with a big pass. */
export const RETENTION_BATCH = 1000;

export interface RetentionPassResult {
  removed: number;
  before: number;
}

export async function runRetentionPass(
  store: NotificationStore,
  retention: Pick<RetentionConfig, 'MaxCap' | 'MinCap'>,
  stopped: () => boolean = () => false,
): Promise<RetentionPassResult | undefined> {
  const before = await store.count();
  if (before < retention.MaxCap) return undefined;
  let removed = 0;
  for (;;) {
    const n = await store.deleteBeyondNewest(retention.MinCap, RETENTION_BATCH);
    removed += n;
    if (n < RETENTION_BATCH || stopped()) break;
  }
  return { removed, before };
}

/** Runs a pass every Interval until stop(); undefined when Retention.Enabled is false. */
export function startRetention(store: NotificationStore, retention: RetentionConfig, log: Logger, onRemoved?: (n: number) => void): PeriodicTask | undefined {
  if (!retention.Enabled) return undefined;
  log.info(`Retention enabled: every ${retention.Interval}, from ${retention.MaxCap} notifications down to ${retention.MinCap}`);
  return startPeriodicTask({
    intervalMs: durationMs(retention.Interval),
    log,
    failure: 'Failed to purge notifications and transmissions',
    pass: async (stopped) => {
      const result = await runRetentionPass(store, retention, stopped);
      if (result && result.removed > 0) {
        onRemoved?.(result.removed);
        log.info(result, `Retention removed ${result.removed} notifications of ${result.before} (MaxCap ${retention.MaxCap}, MinCap ${retention.MinCap})`);
      }
    },
  });
}
