import type { ExactInteger } from '@edgex-ts/contracts';
import { EdgeXError } from '@edgex-ts/contracts/errors';
import { parseJson, STORED_JSON } from '@edgex-ts/contracts/json';
import type Database from 'better-sqlite3';
import { migrateSqlite } from '@edgex-ts/sqlite';
import type { Logger } from 'pino';
import { EVENT_FIELDS, READING_FIELDS, flattenEvents, type EventRows } from './event-rows.js';
import { CORE_DATA_SCHEMA } from './sqlite-schema.js';
import type { AddOutcome, DeviceTotals, EventFilter, EventRecord, EventStore, Page, ReadingFilter, ReadingRecord } from './types.js';

type Stmt = Database.Statement<unknown[], unknown>;

interface EventRow {
  seq: number;
  id: string;
  device: number;
  profile: number;
  source: number;
  /** CAST(origin AS TEXT): better-sqlite3 would hand an INTEGER beyond 2^53 over as a rounded number. */
  origin_ns: string;
  tags: string | null;
}

interface ReadingRow {
  id: string;
  origin_ns: string;
  device: number;
  resource: number;
  profile: number;
  vtype: number;
  units: number | null;
  value: string | Buffer | null;
  extra: string | null;
}

/** Origins are read as text (exact) under another name, so that ORDER BY origin still sorts the INTEGER column. */
const ORIGIN_NS = 'CAST(origin AS TEXT) AS origin_ns';
const READING_COLS = `id, ${ORIGIN_NS}, device, resource, profile, vtype, units, value, extra`;
const EVENT_COLS = `seq, id, device, profile, source, ${ORIGIN_NS}, tags`;

/** An origin column read as text, as an ExactInteger (number while safe, as `exactInteger` has it). */
function originOf(text: string): ExactInteger {
  const n = Number(text);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : BigInt(text);
}

/** Interns strings as small integers (the `names` table), with both directions cached in memory. */
class Names {
  private readonly ids = new Map<string, number>();
  private readonly strings = new Map<number, string>();
  private readonly select: Stmt;
  private readonly selectById: Stmt;
  private readonly insert: Stmt;

  constructor(db: Database.Database) {
    this.select = db.prepare('SELECT id FROM names WHERE name = ?');
    this.selectById = db.prepare('SELECT name FROM names WHERE id = ?');
    this.insert = db.prepare('INSERT INTO names (name) VALUES (?)');
  }

  /** Id of `name`, creating it (inside the caller's transaction) when new. */
  intern(name: string): number {
    const cached = this.ids.get(name);
    if (cached !== undefined) return cached;
    const row = this.select.get(name) as { id: number } | undefined;
    const id = row ? row.id : Number(this.insert.run(name).lastInsertRowid);
    this.remember(name, id);
    return id;
  }

  /** Id of `name` if it was ever stored; never creates one. */
  find(name: string): number | undefined {
    const cached = this.ids.get(name);
    if (cached !== undefined) return cached;
    const row = this.select.get(name) as { id: number } | undefined;
    if (row) this.remember(name, row.id);
    return row?.id;
  }

  name(id: number): string {
    const cached = this.strings.get(id);
    if (cached !== undefined) return cached;
    const row = this.selectById.get(id) as { name: string } | undefined;
    if (!row) throw new EdgeXError('Database', `core-data store: dangling name id ${id}`);
    this.remember(row.name, id);
    return row.name;
  }

  /** Forgets everything (after a rolled-back transaction that may have cached ids it never committed). */
  reset(): void {
    this.ids.clear();
    this.strings.clear();
  }

  private remember(name: string, id: number): void {
    this.ids.set(name, id);
    this.strings.set(id, name);
  }
}

/**
 * EventStore on one SQLite database (better-sqlite3, synchronous; every call runs to completion on the
 * event loop, so one store instance is the single writer of its file).
 */
export class SqliteEventStore implements EventStore {
  private readonly names: Names;
  private readonly insEvent: Stmt;
  private readonly insReading: Stmt;
  private readonly upCounts: Stmt;
  private readonly readingsOfEvent: Stmt;
  private readonly stmtCache = new Map<string, Stmt>();
  private readonly insertBatches: (batches: EventRows[]) => AddOutcome[][];

