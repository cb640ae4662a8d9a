import { EdgeXError, LOG_ENTRY_LEVELS, type LogEntry } from '@edgex-ts/contracts';
import { timeOrderedUuid } from '@edgex-ts/runtime';
import type { LogFilter, LogStore, SortOrder } from '../store/types.js';

/** An entry as a client sends it: support-logging gives it an id when it has none, and `created` 0 means now. */
export type NewLogEntry = Omit<LogEntry, 'id'> & { id?: string };

export type RemovalReason = 'request' | 'age' | 'cap';

export interface LoggingObserver {
  received(n: number): void;
  removed(reason: RemovalReason, n: number): void;
}

export interface LoggingDomainDeps {
  store: LogStore;
  /** Service.MaxResultCount: the most entries one query returns. */
  maxResultCount: number;
  observer?: LoggingObserver;
  now?: () => number;
}

export interface LoggingDomain {
  /** Stores the entries (all or none) and returns them as stored. `stampNow` sets every `created` to now (EdgeX 1.x's POST). */
  add(entries: NewLogEntry[], options?: { stampNow?: boolean }): Promise<LogEntry[]>;
  /** One page of the matching entries and how many match in all. */
  query(filter: LogFilter, page: { offset: number; limit: number }, order: SortOrder): Promise<{ entries: LogEntry[]; totalCount: number }>;
  remove(filter: LogFilter, reason?: RemovalReason): Promise<number>;
  /** Removes the entries created more than `ageMs` ago. */
  removeOlderThan(ageMs: number, reason?: RemovalReason): Promise<number>;
  readonly store: LogStore;
}

/** Field names of a filter as the caller's API spells them, for error messages. */
export interface FilterFieldNames {
  logLevels: string;
  start: string;
  end: string;
}

/** Refuses unknown log levels and an end before the start, naming the field. */
export function checkLogFilter(filter: LogFilter, names: FilterFieldNames): LogFilter {
  for (const level of filter.logLevels ?? []) {
    if (!(LOG_ENTRY_LEVELS as readonly string[]).includes(level)) {
      throw new EdgeXError('ContractInvalid', `${names.logLevels}: unknown log level ${JSON.stringify(level)}, expected one of ${LOG_ENTRY_LEVELS.join(', ')}`);
    }
  }
  if (filter.start !== undefined && filter.end !== undefined && filter.end < filter.start) {
    throw new EdgeXError('ContractInvalid', `${names.end}: ${filter.end} is before ${names.start} ${filter.start}`);
  }
  return filter;
}

export function createLoggingDomain(deps: LoggingDomainDeps): LoggingDomain {
  const { store, observer } = deps;
  const now = deps.now ?? Date.now;
  return {
    store,
    async add(entries, options = {}) {
      const at = now();
      const stored = entries.map((e): LogEntry => ({
        id: e.id || timeOrderedUuid(),
        originService: e.originService,
        logLevel: e.logLevel,
        message: e.message,
        args: e.args,
        created: options.stampNow || !e.created ? at : e.created,
      }));
      if (stored.length > 0) await store.add(stored);
      observer?.received(stored.length);
      return stored;
    },
    async query(filter, page, order) {
      const limit = Math.min(page.limit, deps.maxResultCount);
      const totalCount = await store.count(filter);
      const entries = totalCount > page.offset && limit > 0 ? await store.find(filter, { offset: page.offset, limit }, order) : [];
      return { entries, totalCount };
    },
    async remove(filter, reason = 'request') {
      const n = await store.remove(filter);
      if (n > 0) observer?.removed(reason, n);
      return n;
    },
    async removeOlderThan(ageMs, reason = 'request') {
      if (!Number.isSafeInteger(ageMs) || ageMs < 0)
        throw new EdgeXError('ContractInvalid', `age: must be a non-negative integer of milliseconds, got ${ageMs}`);
      // Strictly older: created < now - age.
      const cut = now() - ageMs - 1;
      if (cut < 0) return 0;
      const n = await store.remove({ end: cut });
      if (n > 0) observer?.removed(reason, n);
      return n;
    },
  };
}
