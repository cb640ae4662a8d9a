// Versioned SQLite schemas: what a service relies on when its file outlives a release.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { migrateSqlite, openSqlite, type SqliteDatabase, type SqliteSchema } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A schema whose steps record that they ran. */
function recordingSchema(ran: number[], steps: ((db: SqliteDatabase) => void)[]): SqliteSchema {
  return {
    owner: 'test-service',
    migrations: steps.map((step, i) => (db: SqliteDatabase) => {
      ran.push(i + 1);
      step(db);
    }),
  };
}

const v1 = (db: SqliteDatabase) => db.exec('CREATE TABLE IF NOT EXISTS things (name TEXT PRIMARY KEY)');
const v2 = (db: SqliteDatabase) => db.exec("ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'grey'");

describe('migrateSqlite', () => {
  it('creates a new file at the latest version; opening it again runs no step', () => {
    const path = join(dir, 'new.db');
    const ran: number[] = [];
    let db = openSqlite(path);
    assert.deepEqual(migrateSqlite(db, recordingSchema(ran, [v1, v2])), { from: 0, to: 2 });
    db.prepare("INSERT INTO things (name, colour) VALUES ('a', 'red')").run();
    db.close();

    db = openSqlite(path);
    assert.deepEqual(migrateSqlite(db, recordingSchema(ran, [v1, v2])), { from: 2, to: 2 });
    assert.deepEqual(ran, [1, 2]);
    assert.deepEqual(db.prepare('SELECT name, colour FROM things').all(), [{ name: 'a', colour: 'red' }]);
    db.close();
  });

  it('brings a file of an older release forward, keeping its rows', () => {
    const path = join(dir, 'older.db');
    let db = openSqlite(path);
    migrateSqlite(db, recordingSchema([], [v1]));
    db.prepare("INSERT INTO things (name) VALUES ('kept')").run();
    db.close();

    db = openSqlite(path);
    const ran: number[] = [];
    assert.deepEqual(migrateSqlite(db, recordingSchema(ran, [v1, v2])), { from: 1, to: 2 });
    assert.deepEqual(ran, [2]);
    assert.deepEqual(db.prepare('SELECT name, colour FROM things').all(), [{ name: 'kept', colour: 'grey' }]);
    db.close();
  });

  it('refuses a file written by a newer release, naming the file and both versions, and leaves it as it was', () => {
    const path = join(dir, 'newer.db');
    let db = openSqlite(path);
    migrateSqlite(db, recordingSchema([], [v1, v2]));
    db.close();

    db = openSqlite(path);
    const ran: number[] = [];
    assert.throws(
      () => migrateSqlite(db, recordingSchema(ran, [v1])),
      (err: Error) => {
        assert.ok(err.message.startsWith(`${path}: schema version 2 is newer than this test-service knows (1)`), err.message);
        return true;
      },
    );
    assert.deepEqual(ran, []);
    assert.equal(db.pragma('user_version', { simple: true }), 2);
    db.close();
  });

  it('a step that fails leaves the file at its version, with no part of the migration applied', () => {
    const path = join(dir, 'failing.db');
    const db = openSqlite(path);
    const failing = () => {
      throw new Error('step 3 cannot run');
    };
    assert.throws(() => migrateSqlite(db, recordingSchema([], [v1, v2, failing])), /step 3 cannot run/);
    assert.equal(db.pragma('user_version', { simple: true }), 0);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all(), []);
    db.close();
  });
});

describe('openSqlite', () => {
  it('creates folders and sets WAL, synchronous=NORMAL, busy_timeout, foreign_keys', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sqlite-')), 'nested', 'deeper', 'svc.db');
    const db = openSqlite(path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 1);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((db.pragma('busy_timeout', { simple: true }) as number) > 0);
    db.close();
    const mem = openSqlite(':memory:');
    assert.equal(mem.pragma('foreign_keys', { simple: true }), 1);
    mem.close();
  });
});
