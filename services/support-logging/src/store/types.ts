import { stringifyJson, type LogEntry } from '@edgex-ts/contracts';

/** Which entries a query or removal is about; an absent or empty field does not filter. */
export interface LogFilter {
  originServices?: string[];
  logLevels?: string[];
  /** An entry matches when its message or its args contain any of them (case-sensitive). */
  keywords?: string[];
  /** Inclusive bounds on `created` (ms since the epoch). */
  start?: number;
  end?: number;
}

export type SortOrder = 'oldest-first' | 'newest-first';

/** Where support-logging keeps entries: SQLite or MongoDB, with the same behaviour (stores.contract.test.ts). */
export interface LogStore {
  /** Stores every entry, all or none; an entry whose id is already stored is skipped (a retried batch does not double). */
  add(entries: LogEntry[]): Promise<void>;
  /** Matching entries ordered by (created, id). */
  find(filter: LogFilter, page: { offset: number; limit: number }, order: SortOrder): Promise<LogEntry[]>;
  count(filter: LogFilter): Promise<number>;
  /** Removes the matching entries; returns how many. */
  remove(filter: LogFilter): Promise<number>;
  /** Removes up to `limit` of the oldest entries; returns how many. */
  removeOldest(limit: number): Promise<number>;
  close(): Promise<void>;
}

/** The text keyword search looks at beside the message: string args as they are, others as JSON, space-separated. */
export function argsText(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : stringifyJson(a))).join(' ');
}
