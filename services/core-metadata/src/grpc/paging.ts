import { EdgeXError } from '@edgex-ts/sdk/contracts';
import type { ListParams } from '../domain/index.js';

const DEFAULT_LIMIT = 20;

/** The REST paging rules for a proto Page: limit 0 (unset) = 20, -1 = all up to maxResultCount, above max → 400. */
export function pageParams(
  page: { offset: number; limit: number } | undefined,
  labels: string[],
  maxResultCount: number,
): ListParams {
  const offset = page?.offset ?? 0;
  let limit = page?.limit || DEFAULT_LIMIT;
  if (limit < -1 || limit > maxResultCount) {
    throw new EdgeXError('ContractInvalid', `page.limit: must be between -1 and ${maxResultCount} (Service.MaxResultCount), got ${limit}`);
  }
  if (limit === -1) limit = maxResultCount;
  const wanted = labels.filter((l) => l !== '');
  return { offset, limit, ...(wanted.length ? { labels: wanted } : {}) };
}

/** A required string field of a request. */
export function required(value: string, field: string): string {
  if (value.trim() === '') throw new EdgeXError('ContractInvalid', `${field}: is required`);
  return value;
}