  /** Brings the file's schema to the latest version first (see CORE_DATA_SCHEMA); `log` hears of a migration. */
  constructor(
    private readonly db: Database.Database,
    log?: Logger,
  ) {
    // A small page cache (4 MB) keeps memory flat: ingest appends (origin, event seq) and only the
    // events.id index takes random inserts. Rarer checkpoints: ingest is write-heavy and commits come in groups.
    db.pragma('cache_size = -4096');
    db.pragma('wal_autocheckpoint = 10000');
    migrateSqlite(db, CORE_DATA_SCHEMA, log);
    this.names = new Names(db);
    this.insEvent = db.prepare(
      'INSERT INTO events (id, device, profile, source, origin, nreadings, tags) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    this.insReading = db.prepare(
      'INSERT INTO readings (event, idx, id, origin, device, resource, profile, vtype, units, value, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.upCounts = db.prepare(
      'INSERT INTO counts (device, events, readings) VALUES (?, ?, ?) ON CONFLICT (device) DO UPDATE SET events = events + excluded.events, readings = readings + excluded.readings',
    );
    this.readingsOfEvent = db.prepare(`SELECT ${READING_COLS} FROM readings WHERE event = ? ORDER BY idx`);
    this.insertBatches = db.transaction((batches: EventRows[]) => {
      const perDevice = new Map<number, [number, number]>();
      const outcomes = batches.map((rows) => this.insertAll(rows, perDevice));
      for (const [device, [events, readings]] of perDevice) this.upCounts.run(device, events, readings);
      return outcomes;
    });
  }

  async addEvents(events: EventRecord[]): Promise<AddOutcome[]> {
    return this.addRows([flattenEvents(events)])[0];
  }

  /** Stores already flattened batches in one transaction (the writer thread's entry point); outcomes per batch. */
  addRows(batches: EventRows[]): AddOutcome[][] {
    try {
      return this.insertBatches(batches);
    } catch (err) {
      this.names.reset();
      throw err;
    }
  }

  /** Inserts one batch, adding its per-device event and reading totals to `perDevice`. */
  private insertAll(rows: EventRows, perDevice: Map<number, [number, number]>): AddOutcome[] {
    const outcomes: AddOutcome[] = [];
    const names = this.names;
    const ins = this.insReading;
    let at = 0;
    while (at < rows.length) {
      const device = names.intern(rows[at + 1] as string);
      const nreadings = rows[at + 5] as number;
      const info = this.insEvent.run(
        rows[at],
        device,
        names.intern(rows[at + 2] as string),
        names.intern(rows[at + 3] as string),
        rows[at + 4],
        nreadings,
        rows[at + 6],
      );
      at += EVENT_FIELDS;
      if (info.changes === 0) {
        outcomes.push('duplicate');
        at += nreadings * READING_FIELDS;
        continue;
      }
      outcomes.push('stored');
      const seq = info.lastInsertRowid;
      for (let i = 0; i < nreadings; i++, at += READING_FIELDS) {
        const units = rows[at + 6] as string | null;
        ins.run(
          seq,
          i,
          rows[at],
          rows[at + 1],
          names.intern(rows[at + 2] as string),
          names.intern(rows[at + 3] as string),
          names.intern(rows[at + 4] as string),
          names.intern(rows[at + 5] as string),
          units === null ? null : names.intern(units),
          asBindable(rows[at + 7]),
          rows[at + 8],
        );
      }
      const c = perDevice.get(device);
      if (c) {
        c[0] += 1;
        c[1] += nreadings;
      } else perDevice.set(device, [1, nreadings]);
    }
    return outcomes;
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    const row = this.stmt(`SELECT ${EVENT_COLS} FROM events WHERE id = ?`).get(id) as EventRow | undefined;
    return row ? this.toEvent(row) : undefined;
  }

