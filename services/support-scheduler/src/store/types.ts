/**
 * The storage contract of support-scheduler: v3 intervals and interval actions, v4 jobs, the action records of
 * every run, and the engine's own state (each schedule's last due run; the names seeded from the configuration).
 * Stores speak the DTO shapes and hold no rules beyond unique ids and names (a clash: EdgeXError DuplicateName).
 */
import type { Interval, IntervalAction, ScheduleActionRecord, ScheduleActionRecordStatus, ScheduleJob } from '@edgex-ts/contracts';

export interface ListQuery {
  offset: number;
  /** -1 = no limit. */
  limit: number;
  /** Only entities carrying every one of these labels (jobs). */
  labels?: string[];
}

export interface PageOf<T> {
  totalCount: number;
  items: T[];
}

/** One aggregate keyed by unique id and unique name. */
export interface EntityStore<T> {
  /** Throws EdgeXError DuplicateName when the id or name exists. */
  add(entity: T): Promise<void>;
  /** Replaces the entity with the same id; false when there is none. */
  update(entity: T): Promise<boolean>;
  byName(name: string): Promise<T | undefined>;
  byId(id: string): Promise<T | undefined>;
  deleteByName(name: string): Promise<boolean>;
  /** Ordered by created, then name. */
  list(query: ListQuery): Promise<PageOf<T>>;
}

export interface IntervalActionStore extends EntityStore<IntervalAction> {
  /** Every action of that interval (the interval's run executes them). */
  byInterval(intervalName: string): Promise<IntervalAction[]>;
}

export interface RecordQuery {
  offset: number;
  limit: number;
  jobName?: string;
  status?: ScheduleActionRecordStatus;
  /** created ≥ start (ms). */
  start?: number;
  /** created ≤ end (ms). */
  end?: number;
}

export interface RecordStore {
  add(records: ScheduleActionRecord[]): Promise<void>;
  /** Newest first (created, then scheduledAt, descending). */
  list(query: RecordQuery): Promise<PageOf<ScheduleActionRecord>>;
  /** The records of the job's latest run (all those with its newest `created`); [] when none. */
  latestOfJob(jobName: string): Promise<ScheduleActionRecord[]>;
  count(): Promise<number>;
  /** Removes the `count` oldest records (by created); returns how many went. */
  deleteOldest(count: number): Promise<number>;
}

/** The engine's memory across restarts. */
export interface ScheduleStateStore {
  /** The due time (ms) of the schedule's last run, or undefined when it never ran. */
  lastRun(scheduleKey: string): Promise<number | undefined>;
  setLastRun(scheduleKey: string, dueAt: number): Promise<void>;
  forget(scheduleKey: string): Promise<void>;
  /** Whether a configuration entry of this kind and name was ever seeded (so a deleted one is not seeded again). */
  wasSeeded(kind: string, name: string): Promise<boolean>;
  markSeeded(kind: string, name: string): Promise<void>;
}

export interface SchedulerStores {
  intervals: EntityStore<Interval>;
  intervalActions: IntervalActionStore;
  jobs: EntityStore<ScheduleJob>;
  records: RecordStore;
  state: ScheduleStateStore;
  close(): Promise<void>;
}
