import { EdgeXError, SCHEDULE_ACTION_RECORD_STATUSES, supportschedulerV1 as pb, type ScheduleActionRecordStatus } from '@edgex-ts/contracts';
import { grpcUnary, pageFromProto } from '@edgex-ts/runtime';
import type { Logger } from 'pino';
import type { SchedulerDomain } from '../domain/index.js';
import { intervalActionFromProto, intervalActionToProto, intervalFromProto, intervalToProto, jobFromProto, jobToProto, recordToProto } from './mappers.js';

function name(value: string, field = 'name'): string {
  if (value.trim() === '') throw new EdgeXError('ContractInvalid', `${field}: is required`);
  return value;
}

function status(value: string): ScheduleActionRecordStatus | undefined {
  if (value === '') return undefined;
  if (!(SCHEDULE_ACTION_RECORD_STATUSES as readonly string[]).includes(value)) {
    throw new EdgeXError('ContractInvalid', `status: expected one of ${SCHEDULE_ACTION_RECORD_STATUSES.join(', ')}, got ${value}`);
  }
  return value as ScheduleActionRecordStatus;
}

/** edgex.supportscheduler.v1.SupportSchedulerService over the domain (the same rules as REST). */
export function supportSchedulerGrpcService(domain: SchedulerDomain, maxResultCount: number, log: Logger): pb.SupportSchedulerServiceServer {
  const unary = <Req, Res>(fn: (req: Req) => Promise<Res>) => grpcUnary<Req, Res>(fn, log);
  return {
    addScheduleJob: unary(async (req: pb.AddScheduleJobRequest) => domain.jobs.add(jobFromProto(req.scheduleJob, 'schedule_job'))),
    updateScheduleJob: unary(async (req: pb.UpdateScheduleJobRequest) => {
      await domain.jobs.update(jobFromProto(req.scheduleJob, 'schedule_job'));
      return {};
    }),
    getScheduleJob: unary(async (req: pb.GetScheduleJobRequest) => ({ scheduleJob: jobToProto(await domain.jobs.byName(name(req.name))) })),
    listScheduleJobs: unary(async (req: pb.ListScheduleJobsRequest) => {
      const page = await domain.jobs.list({ ...pageFromProto(req.page, maxResultCount), ...(req.labels.length ? { labels: req.labels } : {}) });
      return { scheduleJobs: page.items.map(jobToProto), totalCount: page.totalCount };
    }),
    deleteScheduleJob: unary(async (req: pb.DeleteScheduleJobRequest) => {
      await domain.jobs.deleteByName(name(req.name));
      return {};
    }),
    triggerScheduleJob: unary(async (req: pb.TriggerScheduleJobRequest) => {
      await domain.jobs.trigger(name(req.name));
      return {};
    }),
    listScheduleActionRecords: unary(async (req: pb.ListScheduleActionRecordsRequest) => {
      const start = Number(req.start);
      const end = Number(req.end);
      if (end && end < start) throw new EdgeXError('ContractInvalid', `end: ${end} is before start ${start}`);
      const wanted = status(req.status);
      const page = await domain.records.list({
        ...pageFromProto(req.page, maxResultCount),
        ...(req.jobName ? { jobName: req.jobName } : {}),
        ...(wanted ? { status: wanted } : {}),
        ...(start ? { start } : {}),
        ...(end ? { end } : {}),
      });
      return { scheduleActionRecords: page.items.map(recordToProto), totalCount: page.totalCount };
    }),
    latestScheduleActionRecords: unary(async (req: pb.LatestScheduleActionRecordsRequest) => ({
      scheduleActionRecords: (await domain.records.latestOfJob(name(req.jobName, 'job_name'))).map(recordToProto),
    })),
    addInterval: unary(async (req: pb.AddIntervalRequest) => domain.intervals.add(intervalFromProto(req.interval, 'interval'))),
    getInterval: unary(async (req: pb.GetIntervalRequest) => ({ interval: intervalToProto(await domain.intervals.byName(name(req.name))) })),
    listIntervals: unary(async (req: pb.ListIntervalsRequest) => {
      const page = await domain.intervals.list(pageFromProto(req.page, maxResultCount));
      return { intervals: page.items.map(intervalToProto), totalCount: page.totalCount };
    }),
    deleteInterval: unary(async (req: pb.DeleteIntervalRequest) => {
      await domain.intervals.deleteByName(name(req.name));
      return {};
    }),
    addIntervalAction: unary(async (req: pb.AddIntervalActionRequest) => domain.intervalActions.add(intervalActionFromProto(req.action, 'action'))),
    getIntervalAction: unary(async (req: pb.GetIntervalActionRequest) => ({
      action: intervalActionToProto(await domain.intervalActions.byName(name(req.name))),
    })),
    listIntervalActions: unary(async (req: pb.ListIntervalActionsRequest) => {
      const page = await domain.intervalActions.list(pageFromProto(req.page, maxResultCount));
      return { actions: page.items.map(intervalActionToProto), totalCount: page.totalCount };
    }),
    deleteIntervalAction: unary(async (req: pb.DeleteIntervalActionRequest) => {
      await domain.intervalActions.deleteByName(name(req.name));
      return {};
    }),
  };
}