  async listEvents(filter: EventFilter, page: Page): Promise<EventRecord[]> {
    const w = this.eventWhere(filter);
    if (!w) return [];
    const rows = this.stmt(`SELECT ${EVENT_COLS} FROM events${w.sql} ORDER BY origin DESC, seq DESC LIMIT ? OFFSET ?`).all(
      ...w.args,
      page.limit,
      page.offset,
    ) as EventRow[];
    return rows.map((r) => this.toEvent(r));
  }

  async countEvents(filter: EventFilter): Promise<number> {
    if (filter.start === undefined && filter.end === undefined) return this.countFromTotals(filter.deviceName, 'events');
    const w = this.eventWhere(filter);
    if (!w) return 0;
    return (this.stmt(`SELECT count(*) AS n FROM events${w.sql}`).get(...w.args) as { n: number }).n;
  }

  async listReadings(filter: ReadingFilter, page: Page): Promise<ReadingRecord[]> {
    const w = this.readingWhere(filter);
    if (!w) return [];
    const rows = this.stmt(`SELECT ${READING_COLS} FROM readings${w.sql} ORDER BY origin DESC, event DESC, idx DESC LIMIT ? OFFSET ?`).all(
      ...w.args,
      page.limit,
      page.offset,
    ) as ReadingRow[];
    return rows.map((r) => this.toReading(r));
  }

  async countReadings(filter: ReadingFilter): Promise<number> {
    if (filter.start === undefined && filter.end === undefined && !filter.resourceNames?.length) {
      return this.countFromTotals(filter.deviceName, 'readings');
    }
    const w = this.readingWhere(filter);
    if (!w) return 0;
    return (this.stmt(`SELECT count(*) AS n FROM readings${w.sql}`).get(...w.args) as { n: number }).n;
  }

  async deleteEvent(id: string): Promise<boolean> {
    return this.deleteWhere(' WHERE id = ?', [id]) > 0;
  }

  async deleteEventsByDevice(deviceName: string): Promise<number> {
    const device = this.names.find(deviceName);
    if (device === undefined) return 0;
    return this.deleteWhere(' WHERE device = ?', [device]);
  }

  async deleteEventsOlderThan(origin: ExactInteger, limit?: number): Promise<number> {
    if (limit === undefined) return this.deleteWhere(' WHERE origin < ?', [origin]);
    return this.deleteWhere(' WHERE seq IN (SELECT seq FROM events WHERE origin < ? ORDER BY origin, seq LIMIT ?)', [origin, limit]);
  }

  async deleteDeviceEventsOlderThan(deviceName: string, origin: ExactInteger, limit?: number): Promise<number> {
    const device = this.names.find(deviceName);
    if (device === undefined) return 0;
    if (limit === undefined) return this.deleteWhere(' WHERE device = ? AND origin < ?', [device, origin]);
    // Served by events_device_origin (device, origin, and the seq every index carries).
    return this.deleteWhere(' WHERE seq IN (SELECT seq FROM events WHERE device = ? AND origin < ? ORDER BY origin, seq LIMIT ?)', [device, origin, limit]);
  }

