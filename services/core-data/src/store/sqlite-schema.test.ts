// core-data's SQLite file across releases: older files open with their events, newer ones are refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type CommonConfig } from '@edgex-ts/runtime';
import { openSqlite } from '@edgex-ts/sqlite';
import { pino } from 'pino';
import { makeEvent } from '../test-support/events.js';
import { openEventStore } from './open.js';
import { CORE_DATA_SCHEMA } from './sqlite-schema.js';

const silent = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'core-data-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sqliteAt(path: string): CommonConfig['Database'] {
  return { Type: 'sqlite', Path: path } as CommonConfig['Database'];
}

describe('core-data SQLite schema versions', () => {
  it('a file from before schema versions (version 0) opens with its events and is marked current', async () => {
    const path = join(dir, 'unversioned.db');
    const event = makeEvent({ deviceName: 'old-dev', resources: 3 });
    let store = await openEventStore(sqliteAt(path), silent);
    await store.addEvents([event]);
    await store.close();
    // Earlier releases wrote the same tables and left user_version at 0.
    let db = openSqlite(path);
    db.pragma('user_version = 0');
    db.close();

    store = await openEventStore(sqliteAt(path), silent);
    try {
      assert.deepEqual(await store.getEvent(event.id), { apiVersion: 'v3', ...event });
      assert.equal(await store.countReadings({ deviceName: 'old-dev' }), 3);
    } finally {
      await store.close();
    }
    db = openSqlite(path);
    assert.equal(db.pragma('user_version', { simple: true }), CORE_DATA_SCHEMA.migrations.length);
    db.close();
  });

  it('a file written by a newer release is refused with a message naming it; its data stays as it was', async () => {
    const path = join(dir, 'newer.db');
    const store = await openEventStore(sqliteAt(path), silent);
    await store.addEvents([makeEvent({ deviceName: 'new-dev' })]);
    await store.close();
    const newer = CORE_DATA_SCHEMA.migrations.length + 1;
    let db = openSqlite(path);
    db.pragma(`user_version = ${newer}`);
    db.close();

    await assert.rejects(
      openEventStore(sqliteAt(path), silent),
      new RegExp(`^Error: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: schema version ${newer} is newer than this core-data knows`),
    );
    db = openSqlite(path);
    assert.deepEqual(db.prepare('SELECT count(*) AS n FROM events').get(), { n: 1 });
    assert.equal(db.pragma('user_version', { simple: true }), newer);
    db.close();
  });
});
