import { durationMs } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { CoreDataConfig } from './config.js';
import type { EventStore } from './store/types.js';

/**
 * EdgeX 3.1 reading-count retention (edgex-go core-data `Retention`): every Interval, when at least MaxCap
 * readings are stored, the events older than the MinCap-th newest reading (by origin) are deleted, with
 * their readings. Like EdgeX, the cut is by origin and whole events go; unlike EdgeX (which also deletes
 * at the cut's origin) nothing at the cut's origin is deleted, so never fewer than MinCap readings remain.
 */

export type RetentionConfig = CoreDataConfig['Retention'];

/** Events deleted per store call: each call is one bounded transaction, so ingest interleaves with a big pass. */
export const RETENTION_BATCH_EVENTS = 1000;

export interface RetentionPassResult {
  eventsRemoved: number;
  readingsBefore: number;
  readingsAfter: number;
  durationMs: number;
}

export interface RetentionPassOptions {
  batchEvents?: number;
  /** Checked between batches: a pass stops early once it returns true (the service is stopping). */
  stopped?: () => boolean;
}

/** One retention pass (what the timer runs). Returns undefined when fewer than MaxCap readings are stored. */
export async function runRetentionPass(
  store: EventStore,
  retention: Pick<RetentionConfig, 'MaxCap' | 'MinCap'>,
  options: RetentionPassOptions = {},
): Promise<RetentionPassResult | undefined> {
  const started = performance.now();
  const readingsBefore = await store.countReadings({});
  if (readingsBefore < retention.MaxCap) return undefined;
  // The MinCap-th newest reading: everything strictly older than it is beyond MinCap.
  const [cut] = await store.listReadings({}, { offset: retention.MinCap - 1, limit: 1 });
  if (!cut) return undefined;
  const batch = options.batchEvents ?? RETENTION_BATCH_EVENTS;
  let eventsRemoved = 0;
  for (;;) {
    const n = await store.deleteEventsOlderThan(cut.origin, batch);
    eventsRemoved += n;
    if (n < batch || options.stopped?.()) break;
  }
  const readingsAfter = await store.countReadings({});
  return { eventsRemoved, readingsBefore, readingsAfter, durationMs: performance.now() - started };
}

export interface RetentionDeps {
  store: EventStore;
  retention: RetentionConfig;
  log: Logger;
  /** Called after each pass that removed something (metrics). */
  onRemoved?: (result: RetentionPassResult) => void;
}

export interface RetentionTimer {
  /** Cancels the next pass and waits for a running one to end (it stops after its current batch). */
  stop(): Promise<void>;
}

/**
 * Runs a pass every Interval, the next one Interval after the previous ended (as edgex-go restarts its
 * timer), until stop(). Returns undefined when Retention.Enabled is false.
 */
export function startRetention(deps: RetentionDeps): RetentionTimer | undefined {
  const { store, retention, log } = deps;
  if (!retention.Enabled) return undefined;
  const intervalMs = durationMs(retention.Interval);
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (): Promise<void> => {
    try {
      const result = await runRetentionPass(store, retention, { stopped: () => stopped });
      if (result && result.eventsRemoved > 0) {
        deps.onRemoved?.(result);
        log.info(
          { ...result, durationMs: Math.round(result.durationMs) },
          `Retention removed ${result.eventsRemoved} events: ${result.readingsBefore} readings down to ${result.readingsAfter} (MaxCap ${retention.MaxCap}, MinCap ${retention.MinCap}) in ${Math.round(result.durationMs)} ms`,
        );
      }
    } catch (err) {
      log.error({ err }, 'Failed to purge events and readings');
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  log.info(`Retention enabled: every ${retention.Interval}, from ${retention.MaxCap} readings down to ${retention.MinCap}`);
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
