import type { Database } from 'better-sqlite3';
import {
  EdgeXError,
  errorMessage,
  parseJson,
  STORED_JSON,
  stringifyJson,
  type Interval,
  type IntervalAction,
  type ScheduleActionRecord,
  type ScheduleJob,
} from '@edgex-ts/contracts';
import { migrateSqlite, type SqliteSchema } from '@edgex-ts/sqlite';
import type { EntityStore, ListQuery, PageOf, RecordQuery, RecordStore, SchedulerStores, ScheduleStateStore } from '../types.js';

interface Named {
  id?: string;
  name: string;
  created?: number;
  labels?: string[];
}

/** Versions of the schema, oldest first: add a step for every change, never edit one. */
export const SUPPORT_SCHEDULER_SCHEMA: SqliteSchema = {
  owner: 'support-scheduler',
  migrations: [
    (db) => {
      for (const table of ['interval', 'interval_action', 'schedule_job']) {
        db.exec(`CREATE TABLE ${table} (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL,
          labels TEXT NOT NULL DEFAULT '[]', ref TEXT NOT NULL DEFAULT '', body TEXT NOT NULL)`);
        db.exec(`CREATE INDEX ${table}_created ON ${table}(created, name)`);
      }
      db.exec('CREATE INDEX interval_action_ref ON interval_action(ref)');
      db.exec(`CREATE TABLE action_record (id TEXT PRIMARY KEY, job_name TEXT NOT NULL, status TEXT NOT NULL,
        scheduled_at INTEGER NOT NULL, created INTEGER NOT NULL, body TEXT NOT NULL)`);
      db.exec('CREATE INDEX action_record_created ON action_record(created, scheduled_at)');
      db.exec('CREATE INDEX action_record_job ON action_record(job_name, created)');
      db.exec('CREATE INDEX action_record_status ON action_record(status, created)');
      db.exec('CREATE TABLE schedule_state (key TEXT PRIMARY KEY, last_run INTEGER NOT NULL)');
      db.exec('CREATE TABLE seeded (kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (kind, name))');
    },
  ],
};

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function body<T>(row: unknown): T | undefined {
  return row === undefined ? undefined : (parseJson((row as { body: string }).body, STORED_JSON) as T);
}

/** One aggregate in one table: the DTO as JSON in `body`, beside the columns it is found by. */
function entityTable<T extends Named>(db: Database, table: string, kind: string, refOf: (e: T) => string = () => ''): EntityStore<T> {
  const row = (e: T) => {
    if (!e.id) throw new EdgeXError('UnexpectedServerError', `${kind} ${e.name} has no id`);
    return { id: e.id, name: e.name, created: e.created ?? 0, labels: JSON.stringify(e.labels ?? []), ref: refOf(e), body: stringifyJson(e) };
  };
  const insert = db.prepare(`INSERT INTO ${table} (id, name, created, labels, ref, body) VALUES (@id, @name, @created, @labels, @ref, @body)`);
  const update = db.prepare(`UPDATE ${table} SET name = @name, created = @created, labels = @labels, ref = @ref, body = @body WHERE id = @id`);
  const byName = db.prepare(`SELECT body FROM ${table} WHERE name = ?`);
  const byId = db.prepare(`SELECT body FROM ${table} WHERE id = ?`);
  const del = db.prepare(`DELETE FROM ${table} WHERE name = ?`);
  const where = (labels: string[]) =>
    labels.length ? `WHERE ${labels.map(() => `EXISTS (SELECT 1 FROM json_each(${table}.labels) WHERE json_each.value = ?)`).join(' AND ')}` : '';
  return {
    add: async (e) => {
      try {
        insert.run(row(e));
      } catch (err) {
        if (isUniqueViolation(err)) {
          const what = byId.get(e.id) !== undefined ? `id ${e.id}` : `name ${e.name}`;
          throw new EdgeXError('DuplicateName', `${kind} ${what} already exists`, err);
        }
        throw new EdgeXError('Database', `failed to add ${kind} ${e.name}: ${errorMessage(err)}`, err);
      }
    },
    update: async (e) => {
      try {
        return update.run(row(e)).changes > 0;
      } catch (err) {
        if (isUniqueViolation(err)) throw new EdgeXError('DuplicateName', `${kind} name ${e.name} already exists`, err);
        throw new EdgeXError('Database', `failed to update ${kind} ${e.name}: ${errorMessage(err)}`, err);
      }
    },
    byName: async (name) => body<T>(byName.get(name)),
    byId: async (id) => body<T>(byId.get(id)),
    deleteByName: async (name) => del.run(name).changes > 0,
    list: async (q: ListQuery): Promise<PageOf<T>> => {
      const labels = q.labels ?? [];
      const totalCount = (db.prepare(`SELECT COUNT(*) AS n FROM ${table} ${where(labels)}`).get(...labels) as { n: number }).n;
      const rows = db.prepare(`SELECT body FROM ${table} ${where(labels)} ORDER BY created, name LIMIT ? OFFSET ?`).all(...labels, q.limit, q.offset);
      return { totalCount, items: rows.map((r) => body<T>(r)!) };
    },
  };
}

