import type { Request } from 'express';
import { EdgeXError } from '@edgex-ts/contracts';
import { parsePaging } from '@edgex-ts/runtime';
import type { ListParams } from '../domain/index.js';

/** offset/limit (EdgeX rules, 400 on bad values) and the comma-separated `labels` filter. */
export function listParams(req: Request, maxResultCount: number): ListParams {
  const { offset, limit } = parsePaging(req.query, maxResultCount);
  const raw = req.query.labels;
  if (raw !== undefined && typeof raw !== 'string') {
    throw new EdgeXError('ContractInvalid', 'labels: expected one comma-separated list, e.g. labels=a,b');
  }
  const labels = raw
    ? raw
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== '')
    : undefined;
  return { offset, limit, ...(labels?.length ? { labels } : {}) };
}

/** A path parameter (Express has already URL-decoded it). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || value.trim() === '') throw new EdgeXError('ContractInvalid', `${name}: must not be blank`);
  return value;
}
