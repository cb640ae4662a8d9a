/**
 * What a run of a schedule does: load the schedule's actions (a job's own, or the unlocked actions of a v3
 * interval), carry them out side by side, and keep one ScheduleActionRecord per action.
 */
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { errorMessage, newUuid, type ScheduleAction, type ScheduleActionRecord, type ScheduleActionRecordStatus } from '@edgex-ts/contracts';
import type { SchedulerStores } from '../store/types.js';
import { runAction, type ActionTargets } from './actions.js';
import type { EngineDeps, MissedReason, RunReason, ScheduleSpec } from './engine.js';
import { intervalActionAsScheduleAction, intervalKey, jobKey } from './schedules.js';

export interface RunnerDeps {
  stores: SchedulerStores;
  targets: ActionTargets;
  log: Logger;
  /** support_scheduler_action_runs_total{status}. */
  runs: Counter<'status'>;
}

export function createRunner(deps: RunnerDeps): Pick<EngineDeps, 'run' | 'missed'> {
  const { stores, log } = deps;

  async function actionsOf(spec: ScheduleSpec): Promise<ScheduleAction[]> {
    if (spec.key === jobKey(spec.name)) {
      const job = await stores.jobs.byName(spec.name);
      return job?.actions ?? [];
    }
    if (spec.key === intervalKey(spec.name)) {
      const actions = await stores.intervalActions.byInterval(spec.name);
      return actions.filter((a) => a.adminState === 'UNLOCKED').map(intervalActionAsScheduleAction);
    }
    return [];
  }

  async function keep(records: ScheduleActionRecord[]): Promise<void> {
    for (const r of records) deps.runs.inc({ status: r.status });
    if (records.length > 0) await stores.records.add(records);
  }

  const record = (spec: ScheduleSpec, action: ScheduleAction, status: ScheduleActionRecordStatus, scheduledAt: number, created: number) => ({
    id: newUuid(),
    jobName: spec.name,
    action,
    status,
    scheduledAt,
    created,
  });

  return {
    async run(spec: ScheduleSpec, dueAt: number, reason: RunReason): Promise<void> {
      const actions = await actionsOf(spec);
      const outcomes = await Promise.allSettled(actions.map((a) => runAction(a, deps.targets)));
      const created = Date.now();
      const records = actions.map((a, i) => {
        const outcome = outcomes[i];
        if (outcome.status === 'rejected') {
          log.warn({ schedule: spec.key, action: a.type, reason, err: errorMessage(outcome.reason) }, `${spec.key}: ${a.type} action failed`);
        }
        return record(spec, a, outcome.status === 'fulfilled' ? 'SUCCEEDED' : 'FAILED', dueAt, created);
      });
      log.debug({ schedule: spec.key, reason, dueAt, actions: actions.length }, `${spec.key}: ran`);
      await keep(records);
    },
    async missed(spec: ScheduleSpec, dueTimes: number[], reason: MissedReason): Promise<void> {
      const actions = await actionsOf(spec);
      const created = Date.now();
      log.debug({ schedule: spec.key, reason, missed: dueTimes.length }, `${spec.key}: recording missed runs`);
      await keep(dueTimes.flatMap((at) => actions.map((a) => record(spec, a, 'MISSED', at, created))));
    },
  };
}
