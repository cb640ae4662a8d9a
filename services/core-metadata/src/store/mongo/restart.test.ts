// core-metadata switched to MongoDB by MONGODB_URL alone: serves the REST API from a real FerretDB, and its
// data outlives a restart of core-metadata (the SQLite file it would otherwise use is never created).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFerretDb, type FerretDb } from '../../../../../test/helpers/ferretdb.js';
import { BOOL_PROFILE, INT_PROFILE_YAML, VIRTUAL_SERVICE, req, virtualDevice } from '../../test-support/fixtures.js';
import { startTestMetadata, tempDir } from '../../test-support/harness.js';

describe('core-metadata on MongoDB (MONGODB_URL)', () => {
  const tmp = tempDir();
  let ferret: FerretDb;
  before(async () => {
    ferret = await startFerretDb();
  });
  after(async () => {
    await ferret?.stop();
    tmp.remove();
  });

  it('serves the API from MongoDB and keeps everything across a restart of core-metadata', async () => {
    const dbPath = join(tmp.dir, 'unused.db');
    const env = { MONGODB_URL: `${ferret.url}edgex_md_service_test` };
    let md = await startTestMetadata({ dbPath, env });
    assert.equal(md.handle.runtime.config.Database.Type, 'mongodb');
    const shown = (await md.call('GET', '/config')).body.config.Database;
    assert.equal(shown.Type, 'mongodb');
    await md.call('POST', '/deviceservice', [req('service', VIRTUAL_SERVICE)]);
    const form = new FormData();
    form.append('file', new Blob([INT_PROFILE_YAML]), 'int.yaml');
    assert.equal((await md.raw('POST', '/deviceprofile/uploadfile', { body: form })).status, 201);
    await md.call('POST', '/deviceprofile', [req('profile', BOOL_PROFILE)]);
    const added = await md.call('POST', '/device', [
      req('device', virtualDevice('D1')),
      req('device', virtualDevice('D2', 'Random-Boolean-Device', { labels: ['b'] })),
    ]);
    assert.deepEqual(
      added.body.map((r: { statusCode: number }) => r.statusCode),
      [201, 201],
    );
    await md.call('POST', '/provisionwatcher', [
      req('provisionWatcher', {
        name: 'W1',
        serviceName: 'device-virtual',
        identifiers: { Address: '.*' },
        adminState: 'UNLOCKED',
        discoveredDevice: { profileName: 'Random-Boolean-Device', adminState: 'UNLOCKED' },
      }),
    ]);
    const dup = await md.call('POST', '/device', [req('device', virtualDevice('D1'))]);
    assert.equal(dup.body[0].statusCode, 409);
    const before = (await md.call('GET', '/device/name/D2')).body.device;
    await md.stop();

    md = await startTestMetadata({ dbPath, env });
    try {
      assert.deepEqual((await md.call('GET', '/device/name/D2')).body.device, before);
      assert.equal((await md.call('GET', '/device/all')).body.totalCount, 2);
      assert.equal((await md.call('GET', '/device/all?labels=b')).body.totalCount, 1);
      assert.deepEqual(
        (await md.call('GET', '/device/all?offset=1&limit=1')).body.devices.map((d: { name: string }) => d.name),
        ['D2'],
      );
      assert.equal((await md.call('GET', '/device/all?offset=5')).status, 416);
      assert.equal((await md.call('GET', '/device/service/name/device-virtual')).body.totalCount, 2);
      assert.equal((await md.call('GET', '/deviceprofile/all')).body.totalCount, 2);
      assert.equal((await md.call('GET', '/deviceprofile/model/Device-Virtual-01')).body.totalCount, 2);
      assert.equal((await md.call('GET', '/deviceprofile/manufacturer/IOTech')).body.totalCount, 2);
      assert.equal((await md.call('GET', '/deviceservice/all')).body.totalCount, 1);
      assert.equal((await md.call('GET', '/provisionwatcher/profile/name/Random-Boolean-Device')).body.totalCount, 1);
      assert.equal((await md.call('DELETE', '/deviceprofile/name/Random-Boolean-Device')).status, 409);
      assert.equal((await md.call('DELETE', '/device/name/D1')).status, 200);
      assert.equal((await md.call('GET', '/device/name/D1')).status, 404);
    } finally {
      await md.stop();
    }
    assert.equal(existsSync(dbPath), false, 'no SQLite file is created when MongoDB is configured');
  });

  it('a MONGODB_URL nobody answers: start fails with a message naming the URL', async () => {
    const env = { MONGODB_URL: 'mongodb://127.0.0.1:1/edgex', DATABASE_TIMEOUT: '500ms' };
    await assert.rejects(startTestMetadata({ dbPath: join(tmp.dir, 'x.db'), env }), /cannot connect to mongodb:\/\/127\.0\.0\.1:1\/edgex within 500 ms/);
  });
});
