// core-metadata's SQLite file across releases: older files open with their contents, newer ones are refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DeviceService } from '@edgex-ts/contracts';
import { openSqlite } from '@edgex-ts/sqlite';
import { CORE_METADATA_SCHEMA, sqliteMetadataStores } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'core-metadata-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const service: DeviceService = {
  id: 'a6a6f6b2-0000-4000-8000-000000000001',
  name: 'device-kept',
  baseAddress: 'http://gateway:59999',
  adminState: 'UNLOCKED',
  labels: ['line-1'],
  created: 1000,
  modified: 1000,
};

describe('core-metadata SQLite schema versions', () => {
  it('a file from before schema versions (version 0) opens with its contents and is marked current', async () => {
    const path = join(dir, 'unversioned.db');
    let stores = sqliteMetadataStores(openSqlite(path));
    await stores.deviceServices.add(service);
    await stores.close();
    let db = openSqlite(path);
    db.pragma('user_version = 0'); // as earlier releases left it
    db.close();

    stores = sqliteMetadataStores(openSqlite(path));
    try {
      assert.deepEqual(await stores.deviceServices.byName('device-kept'), service);
    } finally {
      await stores.close();
    }
    db = openSqlite(path);
    assert.equal(db.pragma('user_version', { simple: true }), CORE_METADATA_SCHEMA.migrations.length);
    db.close();
  });

  it('a version 1 file (devices without the parent column) gets the column filled from each device: the tree finds them', async () => {
    const path = join(dir, 'version1.db');
    let db = openSqlite(path);
    db.exec(`CREATE TABLE device (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, created INTEGER NOT NULL,
      labels TEXT NOT NULL DEFAULT '[]', service_name TEXT, profile_name TEXT, body TEXT NOT NULL)`);
    const child = {
      id: 'c1',
      name: 'child',
      parent: 'gateway',
      serviceName: 's',
      profileName: 'p',
      adminState: 'UNLOCKED',
      operatingState: 'UP',
      protocols: {},
      created: 1,
    };
    db.prepare('INSERT INTO device (id, name, created, service_name, profile_name, body) VALUES (?, ?, 1, ?, ?, ?)').run(
      'c1',
      'child',
      's',
      'p',
      JSON.stringify(child),
    );
    db.pragma('user_version = 1');
    db.close();

    const stores = sqliteMetadataStores(openSqlite(path));
    try {
      assert.deepEqual((await stores.devices.list({ offset: 0, limit: -1, parent: 'gateway' })).items, [child]);
    } finally {
      await stores.close();
    }
    db = openSqlite(path);
    assert.equal(db.pragma('user_version', { simple: true }), CORE_METADATA_SCHEMA.migrations.length);
    db.close();
  });

  it('a file written by a newer release is refused with a message naming it, and closed', () => {
    const path = join(dir, 'newer.db');
    const newer = CORE_METADATA_SCHEMA.migrations.length + 1;
    let db = openSqlite(path);
    db.pragma(`user_version = ${newer}`);
    db.close();

    db = openSqlite(path);
    assert.throws(
      () => sqliteMetadataStores(db),
      (err: Error) => err.message.startsWith(`${path}: schema version ${newer} is newer than this core-metadata knows`),
    );
    assert.equal(db.open, false);
  });
});
