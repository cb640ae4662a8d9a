/**
 * SQLite schema of core-data. Kept compact: device/profile/source/resource/valueType/units strings are
 * interned in `names` and stored as small integers; readings are clustered by their event
 * (WITHOUT ROWID, primary key (event, idx)) so an event's readings are one range, and carry only the
 * indexes the queries need: (device, origin), (resource, origin), (origin).
 * `counts` keeps per-device event/reading totals so unfiltered counts never scan.
 */
import type { SqliteSchema } from '@edgex-ts/sqlite';

const VERSION_1_SQL = `
CREATE TABLE IF NOT EXISTS names (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS events (
  seq       INTEGER PRIMARY KEY,
  id        TEXT    NOT NULL UNIQUE,
  device    INTEGER NOT NULL,
  profile   INTEGER NOT NULL,
  source    INTEGER NOT NULL,
  origin    INTEGER NOT NULL,
  nreadings INTEGER NOT NULL,
  tags      TEXT
);
CREATE INDEX IF NOT EXISTS events_device_origin ON events (device, origin);
CREATE INDEX IF NOT EXISTS events_origin ON events (origin);
CREATE TABLE IF NOT EXISTS readings (
  event    INTEGER NOT NULL,
  idx      INTEGER NOT NULL,
  id       TEXT    NOT NULL,
  origin   INTEGER NOT NULL,
  device   INTEGER NOT NULL,
  resource INTEGER NOT NULL,
  profile  INTEGER NOT NULL,
  vtype    INTEGER NOT NULL,
  units    INTEGER,
  value,
  extra    TEXT,
  PRIMARY KEY (event, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS readings_device_origin ON readings (device, origin);
CREATE INDEX IF NOT EXISTS readings_resource_origin ON readings (resource, origin);
CREATE INDEX IF NOT EXISTS readings_origin ON readings (origin);
CREATE TABLE IF NOT EXISTS counts (
  device   INTEGER PRIMARY KEY,
  events   INTEGER NOT NULL,
  readings INTEGER NOT NULL
);
`;

/** Versions of the schema, oldest first (see migrateSqlite): add a step for every change, never edit one. */
export const CORE_DATA_SCHEMA: SqliteSchema = {
  owner: 'core-data',
  migrations: [(db) => db.exec(VERSION_1_SQL)],
};
