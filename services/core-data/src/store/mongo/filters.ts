import type { Filter } from 'mongodb';
import type { ExactInteger } from '@edgex-ts/contracts';
import type { EventFilter, ReadingFilter } from '../types.js';
import type { EventDoc, ReadingDoc } from './documents.js';

/** Newest first; `_id` breaks ties so paging is stable. Every index ends with these keys. */
export const NEWEST_FIRST = { origin: -1, _id: -1 } as const;

function originRange(f: EventFilter): { origin?: { $gte?: ExactInteger; $lte?: ExactInteger } } {
  if (f.start === undefined && f.end === undefined) return {};
  const origin: { $gte?: ExactInteger; $lte?: ExactInteger } = {};
  if (f.start !== undefined) origin.$gte = f.start;
  if (f.end !== undefined) origin.$lte = f.end;
  return { origin };
}

export function eventQuery(f: EventFilter): Filter<EventDoc> {
  return { ...(f.deviceName !== undefined ? { device: f.deviceName } : {}), ...originRange(f) };
}

export function readingQuery(f: ReadingFilter): Filter<ReadingDoc> {
  const q: Filter<ReadingDoc> = { ...(f.deviceName !== undefined ? { device: f.deviceName } : {}) };
  const names = f.resourceNames;
  if (names?.length) q.resource = names.length === 1 ? names[0] : { $in: names };
  return { ...q, ...originRange(f) };
}

export function isEmpty(q: object): boolean {
  return Object.keys(q).length === 0;
}
