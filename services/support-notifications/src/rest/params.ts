import type { Request } from 'express';
import { EdgeXError, NOTIFICATION_STATUSES, TRANSMISSION_STATUSES, type NotificationStatus, type TransmissionStatus } from '@edgex-ts/contracts';
import { checkOffset, parseNs, parsePaging } from '@edgex-ts/runtime';
import type { PageOf, Paging } from '../store/types.js';

/** offset/limit under EdgeX's rules (400 on bad values). */
export function paging(req: Request, maxResultCount: number): Paging {
  return parsePaging(req.query, maxResultCount);
}

/** A page as EdgeX answers it: 416 when offset is past totalCount. */
export function checked<T>(page: PageOf<T>, paging: Paging): PageOf<T> {
  checkOffset(paging.offset, page.totalCount);
  return page;
}

/** A path parameter (Express has already URL-decoded it). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || value.trim() === '') throw new EdgeXError('ContractInvalid', `${name}: must not be blank`);
  return value;
}

/** A comma-separated list of ids in the path (EdgeX v4 /ids/{ids}). */
export function idsParam(req: Request): string[] {
  const ids = pathParam(req, 'ids')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new EdgeXError('ContractInvalid', 'ids: at least one id is required');
  return [...new Set(ids)];
}

/** A millisecond timestamp or age in the path. */
export function msParam(req: Request, name: string): number {
  const v = parseNs(pathParam(req, name), name);
  if (typeof v !== 'number') throw new EdgeXError('ContractInvalid', `${name}: ${v} is too large`);
  return v;
}

export function ageParam(req: Request): number {
  const age = msParam(req, 'age');
  if (age < 0) throw new EdgeXError('ContractInvalid', `age: must not be negative, got ${age}`);
  return age;
}

/** start/end in the path (ms): end before start is a 400. */
export function timeRange(req: Request): { start: number; end: number } {
  const start = msParam(req, 'start');
  const end = msParam(req, 'end');
  if (end < start) throw new EdgeXError('ContractInvalid', `end: ${end} is before start ${start}`);
  return { start, end };
}

/** EdgeX v4 `ack` query parameter: true = acknowledged only, false = unacknowledged only, absent = both. */
export function ackParam(req: Request): boolean | undefined {
  const raw = req.query.ack;
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new EdgeXError('ContractInvalid', `ack: expected true or false, got ${JSON.stringify(raw)}`);
}

export function notificationStatusParam(req: Request): NotificationStatus {
  const s = pathParam(req, 'status');
  if (!(NOTIFICATION_STATUSES as readonly string[]).includes(s))
    throw new EdgeXError('ContractInvalid', `status: expected one of ${NOTIFICATION_STATUSES.join(', ')}, got ${s}`);
  return s as NotificationStatus;
}

export function transmissionStatusParam(req: Request): TransmissionStatus {
  const s = pathParam(req, 'status');
  if (!(TRANSMISSION_STATUSES as readonly string[]).includes(s))
    throw new EdgeXError('ContractInvalid', `status: expected one of ${TRANSMISSION_STATUSES.join(', ')}, got ${s}`);
  return s as TransmissionStatus;
}
