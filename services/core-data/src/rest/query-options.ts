import { EdgeXError } from '@edgex-ts/contracts';
import { parsePaging } from '@edgex-ts/runtime';
import { parseAggregateFunc, type AggregateFunc } from '../domain/index.js';

/** EdgeX 4's query options of core-data's event and reading queries (core-data v4.0.2), read from a query string. */

type Query = Record<string, unknown>;

/** A single query parameter's value (a repeated one keeps its first, as Go's url.Values.Get). */
function single(query: Query, name: string): string | undefined {
  const v = query[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}

// The spellings Go's strconv.ParseBool accepts.
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** `numeric`: numeric reading values as JSON numbers (default false); 400 for a value that is not a boolean. */
export function numericOption(query: Query): boolean {
  const raw = single(query, 'numeric');
  if (raw === undefined || raw === '' || FALSE.has(raw)) return false;
  if (TRUE.has(raw)) return true;
  throw new EdgeXError('ContractInvalid', `numeric: must be true or false, got '${raw}'`);
}

/** `aggregateFunc` (MIN, MAX, COUNT, SUM, AVG in any case) as given and as understood; undefined when absent. */
export function aggregateOption(query: Query): { given: string; fn: AggregateFunc } | undefined {
  const raw = single(query, 'aggregateFunc');
  if (raw === undefined || raw === '') return undefined;
  return { given: raw, fn: parseAggregateFunc(raw) };
}

/**
 * offset/limit of a reading query. EdgeX 4 also takes offset=-1 there: the first page, without counting the
 * matching readings (totalCount 0), which spares a count over a large table.
 */
export function readingPaging(query: Query, maxResultCount: number): { page: { offset: number; limit: number }; countTotal: boolean } {
  if (single(query, 'offset') === '-1') return { page: parsePaging({ ...query, offset: '0' }, maxResultCount), countTotal: false };
  return { page: parsePaging(query, maxResultCount), countTotal: true };
}