  async listDeviceTotals(minReadings = 1): Promise<DeviceTotals[]> {
    const rows = this.stmt(
      'SELECT device, readings, (SELECT profile FROM events e WHERE e.device = c.device ORDER BY origin DESC, seq DESC LIMIT 1) AS profile FROM counts c WHERE events > 0 AND readings >= ?',
    ).all(Math.max(minReadings, 1)) as { device: number; readings: number; profile: number }[];
    return rows.map((r) => ({ deviceName: this.names.name(r.device), profileName: this.names.name(r.profile), readings: r.readings }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private deleteWhere(where: string, args: unknown[]): number {
    const run = this.db.transaction(() => {
      const groups = this.stmt(`SELECT device, count(*) AS ne, sum(nreadings) AS nr FROM events${where} GROUP BY device`).all(...args) as {
        device: number;
        ne: number;
        nr: number;
      }[];
      if (groups.length === 0) return 0;
      this.stmt(`DELETE FROM readings WHERE event IN (SELECT seq FROM events${where})`).run(...args);
      const deleted = this.stmt(`DELETE FROM events${where}`).run(...args).changes;
      const dec = this.stmt('UPDATE counts SET events = events - ?, readings = readings - ? WHERE device = ?');
      for (const g of groups) dec.run(g.ne, g.nr, g.device);
      return deleted;
    });
    return run();
  }

  private countFromTotals(deviceName: string | undefined, col: 'events' | 'readings'): number {
    if (deviceName === undefined) {
      return (this.stmt(`SELECT coalesce(sum(${col}), 0) AS n FROM counts`).get() as { n: number }).n;
    }
    const device = this.names.find(deviceName);
    if (device === undefined) return 0;
    const row = this.stmt(`SELECT ${col} AS n FROM counts WHERE device = ?`).get(device) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** WHERE clause for events; undefined when the filter names a device never stored (nothing can match). */
  private eventWhere(f: EventFilter): { sql: string; args: unknown[] } | undefined {
    const conds: string[] = [];
    const args: unknown[] = [];
    if (f.deviceName !== undefined) {
      const device = this.names.find(f.deviceName);
      if (device === undefined) return undefined;
      conds.push('device = ?');
      args.push(device);
    }
    addRange(conds, args, f);
    return { sql: conds.length ? ` WHERE ${conds.join(' AND ')}` : '', args };
  }

  private readingWhere(f: ReadingFilter): { sql: string; args: unknown[] } | undefined {
    const w = this.eventWhere(f);
    if (!w) return undefined;
    if (!f.resourceNames?.length) return w;
    const ids = f.resourceNames.map((n) => this.names.find(n)).filter((id): id is number => id !== undefined);
    if (ids.length === 0) return undefined;
    const cond = ids.length === 1 ? 'resource = ?' : `resource IN (${ids.map(() => '?').join(', ')})`;
    return { sql: w.sql ? `${w.sql} AND ${cond}` : ` WHERE ${cond}`, args: [...w.args, ...ids] };
  }

  private toEvent(row: EventRow): EventRecord {
    const readings = (this.readingsOfEvent.all(row.seq) as ReadingRow[]).map((r) => this.toReading(r));
    const ev: EventRecord = {
      apiVersion: 'v3',
      id: row.id,
      deviceName: this.names.name(row.device),
      profileName: this.names.name(row.profile),
      sourceName: this.names.name(row.source),
      origin: originOf(row.origin_ns),
      readings,
    };
    if (row.tags) ev.tags = parseJson(row.tags, STORED_JSON) as Record<string, unknown>;
    return ev;
  }

  private toReading(row: ReadingRow): ReadingRecord {
    const valueType = this.names.name(row.vtype);
    const r: ReadingRecord = {
      id: row.id,
      origin: originOf(row.origin_ns),
      deviceName: this.names.name(row.device),
      resourceName: this.names.name(row.resource),
      profileName: this.names.name(row.profile),
      valueType: valueType as ReadingRecord['valueType'],
    };
    if (row.units !== null) r.units = this.names.name(row.units);
    const extra = row.extra ? (parseJson(row.extra, STORED_JSON) as { t?: Record<string, unknown>; m?: string }) : undefined;
    if (extra?.t) r.tags = extra.t;
    if (extra?.m) r.mediaType = extra.m;
    // A NULL value is an EdgeX 4 null reading: no value field at all.
    if (row.value === null) return r;
    if (valueType === 'Binary') r.binaryValue = Buffer.from(row.value as Buffer).toString('base64');
    else if (valueType === 'Object' || valueType === 'ObjectArray') r.objectValue = parseJson(String(row.value), STORED_JSON) as object;
    else r.value = String(row.value);
    return r;
  }

  private stmt(sql: string): Stmt {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }
}

function addRange(conds: string[], args: unknown[], f: EventFilter): void {
  if (f.start !== undefined) {
    conds.push('origin >= ?');
    args.push(f.start);
  }
  if (f.end !== undefined) {
    conds.push('origin <= ?');
    args.push(f.end);
  }
}

/** better-sqlite3 binds Buffers, not bare Uint8Arrays (which is what a Buffer becomes after structured clone). */
function asBindable(v: unknown): unknown {
  return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}
