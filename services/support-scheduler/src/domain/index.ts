/**
 * support-scheduler's rules, over the store and the engine: v4 jobs and v3 intervals/interval actions are kept in
 * the store and, as schedules, in the engine; every change to one is a change to the other. Knows nothing of HTTP
 * or gRPC; throws EdgeXErrors whose messages name the field.
 */
import type { Logger } from 'pino';
import {
  EdgeXError,
  errorMessage,
  newUuid,
  parseDto,
  IntervalActionSchema,
  IntervalSchema,
  ScheduleJobSchema,
  type Interval,
  type IntervalAction,
  type ScheduleActionRecord,
  type ScheduleJob,
  type UpdateInterval,
  type UpdateIntervalAction,
  type UpdateScheduleJob,
} from '@edgex-ts/contracts';
import type { ListQuery, PageOf, RecordQuery, SchedulerStores } from '../store/types.js';
import { ScheduleEngine, type EngineDeps } from './engine.js';
import { intervalKey, intervalSpec, intervalTiming, jobKey, jobSpec, jobTiming } from './schedules.js';

export { ScheduleEngine, type ScheduleSpec } from './engine.js';
export { createRunner, type RunnerDeps } from './runner.js';
export { runAction, type ActionTargets } from './actions.js';
export { applyRetention, startRetention } from './retention.js';
export { seedFromConfig, type SeedConfig } from './seed.js';

export interface SchedulerDomainDeps extends Pick<EngineDeps, 'run' | 'missed' | 'maxMissedRecords'> {
  stores: SchedulerStores;
  log: Logger;
  /** ScheduleIntervalTime, ms: the shortest interval accepted. */
  tickMs: number;
  now?: () => number;
}

export interface SchedulerDomain {
  jobs: {
    add(job: ScheduleJob): Promise<{ id: string }>;
    /** PATCH: the fields given replace the job's (found by id, else name). */
    update(patch: UpdateScheduleJob): Promise<void>;
    byName(name: string): Promise<ScheduleJob>;
    list(query: ListQuery): Promise<PageOf<ScheduleJob>>;
    deleteByName(name: string): Promise<void>;
    /** Starts a run now (202); it finishes, and is recorded, on its own. */
    trigger(name: string): Promise<void>;
  };
  intervals: {
    add(interval: Interval): Promise<{ id: string }>;
    update(patch: UpdateInterval): Promise<void>;
    byName(name: string): Promise<Interval>;
    list(query: ListQuery): Promise<PageOf<Interval>>;
    deleteByName(name: string): Promise<void>;
  };
  intervalActions: {
    add(action: IntervalAction): Promise<{ id: string }>;
    update(patch: UpdateIntervalAction): Promise<void>;
    byName(name: string): Promise<IntervalAction>;
    list(query: ListQuery): Promise<PageOf<IntervalAction>>;
    deleteByName(name: string): Promise<void>;
  };
  records: {
    list(query: RecordQuery): Promise<PageOf<ScheduleActionRecord>>;
    latestOfJob(name: string): Promise<ScheduleActionRecord[]>;
  };
  /** Puts every stored schedule into the engine, handling the runs missed while the service was down. */
  restore(): Promise<void>;
  /** No run starts any more; resolves when those going on have finished. */
  stop(): Promise<void>;
  readonly engine: ScheduleEngine;
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new EdgeXError('NotFound', `${what} does not exist`);
  return value;
}

