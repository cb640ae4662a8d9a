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
