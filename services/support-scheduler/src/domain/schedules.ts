/**
 * v4 jobs and v3 intervals as schedules of the one engine, with the checks only the service can make: a cron
 * expression croner accepts, an interval no shorter than the engine's tick (ScheduleIntervalTime).
 */
import {
  EdgeXError,
  intervalDatetimeMs,
  parseDuration,
  restAddressUrl,
  type Interval,
  type IntervalAction,
  type ScheduleAction,
  type ScheduleJob,
} from '@edgex-ts/contracts';
import type { ScheduleSpec } from './engine.js';
import { parseCron, type Timing } from './timing.js';

export const jobKey = (name: string): string => `job/${name}`;
export const intervalKey = (name: string): string => `interval/${name}`;

/** A Go duration of at least one tick; ContractInvalid naming `field` otherwise. */
function periodOf(text: string, tickMs: number, field: string): number {
  const ms = parseDuration(text);
  if (ms < tickMs) throw new EdgeXError('ContractInvalid', `${field}: ${text} is shorter than the scheduler's tick of ${tickMs}ms (ScheduleIntervalTime)`);
  return ms;
}

/** The timing of a v4 job; throws ContractInvalid naming the field under `prefix` (e.g. `scheduleJob.definition`). */
export function jobTiming(job: ScheduleJob, tickMs: number, prefix: string): Timing {
  const d = job.definition;
  const window = { ...(d.startTimestamp ? { startMs: d.startTimestamp } : {}), ...(d.endTimestamp ? { endMs: d.endTimestamp } : {}) };
  if (d.type === 'CRON') return { kind: 'cron', cron: parseCron(d.crontab ?? '', `${prefix}.crontab`), ...window };
  return { kind: 'interval', periodMs: periodOf(d.interval ?? '', tickMs, `${prefix}.interval`), anchorMs: d.startTimestamp || (job.created ?? 0), ...window };
}

/** The timing of a v3 interval: every `interval` from `start` (local time; else from when it was added) until `end`. */
export function intervalTiming(interval: Interval, tickMs: number, prefix: string): Timing {
  const anchorMs = (interval.start ? intervalDatetimeMs(interval.start) : undefined) ?? interval.created ?? 0;
  const endMs = interval.end ? intervalDatetimeMs(interval.end) : undefined;
  return { kind: 'interval', periodMs: periodOf(interval.interval, tickMs, `${prefix}.interval`), anchorMs, ...(endMs !== undefined ? { endMs } : {}) };
}

export function jobSpec(job: ScheduleJob, tickMs: number): ScheduleSpec {
  return {
    key: jobKey(job.name),
    name: job.name,
    timing: jobTiming(job, tickMs, 'scheduleJob.definition'),
    runOnceAfterMissed: job.autoTriggerMissedRecords ?? false,
    enabled: job.adminState === 'UNLOCKED',
    since: job.modified ?? job.created ?? 0,
  };
}

/** v3 intervals have no admin state (their actions have); missed runs are skipped unless the interval says otherwise. */
export function intervalSpec(interval: Interval, tickMs: number): ScheduleSpec {
  return {
    key: intervalKey(interval.name),
    name: interval.name,
    timing: intervalTiming(interval, tickMs, 'interval'),
    runOnceAfterMissed: interval.autoTriggerMissedRecords ?? false,
    enabled: true,
    since: interval.modified ?? interval.created ?? 0,
  };
}

/** A v3 interval action as the v4 REST action it is (what its records carry). */
export function intervalActionAsScheduleAction(a: IntervalAction): ScheduleAction {
  return {
    ...(a.id ? { id: a.id } : {}),
    type: 'REST',
    address: restAddressUrl(a.address),
    method: a.address.httpMethod,
    ...(a.contentType ? { contentType: a.contentType } : {}),
    ...(a.content ? { payload: Buffer.from(a.content, 'utf8').toString('base64') } : {}),
  };
}
