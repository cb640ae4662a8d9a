/**
 * support-scheduler through EdgeX's REST API (EdgeX v3's interval API, EdgeX v4's job and schedule action record
 * API), as EdgeX's Go clients call it: the same paths, batch bodies and query parameters, so it works against
 * EdgeX's support-scheduler as well as ours.
 */
import type { z } from 'zod';
import {
  EdgeXError,
  IntervalActionSchema,
  IntervalSchema,
  parseDto,
  ScheduleJobSchema,
  errorMessage,
  type Interval,
  type IntervalAction,
  type ScheduleActionRecord,
  type ScheduleActionRecordStatus,
  type ScheduleJob,
  type UpdateInterval,
  type UpdateIntervalAction,
  type UpdateScheduleJob,
} from '@edgex-ts/contracts';
import { restPath, RestClient, type Query, type RestClientOptions } from './rest-call.js';

/** A job as given to addScheduleJob: the schema's input; adminState may be left out (UNLOCKED). */
export type ScheduleJobInput = Omit<z.input<typeof ScheduleJobSchema>, 'adminState'> & { adminState?: 'LOCKED' | 'UNLOCKED' };

export interface RecordQueryOptions {
  offset?: number;
  /** -1 = as many as the service allows (Service.MaxResultCount). */
  limit?: number;
  /** Records created at or after (ms since the epoch). */
  start?: number;
  /** Records created at or before (ms since the epoch). */
  end?: number;
  jobName?: string;
  status?: ScheduleActionRecordStatus;
}

export interface SchedulerPageOptions {
  offset?: number;
  limit?: number;
  /** Jobs only: those carrying every one of these labels. */
  labels?: string[];
}

function answered<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  if (value === undefined || value === null) throw new EdgeXError('UnexpectedServerError', `support-scheduler answered without ${field}`);
  try {
    return parseDto(schema, value, field);
  } catch (err) {
    throw new EdgeXError('UnexpectedServerError', `support-scheduler answered an unreadable ${field}: ${errorMessage(err)}`, err);
  }
}

const page = (o: SchedulerPageOptions): Query => ({ offset: o.offset ?? 0, limit: o.limit ?? -1, labels: o.labels?.length ? o.labels.join(',') : undefined });

/** Typed, promise-based client of support-scheduler's EdgeX REST API, speaking EdgeX DTOs. */
export class SupportSchedulerClient {
  private readonly rest: RestClient;

  /** `baseUrl` e.g. `http://support-scheduler:59861`. */
  constructor(baseUrl: string, options?: RestClientOptions) {
    this.rest = new RestClient(baseUrl, 'support-scheduler', options);
  }

  // ----- v4 jobs -----

  async addScheduleJob(scheduleJob: ScheduleJobInput): Promise<string> {
    return (await this.rest.batchOne('POST', '/job', { scheduleJob })).id ?? '';
  }
  /** PATCH: the fields given replace the job's (found by id, else name). */
  async updateScheduleJob(scheduleJob: UpdateScheduleJob): Promise<void> {
    await this.rest.batchOne('PATCH', '/job', { scheduleJob });
  }
  async getScheduleJob(name: string): Promise<ScheduleJob> {
    const res = await this.rest.call<{ scheduleJob?: unknown }>('GET', restPath('/job/name', name));
    return answered(ScheduleJobSchema, res?.scheduleJob, 'scheduleJob');
  }
  async listScheduleJobs(opts: SchedulerPageOptions = {}): Promise<{ scheduleJobs: ScheduleJob[]; totalCount: number }> {
    const res = await this.rest.call<{ scheduleJobs?: unknown[] | null; totalCount?: number }>('GET', '/job/all', { query: page(opts) });
    return { scheduleJobs: (res?.scheduleJobs ?? []).map((j, i) => answered(ScheduleJobSchema, j, `scheduleJobs[${i}]`)), totalCount: res?.totalCount ?? 0 };
  }
  async deleteScheduleJob(name: string): Promise<void> {
    await this.rest.call('DELETE', restPath('/job/name', name));
  }
  /** Runs the job's actions now; resolves once the run has started (EdgeX's 202). */
  async triggerScheduleJob(name: string): Promise<void> {
    await this.rest.call('POST', restPath('/job/trigger/name', name));
  }

