/**
 * When a schedule is due: every `periodMs` on a grid from its anchor, or on a cron expression (croner, seconds
 * optional, EdgeX's `CRON_TZ=` / `TZ=` prefix for the time zone), within its optional start and end. Pure functions.
 */
import { Cron } from 'croner';
import { EdgeXError, errorMessage } from '@edgex-ts/contracts';

interface Window {
  /** ms since the epoch: nothing is due before. */
  startMs?: number;
  /** ms since the epoch: nothing is due after. */
  endMs?: number;
}

export type Timing = Window & ({ kind: 'interval'; periodMs: number; anchorMs: number } | { kind: 'cron'; cron: Cron });

const TZ_PREFIX = /^(?:CRON_TZ|TZ)=(\S+)\s+/;

/**
 * A cron expression as EdgeX v4 takes it (5 fields, or 6 with seconds first; `@daily`-style nicknames; an optional
 * `CRON_TZ=<zone>` prefix, else local time). Throws ContractInvalid naming `field` when it is none.
 */
export function parseCron(crontab: string, field: string): Cron {
  const tz = TZ_PREFIX.exec(crontab.trim());
  const pattern = tz ? crontab.trim().slice(tz[0].length) : crontab.trim();
  try {
    const cron = new Cron(pattern, { paused: true, mode: '5-or-6-parts', ...(tz ? { timezone: tz[1] } : {}) });
    if (cron.nextRun() === null) throw new Error('it is never due');
    return cron;
  } catch (err) {
    throw new EdgeXError('ContractInvalid', `${field}: invalid cron expression "${crontab}": ${errorMessage(err)}`, err);
  }
}

/** The first due time after `afterMs` (strictly), or undefined when the schedule is over. */
export function nextDue(t: Timing, afterMs: number): number | undefined {
  const from = t.startMs !== undefined ? Math.max(afterMs, t.startMs - 1) : afterMs;
  let due: number | undefined;
  if (t.kind === 'interval') {
    due = from < t.anchorMs ? t.anchorMs : t.anchorMs + (Math.floor((from - t.anchorMs) / t.periodMs) + 1) * t.periodMs;
  } else {
    due = t.cron.nextRun(new Date(from))?.getTime();
  }
  return due !== undefined && (t.endMs === undefined || due <= t.endMs) ? due : undefined;
}

/**
 * The due times in (fromMs, toMs]: at most `max` of them (the latest ones), how many there were in all (counted up
 * to `countLimit` for cron schedules, which must be walked one by one) and the latest one.
 */
export function dueTimesBetween(t: Timing, fromMs: number, toMs: number, max: number, countLimit = 100_000): { times: number[]; total: number; last?: number } {
  const times: number[] = [];
  let total = 0;
  let last: number | undefined;
  for (let due = nextDue(t, fromMs); due !== undefined && due <= toMs && total < countLimit; due = nextDue(t, due)) {
    if (t.kind === 'interval' && total === 0) {
      // A grid: count arithmetically and keep only the latest `max`.
      const last = Math.min(toMs, t.endMs ?? toMs);
      total = Math.floor((last - due) / t.periodMs) + 1;
      for (let k = Math.max(0, total - max); k < total; k++) times.push(due + k * t.periodMs);
      return { times, total, last: due + (total - 1) * t.periodMs };
    }
    total++;
    last = due;
    times.push(due);
    if (times.length > max) times.shift();
  }
  return { times, total, ...(last !== undefined ? { last } : {}) };
}
