import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { join } from 'node:path';
import { BOOL_PROFILE, INT_PROFILE_YAML, VIRTUAL_SERVICE, req, virtualDevice } from '../../test-support/fixtures.js';
import { startTestMetadata, tempDir } from '../../test-support/harness.js';

describe('core-metadata SQLite persistence', () => {
  const tmp = tempDir();
  after(() => tmp.remove());

  it('keeps services, profiles, devices and watchers across a restart on the same file', async () => {
    const dbPath = join(tmp.dir, 'persist.db');
    let md = await startTestMetadata({ dbPath });
    await md.call('POST', '/deviceservice', [req('service', VIRTUAL_SERVICE)]);
    const form = new FormData();
    form.append('file', new Blob([INT_PROFILE_YAML]), 'int.yaml');
    assert.equal((await md.raw('POST', '/deviceprofile/uploadfile', { body: form })).status, 201);
    await md.call('POST', '/deviceprofile', [req('profile', BOOL_PROFILE)]);
    await md.call('POST', '/device', [req('device', virtualDevice('D1')), req('device', virtualDevice('D2', 'Random-Boolean-Device', { labels: ['b'] }))]);
    await md.call('POST', '/provisionwatcher', [
      req('provisionWatcher', {
        name: 'W1',
        serviceName: 'device-virtual',
        identifiers: { Address: '.*' },
        adminState: 'UNLOCKED',
        discoveredDevice: { profileName: 'Random-Boolean-Device', adminState: 'UNLOCKED' },
      }),
    ]);
    const before = (await md.call('GET', '/device/name/D2')).body.device;
    await md.stop();

    md = await startTestMetadata({ dbPath });
    try {
      const after = (await md.call('GET', '/device/name/D2')).body.device;
      assert.deepEqual(after, before);
      assert.equal((await md.call('GET', '/device/all')).body.totalCount, 2);
      assert.equal((await md.call('GET', '/device/all?labels=b')).body.totalCount, 1);
      assert.equal((await md.call('GET', '/deviceprofile/all')).body.totalCount, 2);
      assert.equal((await md.call('GET', '/deviceprofile/model/Device-Virtual-01')).body.totalCount, 2);
      assert.equal((await md.call('GET', '/deviceservice/all')).body.totalCount, 1);
      assert.equal((await md.call('GET', '/provisionwatcher/profile/name/Random-Boolean-Device')).body.totalCount, 1);
      // Rules still hold against restored data.
      assert.equal((await md.call('DELETE', '/deviceprofile/name/Random-Boolean-Device')).status, 409);
      const dup = await md.call('POST', '/device', [req('device', virtualDevice('D1'))]);
      assert.equal(dup.body[0].statusCode, 409);
    } finally {
      await md.stop();
    }
  });
});
