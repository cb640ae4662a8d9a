/**
 * support-logging through its v3-style REST API (`/api/v3/log`): add entries in one batch, query them with filters
 * and paging, remove the old ones. (EdgeX 1.x clients keep using `/api/v1/logs` on the same port.)
 */
import { z } from 'zod';
import { EdgeXError, LogEntrySchema, parseDto, type LogEntry, type LogEntryInput, type LogEntryLevel } from '@edgex-ts/contracts';
import { RestClient, type RestClientOptions } from './rest-call.js';

export interface LogQuery {
  services?: string[];
  levels?: LogEntryLevel[];
  /** An entry matches when its message or args contain any of them (case-sensitive). */
  keywords?: string[];
  /** Inclusive bounds on `created`, ms since the epoch. */
  start?: number;
  end?: number;
  offset?: number;
  /** Default 20; -1 = up to the service's MaxResultCount. */
  limit?: number;
}

const AnswerSchema = z.object({ totalCount: z.number(), logEntries: z.array(LogEntrySchema.extend({ id: z.string() })).nullable() });

/** Typed client of support-logging's v3-style REST API. */
export class SupportLoggingClient {
  private readonly rest: RestClient;

  /** `baseUrl` e.g. `http://support-logging:48061`. */
  constructor(baseUrl: string, options?: RestClientOptions) {
    this.rest = new RestClient(baseUrl, 'support-logging', options);
  }

  /** Stores the entries (all or none); returns their ids in order. */
  async addLogEntries(entries: LogEntryInput[]): Promise<string[]> {
    const answer = await this.rest.call<{ id?: string; statusCode?: number; message?: string }[] | null>('POST', '/log', {
      json: entries.map((logEntry) => ({ apiVersion: 'v3', logEntry })),
    });
    return (answer ?? []).map((item, i) => {
      if (typeof item.statusCode !== 'number' || item.statusCode >= 300 || !item.id) {
        throw new EdgeXError('UnexpectedServerError', `support-logging: POST /log: item ${i}: ${item.statusCode} ${item.message ?? ''}`.trim());
      }
      return item.id;
    });
  }

  /** One page of the matching entries, newest first, and how many match in all. */
  async queryLogEntries(query: LogQuery = {}): Promise<{ entries: LogEntry[]; totalCount: number }> {
    const list = (values?: string[]) => (values?.length ? values.join(',') : undefined);
    const answer = await this.rest.call<unknown>('GET', '/log/all', {
      query: {
        service: list(query.services),
        level: list(query.levels),
        keyword: list(query.keywords),
        start: query.start,
        end: query.end,
        offset: query.offset,
        limit: query.limit,
      },
    });
    const parsed = parseDto(AnswerSchema, answer, 'answer');
    return { entries: parsed.logEntries ?? [], totalCount: parsed.totalCount };
  }

  /** Removes the entries created more than `ageMs` ago; returns how many. */
  async deleteLogEntriesByAge(ageMs: number): Promise<number> {
    const answer = await this.rest.call<{ removedCount?: number }>('DELETE', `/log/age/${ageMs}`);
    return answer?.removedCount ?? 0;
  }
}
