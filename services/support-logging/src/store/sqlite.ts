import { parseJson, STORED_JSON, stringifyJson, type LogEntry, type LogEntryLevel } from '@edgex-ts/contracts';
import { migrateSqlite, type SqliteDatabase } from '@edgex-ts/sqlite';
import { argsText, type LogFilter, type LogStore, type SortOrder } from './types.js';

const SCHEMA = {
  owner: 'support-logging',
  migrations: [
    (db: SqliteDatabase) => {
      db.exec(`
        CREATE TABLE IF NOT EXISTS log_entries (
          id TEXT PRIMARY KEY,
          origin_service TEXT NOT NULL,
          log_level TEXT NOT NULL,
          message TEXT NOT NULL,
          args TEXT NOT NULL,
          args_text TEXT NOT NULL,
          created INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS log_entries_created ON log_entries (created, id);
        CREATE INDEX IF NOT EXISTS log_entries_service ON log_entries (origin_service, created);
      `);
    },
  ],
};

interface Row {
  id: string;
  origin_service: string;
  log_level: string;
  message: string;
  args: string;
  created: number;
}

function entryOf(row: Row): LogEntry {
  return {
    id: row.id,
    originService: row.origin_service,
    logLevel: row.log_level as LogEntryLevel,
    message: row.message,
    args: parseJson(row.args, STORED_JSON) as unknown[],
    created: row.created,
  };
}

/** A WHERE clause and its parameters for a filter. */
function whereOf(filter: LogFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const anyOf = (column: string, values: string[] | undefined) => {
    if (!values?.length) return;
    clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  anyOf('origin_service', filter.originServices);
  anyOf('log_level', filter.logLevels);
  if (filter.keywords?.length) {
    // instr, not LIKE: case-sensitive, and no wildcard characters to escape.
    clauses.push(`(${filter.keywords.map(() => '(instr(message, ?) > 0 OR instr(args_text, ?) > 0)').join(' OR ')})`);
    for (const k of filter.keywords) params.push(k, k);
  }
  if (filter.start !== undefined) {
    clauses.push('created >= ?');
    params.push(filter.start);
  }
  if (filter.end !== undefined) {
    clauses.push('created <= ?');
    params.push(filter.end);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Log entries in a SQLite file (one row each; args as JSON). */
export class SqliteLogStore implements LogStore {
  private readonly insert;
  private readonly insertAll;

  constructor(private readonly db: SqliteDatabase) {
    migrateSqlite(db, SCHEMA);
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO log_entries (id, origin_service, log_level, message, args, args_text, created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertAll = db.transaction((entries: LogEntry[]) => {
      for (const e of entries) this.insert.run(e.id, e.originService, e.logLevel, e.message, stringifyJson(e.args), argsText(e.args), e.created);
    });
  }

  async add(entries: LogEntry[]): Promise<void> {
    this.insertAll(entries);
  }

  async find(filter: LogFilter, page: { offset: number; limit: number }, order: SortOrder): Promise<LogEntry[]> {
    const { sql, params } = whereOf(filter);
    const dir = order === 'newest-first' ? 'DESC' : 'ASC';
    const rows = this.db
      .prepare(`SELECT id, origin_service, log_level, message, args, created FROM log_entries ${sql} ORDER BY created ${dir}, id ${dir} LIMIT ? OFFSET ?`)
      .all(...params, page.limit, page.offset) as Row[];
    return rows.map(entryOf);
  }

  async count(filter: LogFilter): Promise<number> {
    const { sql, params } = whereOf(filter);
    return (this.db.prepare(`SELECT count(*) AS n FROM log_entries ${sql}`).get(...params) as { n: number }).n;
  }

  async remove(filter: LogFilter): Promise<number> {
    const { sql, params } = whereOf(filter);
    return this.db.prepare(`DELETE FROM log_entries ${sql}`).run(...params).changes;
  }

  async removeOldest(limit: number): Promise<number> {
    return this.db.prepare(`DELETE FROM log_entries WHERE id IN (SELECT id FROM log_entries ORDER BY created, id LIMIT ?)`).run(limit).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