export function createSchedulerDomain(deps: SchedulerDomainDeps): SchedulerDomain {
  const { stores, tickMs } = deps;
  const now = deps.now ?? Date.now;
  const engine = new ScheduleEngine({ run: deps.run, missed: deps.missed, maxMissedRecords: deps.maxMissedRecords, state: stores.state, log: deps.log, now });

  /** An entity found by id when one is given, else by name; a name that differs from the found one's is refused. */
  async function byIdOrName<T extends { name: string }>(
    store: { byId(id: string): Promise<T | undefined>; byName(name: string): Promise<T | undefined> },
    patch: { id?: string; name?: string },
    what: string,
  ): Promise<T> {
    const entity = patch.id
      ? found(await store.byId(patch.id), `${what} with id ${patch.id}`)
      : found(await store.byName(patch.name!), `${what} ${patch.name}`);
    if (patch.name !== undefined && patch.name !== entity.name) {
      throw new EdgeXError('ContractInvalid', `${what} name '${patch.name}' does not match the existing '${entity.name}'`);
    }
    return entity;
  }

  const withoutUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

  const jobs: SchedulerDomain['jobs'] = {
    async add(input) {
      const t = now();
      const job: ScheduleJob = { ...input, id: input.id || newUuid(), created: t, modified: t, actions: input.actions.map((a) => ({ ...a, id: newUuid() })) };
      const spec = jobSpec(job, tickMs);
      await stores.jobs.add(job);
      engine.set(spec);
      return { id: job.id! };
    },
    async update(patch) {
      const job = await byIdOrName(stores.jobs, patch, 'schedule job');
      const { actions, ...fields } = withoutUndefined(patch);
      const merged = parseDto(
        ScheduleJobSchema,
        { ...job, ...fields, ...(actions ? { actions: actions.map((a) => ({ ...a, id: newUuid() })) } : {}), modified: now() },
        'scheduleJob',
      );
      jobTiming(merged, tickMs, 'scheduleJob.definition');
      if (!(await stores.jobs.update(merged))) throw new EdgeXError('NotFound', `schedule job ${job.name} does not exist`);
      engine.set(jobSpec(merged, tickMs));
    },
    byName: async (name) => found(await stores.jobs.byName(name), `schedule job ${name}`),
    list: (query) => stores.jobs.list(query),
    async deleteByName(name) {
      if (!(await stores.jobs.deleteByName(name))) throw new EdgeXError('NotFound', `schedule job ${name} does not exist`);
      engine.remove(jobKey(name));
      await stores.state.forget(jobKey(name));
    },
    async trigger(name) {
      const job = found(await stores.jobs.byName(name), `schedule job ${name}`);
      if (job.adminState === 'LOCKED') throw new EdgeXError('ServiceLocked', `schedule job ${name} is LOCKED`);
      if (!engine.has(jobKey(name))) engine.set(jobSpec(job, tickMs));
      if (!engine.trigger(jobKey(name))) throw new EdgeXError('StatusConflict', `schedule job ${name} is running; trigger it again when that run has finished`);
    },
  };

  const intervals: SchedulerDomain['intervals'] = {
    async add(input) {
      const t = now();
      const interval: Interval = { ...input, id: input.id || newUuid(), created: t, modified: t };
      const spec = intervalSpec(interval, tickMs);
      await stores.intervals.add(interval);
      engine.set(spec);
      return { id: interval.id! };
    },
    async update(patch) {
      const interval = await byIdOrName(stores.intervals, patch, 'interval');
      const merged = parseDto(IntervalSchema, { ...interval, ...withoutUndefined(patch), modified: now() }, 'interval');
      intervalTiming(merged, tickMs, 'interval');
      if (!(await stores.intervals.update(merged))) throw new EdgeXError('NotFound', `interval ${interval.name} does not exist`);
      engine.set(intervalSpec(merged, tickMs));
    },
    byName: async (name) => found(await stores.intervals.byName(name), `interval ${name}`),
    list: (query) => stores.intervals.list(query),
    async deleteByName(name) {
      found(await stores.intervals.byName(name), `interval ${name}`);
      const actions = await stores.intervalActions.byInterval(name);
      if (actions.length > 0) {
        throw new EdgeXError('StatusConflict', `interval ${name} is still used by interval action(s) ${actions.map((a) => a.name).join(', ')}`);
      }
      await stores.intervals.deleteByName(name);
      engine.remove(intervalKey(name));
      await stores.state.forget(intervalKey(name));
    },
  };

  const intervalActions: SchedulerDomain['intervalActions'] = {
    async add(input) {
      found(await stores.intervals.byName(input.intervalName), `interval ${input.intervalName}`);
      const t = now();
      const action: IntervalAction = { ...input, id: input.id || newUuid(), created: t, modified: t };
      await stores.intervalActions.add(action);
      return { id: action.id! };
    },
    async update(patch) {
      const action = await byIdOrName(stores.intervalActions, patch, 'interval action');
      if (patch.intervalName !== undefined) found(await stores.intervals.byName(patch.intervalName), `interval ${patch.intervalName}`);
      const merged = parseDto(IntervalActionSchema, { ...action, ...withoutUndefined(patch), modified: now() }, 'action');
      if (!(await stores.intervalActions.update(merged))) throw new EdgeXError('NotFound', `interval action ${action.name} does not exist`);
    },
    byName: async (name) => found(await stores.intervalActions.byName(name), `interval action ${name}`),
    list: (query) => stores.intervalActions.list(query),
    async deleteByName(name) {
      if (!(await stores.intervalActions.deleteByName(name))) throw new EdgeXError('NotFound', `interval action ${name} does not exist`);
    },
  };

  return {
    jobs,
    intervals,
    intervalActions,
    records: {
      list: (query) => stores.records.list(query),
      latestOfJob: (name) => stores.records.latestOfJob(name),
    },
    async restore() {
      const all = { offset: 0, limit: -1 };
      const specs = [
        ...(await stores.jobs.list(all)).items.map((job) => () => jobSpec(job, tickMs)),
        ...(await stores.intervals.list(all)).items.map((interval) => () => intervalSpec(interval, tickMs)),
      ];
      for (const specOf of specs) {
        try {
          await engine.restore(specOf());
        } catch (err) {
          // e.g. an interval below a ScheduleIntervalTime raised since it was stored: the others still run.
          deps.log.error({ err: errorMessage(err) }, `a stored schedule cannot run: ${errorMessage(err)}`);
        }
      }
    },
    stop: () => engine.stop(),
    engine,
  };
}
