/**
 * The one scheduling engine: v4 jobs and v3 intervals are both schedules in it. A single timer is armed for the
 * earliest due schedule; when it fires every due schedule starts a run (never waited for, so a slow target never
 * delays another schedule) and its due time is remembered, so that a restart can tell which runs were missed.
 * A schedule whose previous run is still going does not start another: that due time is recorded as missed.
 */
import type { Logger } from 'pino';
import { errorMessage } from '@edgex-ts/contracts';
import type { ScheduleStateStore } from '../store/types.js';
import { dueTimesBetween, nextDue, type Timing } from './timing.js';

export interface ScheduleSpec {
  /** Unique across kinds: `job/<name>`, `interval/<name>`. */
  key: string;
  /** The name records carry (jobName). */
  name: string;
  timing: Timing;
  /** After a restart, run once for the runs missed while down (true), or only record them (false). */
  runOnceAfterMissed: boolean;
  /** false (LOCKED): not run by the clock. */
  enabled: boolean;
  /** ms: when the schedule was last changed; missed runs are counted from here when it never ran. */
  since: number;
}

export type RunReason = 'scheduled' | 'triggered' | 'catch-up';
/** down: the service was not running; overlap: the previous run was still going; late: the process was held past several due times. */
export type MissedReason = 'down' | 'overlap' | 'late';

export interface EngineDeps {
  /** Runs the schedule's actions and records them; resolves when done (bounded by the actions' timeouts). */
  run(spec: ScheduleSpec, dueAt: number, reason: RunReason): Promise<void>;
  /** Records runs that did not happen. */
  missed(spec: ScheduleSpec, dueTimes: number[], reason: MissedReason): Promise<void>;
  state: ScheduleStateStore;
  log: Logger;
  /** How many missed runs of one schedule are recorded after a restart (the latest ones). */
  maxMissedRecords: number;
  now?: () => number;
}

interface Entry {
  spec: ScheduleSpec;
  next: number | undefined;
  running: Promise<void> | undefined;
}

/** Timers longer than this are re-armed (setTimeout cannot wait beyond ~24.8 days; clocks may jump). */
const MAX_TIMER_MS = 60_000;

export class ScheduleEngine {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Puts a schedule persisted before this start into the engine: the runs due while the service was down are
   * logged and recorded as MISSED, and with runOnceAfterMissed its actions run once now.
   */
  async restore(spec: ScheduleSpec): Promise<void> {
    const now = this.now();
    if (spec.enabled) {
      const last = await this.deps.state.lastRun(spec.key);
      const from = Math.max(last ?? spec.since, spec.since);
      const { times, total, last: lastMissed } = dueTimesBetween(spec.timing, from, now, this.deps.maxMissedRecords);
      if (lastMissed !== undefined) {
        const policy = spec.runOnceAfterMissed ? 'running it once now' : 'skipping them';
        this.deps.log.warn(
          { schedule: spec.key, missed: total, firstRecorded: times[0] && new Date(times[0]).toISOString(), last: new Date(lastMissed).toISOString() },
          `${spec.key}: ${total} run(s) missed while the service was down; ${policy}`,
        );
        if (times.length > 0) await this.deps.missed(spec, times, 'down');
        await this.deps.state.setLastRun(spec.key, lastMissed);
        if (spec.runOnceAfterMissed) this.start(this.entryOf(spec), now, 'catch-up');
      }
    }
    // From the same instant the missed runs were counted to: a run due while they were being recorded still runs.
    this.set(spec, now);
  }

  /** Adds or replaces a schedule; its next run is the first due time after `fromMs` (default: now). */
  set(spec: ScheduleSpec, fromMs = this.now()): void {
    const entry = this.entryOf(spec);
    entry.spec = spec;
    entry.next = spec.enabled ? nextDue(spec.timing, fromMs) : undefined;
    this.arm();
  }

  remove(key: string): void {
    this.entries.delete(key);
    this.arm();
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Whether a run of the schedule is going on. */
  isRunning(key: string): boolean {
    return this.entries.get(key)?.running !== undefined;
  }

  /** Starts a run of the schedule now, outside its clock; false when one is still going (runs are not stacked). */
  trigger(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.running) return false;
    this.start(entry, this.now(), 'triggered');
    return true;
  }

  /** No more runs start; resolves when the runs going on have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.entries.values()].flatMap((e) => (e.running ? [e.running] : [])));
  }

  private entryOf(spec: ScheduleSpec): Entry {
    let entry = this.entries.get(spec.key);
    if (!entry) {
      entry = { spec, next: undefined, running: undefined };
      this.entries.set(spec.key, entry);
    }
    return entry;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    let earliest: number | undefined;
    for (const e of this.entries.values()) if (e.next !== undefined && (earliest === undefined || e.next < earliest)) earliest = e.next;
    if (earliest === undefined) return;
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(earliest - this.now(), 0), MAX_TIMER_MS));
    this.timer.unref();
  }

  private fire(): void {
    const now = this.now();
    for (const entry of this.entries.values()) {
      const due = entry.next;
      if (due === undefined || due > now) continue;
      const { spec } = entry;
      const { times: late } = dueTimesBetween(spec.timing, due, now, this.deps.maxMissedRecords);
      entry.next = nextDue(spec.timing, now);
      if (late.length > 0) {
        // The process was held (a sleeping host, a blocked loop) past further due times: the latest runs now, the others are missed.
        this.deps
          .missed(spec, [due, ...late.slice(0, -1)], 'late')
          .catch((err: unknown) => this.deps.log.error({ err, schedule: spec.key }, 'recording missed runs failed'));
      }
      const runAt = late.at(-1) ?? due;
      if (entry.running) {
        this.deps.log.warn({ schedule: spec.key, dueAt: runAt }, `${spec.key}: the previous run is still going; this run is skipped`);
        this.deps.missed(spec, [runAt], 'overlap').catch((err: unknown) => this.deps.log.error({ err, schedule: spec.key }, 'recording a missed run failed'));
      } else {
        this.start(entry, runAt, 'scheduled');
      }
      this.deps.state.setLastRun(spec.key, runAt).catch((err: unknown) => this.deps.log.error({ err, schedule: spec.key }, 'saving the last run failed'));
    }
    this.arm();
  }

  private start(entry: Entry, dueAt: number, reason: RunReason): void {
    const { spec } = entry;
    entry.running = this.deps
      .run(spec, dueAt, reason)
      .catch((err: unknown) => this.deps.log.error({ schedule: spec.key, err: errorMessage(err) }, `${spec.key}: run failed`))
      .finally(() => {
        entry.running = undefined;
      });
  }
}