  // ----- schedule action records -----

  async listScheduleActionRecords(opts: RecordQueryOptions = {}): Promise<{ scheduleActionRecords: ScheduleActionRecord[]; totalCount: number }> {
    let path = '/scheduleactionrecord/all';
    if (opts.jobName !== undefined && opts.status !== undefined)
      path = `${restPath('/scheduleactionrecord/job/name', opts.jobName)}${restPath('/status', opts.status)}`;
    else if (opts.jobName !== undefined) path = restPath('/scheduleactionrecord/job/name', opts.jobName);
    else if (opts.status !== undefined) path = restPath('/scheduleactionrecord/status', opts.status);
    const query = { offset: opts.offset ?? 0, limit: opts.limit ?? -1, start: opts.start, end: opts.end };
    const res = await this.rest.call<{ scheduleActionRecords?: ScheduleActionRecord[] | null; totalCount?: number }>('GET', path, { query });
    return { scheduleActionRecords: res?.scheduleActionRecords ?? [], totalCount: res?.totalCount ?? 0 };
  }
  /** The records of the job's latest run. */
  async latestScheduleActionRecords(jobName: string): Promise<ScheduleActionRecord[]> {
    const res = await this.rest.call<{ scheduleActionRecords?: ScheduleActionRecord[] | null }>(
      'GET',
      restPath('/scheduleactionrecord/latest/job/name', jobName),
    );
    return res?.scheduleActionRecords ?? [];
  }

  // ----- v3 intervals and interval actions -----

  async addInterval(interval: z.input<typeof IntervalSchema>): Promise<string> {
    return (await this.rest.batchOne('POST', '/interval', { interval })).id ?? '';
  }
  async updateInterval(interval: UpdateInterval): Promise<void> {
    await this.rest.batchOne('PATCH', '/interval', { interval });
  }
  async getInterval(name: string): Promise<Interval> {
    const res = await this.rest.call<{ interval?: unknown }>('GET', restPath('/interval/name', name));
    return answered(IntervalSchema, res?.interval, 'interval');
  }
  async listIntervals(opts: SchedulerPageOptions = {}): Promise<{ intervals: Interval[]; totalCount: number }> {
    const res = await this.rest.call<{ intervals?: unknown[] | null; totalCount?: number }>('GET', '/interval/all', { query: page(opts) });
    return { intervals: (res?.intervals ?? []).map((v, i) => answered(IntervalSchema, v, `intervals[${i}]`)), totalCount: res?.totalCount ?? 0 };
  }
  async deleteInterval(name: string): Promise<void> {
    await this.rest.call('DELETE', restPath('/interval/name', name));
  }
  async addIntervalAction(action: z.input<typeof IntervalActionSchema>): Promise<string> {
    return (await this.rest.batchOne('POST', '/intervalaction', { action })).id ?? '';
  }
  async updateIntervalAction(action: UpdateIntervalAction): Promise<void> {
    await this.rest.batchOne('PATCH', '/intervalaction', { action });
  }
  async getIntervalAction(name: string): Promise<IntervalAction> {
    const res = await this.rest.call<{ action?: unknown }>('GET', restPath('/intervalaction/name', name));
    return answered(IntervalActionSchema, res?.action, 'action');
  }
  async listIntervalActions(opts: SchedulerPageOptions = {}): Promise<{ actions: IntervalAction[]; totalCount: number }> {
    const res = await this.rest.call<{ actions?: unknown[] | null; totalCount?: number }>('GET', '/intervalaction/all', { query: page(opts) });
    return { actions: (res?.actions ?? []).map((v, i) => answered(IntervalActionSchema, v, `actions[${i}]`)), totalCount: res?.totalCount ?? 0 };
  }
  async deleteIntervalAction(name: string): Promise<void> {
    await this.rest.call('DELETE', restPath('/intervalaction/name', name));
  }
}
