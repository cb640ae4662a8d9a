import { EdgeXError } from '@edgex-ts/contracts';
import { pageFromProto } from '@edgex-ts/runtime';
import type { ListParams } from '../domain/index.js';

/** A proto Page under EdgeX's paging rules, plus the label filter of list requests. */
export function pageParams(page: { offset: number; limit: number } | undefined, labels: string[], maxResultCount: number): ListParams {
  const wanted = labels.filter((l) => l !== '');
  return { ...pageFromProto(page, maxResultCount), ...(wanted.length ? { labels: wanted } : {}) };
}

/** A required string field of a request. */
export function required(value: string, field: string): string {
  if (value.trim() === '') throw new EdgeXError('ContractInvalid', `${field}: is required`);
  return value;
}