function recordStore(db: Database): RecordStore {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO action_record (id, job_name, status, scheduled_at, created, body) VALUES (@id, @jobName, @status, @scheduledAt, @created, @body)',
  );
  const addAll = db.transaction((records: ScheduleActionRecord[]) => {
    for (const r of records)
      insert.run({ id: r.id, jobName: r.jobName, status: r.status, scheduledAt: r.scheduledAt, created: r.created, body: stringifyJson(r) });
  });
  const filter = (q: Omit<RecordQuery, 'offset' | 'limit'>) => {
    const conditions: [string, unknown][] = [
      ['job_name = ?', q.jobName],
      ['status = ?', q.status],
      ['created >= ?', q.start],
      ['created <= ?', q.end],
    ].filter(([, value]) => value !== undefined) as [string, unknown][];
    const sql = conditions.length ? `WHERE ${conditions.map(([clause]) => clause).join(' AND ')}` : '';
    return { sql, params: conditions.map(([, value]) => value) };
  };
  const latestOfJob = db.prepare(
    'SELECT body FROM action_record WHERE job_name = ? AND created = (SELECT MAX(created) FROM action_record WHERE job_name = ?) ORDER BY scheduled_at',
  );
  const deleteOldest = db.prepare('DELETE FROM action_record WHERE id IN (SELECT id FROM action_record ORDER BY created, scheduled_at LIMIT ?)');
  return {
    add: async (records) => {
      try {
        addAll(records);
      } catch (err) {
        throw new EdgeXError('Database', `failed to add schedule action records: ${errorMessage(err)}`, err);
      }
    },
    list: async (q) => {
      const { sql, params } = filter(q);
      const totalCount = (db.prepare(`SELECT COUNT(*) AS n FROM action_record ${sql}`).get(...params) as { n: number }).n;
      const rows = db
        .prepare(`SELECT body FROM action_record ${sql} ORDER BY created DESC, scheduled_at DESC LIMIT ? OFFSET ?`)
        .all(...params, q.limit, q.offset);
      return { totalCount, items: rows.map((r) => body<ScheduleActionRecord>(r)!) };
    },
    latestOfJob: async (jobName) => latestOfJob.all(jobName, jobName).map((r) => body<ScheduleActionRecord>(r)!),
    count: async () => (db.prepare('SELECT COUNT(*) AS n FROM action_record').get() as { n: number }).n,
    deleteOldest: async (count) => deleteOldest.run(count).changes,
  };
}

function stateStore(db: Database): ScheduleStateStore {
  const get = db.prepare('SELECT last_run FROM schedule_state WHERE key = ?');
  const set = db.prepare('INSERT INTO schedule_state (key, last_run) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET last_run = excluded.last_run');
  const forget = db.prepare('DELETE FROM schedule_state WHERE key = ?');
  const seeded = db.prepare('SELECT 1 FROM seeded WHERE kind = ? AND name = ?');
  const markSeeded = db.prepare('INSERT OR IGNORE INTO seeded (kind, name) VALUES (?, ?)');
  return {
    lastRun: async (key) => (get.get(key) as { last_run: number } | undefined)?.last_run,
    setLastRun: async (key, at) => void set.run(key, at),
    forget: async (key) => void forget.run(key),
    wasSeeded: async (kind, name) => seeded.get(kind, name) !== undefined,
    markSeeded: async (kind, name) => void markSeeded.run(kind, name),
  };
}

/** Every store over one SQLite database (opened with openSqlite); throws, closing `db`, when its schema is newer than this code. */
export function sqliteSchedulerStores(db: Database): SchedulerStores {
  try {
    migrateSqlite(db, SUPPORT_SCHEDULER_SCHEMA);
  } catch (err) {
    db.close();
    throw err;
  }
  const intervalActions = entityTable<IntervalAction>(db, 'interval_action', 'interval action', (a) => a.intervalName);
  const byInterval = db.prepare('SELECT body FROM interval_action WHERE ref = ? ORDER BY created, name');
  return {
    intervals: entityTable<Interval>(db, 'interval', 'interval'),
    intervalActions: { ...intervalActions, byInterval: async (name) => byInterval.all(name).map((r) => body<IntervalAction>(r)!) },
    jobs: entityTable<ScheduleJob>(db, 'schedule_job', 'schedule job'),
    records: recordStore(db),
    state: stateStore(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
