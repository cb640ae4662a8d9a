import type { Request } from 'express';
import { EdgeXError, SCHEDULE_ACTION_RECORD_STATUSES, type ScheduleActionRecordStatus } from '@edgex-ts/contracts';
import { parsePaging } from '@edgex-ts/runtime';
import type { ListQuery, RecordQuery } from '../store/types.js';

/** A path parameter (express has URL-decoded it). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || value.trim() === '') throw new EdgeXError('ContractInvalid', `${name}: must not be blank`);
  return value;
}

/** offset/limit (EdgeX's rules) and, for jobs, the comma-separated `labels` filter. */
export function listParams(req: Request, maxResultCount: number): ListQuery {
  const { offset, limit } = parsePaging(req.query, maxResultCount);
  const raw = req.query.labels;
  if (raw !== undefined && typeof raw !== 'string') throw new EdgeXError('ContractInvalid', 'labels: expected one comma-separated list, e.g. labels=a,b');
  const labels = (raw ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return { offset, limit, ...(labels.length ? { labels } : {}) };
}

function msParam(req: Request, name: 'start' | 'end'): number | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()))
    throw new EdgeXError('ContractInvalid', `${name}: expected milliseconds since the epoch, got ${JSON.stringify(raw)}`);
  return Number(raw.trim());
}

/** The `start`/`end` (ms, on `created`), offset and limit of a schedule action record query. */
export function recordParams(req: Request, maxResultCount: number): Omit<RecordQuery, 'jobName' | 'status'> {
  const { offset, limit } = parsePaging(req.query, maxResultCount);
  const start = msParam(req, 'start');
  const end = msParam(req, 'end');
  if (start !== undefined && end !== undefined && end < start) throw new EdgeXError('ContractInvalid', `end: ${end} is before start ${start}`);
  return { offset, limit, ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
}

export function statusParam(req: Request): ScheduleActionRecordStatus {
  const status = pathParam(req, 'status');
  if (!(SCHEDULE_ACTION_RECORD_STATUSES as readonly string[]).includes(status)) {
    throw new EdgeXError('ContractInvalid', `status: expected one of ${SCHEDULE_ACTION_RECORD_STATUSES.join(', ')}, got ${status}`);
  }
  return status as ScheduleActionRecordStatus;
}
