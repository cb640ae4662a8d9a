import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';

export type SqliteDatabase = Database.Database;

/** Opens (creating folders as needed) a SQLite file tuned for a service: WAL, synchronous=NORMAL, busy_timeout, FKs. */
export function openSqlite(path: string, log?: Logger, busyTimeoutMs = 5000): SqliteDatabase {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(inMemory ? ':memory:' : path);
  if (!inMemory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('foreign_keys = ON');
  log?.info({ path: inMemory ? ':memory:' : path }, 'sqlite database opened');
  return db;
}

/**
 * The schema of one service's SQLite file, as a list of steps: `migrations[i]` takes the file from version i to
 * i + 1 (SQLite's `user_version`). The first step creates the schema; it must be idempotent
 * (`CREATE ... IF NOT EXISTS`), since files written before versioning carry version 0 with their tables.
 */
export interface SqliteSchema {
  /** Whose file it is, for messages: "core-data". */
  owner: string;
  migrations: readonly ((db: SqliteDatabase) => void)[];
}

/**
 * Brings `db` to the latest version of `schema`, all steps in one transaction (so a failed step leaves the
 * file as it was), taken with a write lock so that two connections opening the file at once migrate it once.
 * A file of a newer version than this code knows is refused: it was written by a newer release, and writing
 * it with older code could lose data.
 */
export function migrateSqlite(db: SqliteDatabase, schema: SqliteSchema, log?: Logger): { from: number; to: number } {
  const latest = schema.migrations.length;
  const migrate = db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from > latest) {
      throw new Error(
        `${db.name}: schema version ${from} is newer than this ${schema.owner} knows (${latest}); the file was written by a newer release. Run that release, or move the file aside to start with an empty one`,
      );
    }
    for (let v = from; v < latest; v++) schema.migrations[v](db);
    if (from !== latest) db.pragma(`user_version = ${latest}`);
    return from;
  });
  const from = migrate.immediate();
  if (from !== latest) log?.info({ path: db.name, owner: schema.owner, from, to: latest }, 'sqlite schema migrated');
  return { from, to: latest };
}
