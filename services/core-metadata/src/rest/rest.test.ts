import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { BOOL_PROFILE, INT_PROFILE_YAML, VIRTUAL_SERVICE, req, virtualDevice } from '../test-support/fixtures.js';
import { startTestMetadata, tempDir, type TestMetadata } from '../test-support/harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uploadForm(text: string, field = 'file', filename = 'profile.yaml'): FormData {
  const form = new FormData();
  form.append(field, new Blob([text], { type: 'application/x-yaml' }), filename);
  return form;
}

describe('core-metadata REST (EdgeX v3)', () => {
  const tmp = tempDir();
  let md: TestMetadata;

  before(async () => {
    md = await startTestMetadata({ dbPath: join(tmp.dir, 'md.db') });
  });
  after(async () => {
    await md?.stop();
    tmp.remove();
  });

  it('adds a device service, uploads the device-virtual profile and adds devices', async () => {
    let r = await md.call('POST', '/deviceservice', [req('service', VIRTUAL_SERVICE)]);
    assert.equal(r.status, 207);
    assert.equal(r.body[0].statusCode, 201);
    assert.match(r.body[0].id, UUID);

    r = await md.raw('POST', '/deviceprofile/uploadfile', { body: uploadForm(INT_PROFILE_YAML) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.apiVersion, 'v3');
    assert.equal(r.body.statusCode, 201);
    assert.match(r.body.id, UUID);

    r = await md.call('GET', '/deviceprofile/name/Random-Integer-Device');
    assert.equal(r.status, 200);
    assert.equal(r.body.profile.deviceResources.length, 3);
    assert.equal(r.body.profile.deviceResources[2].properties.minimum, -100);
    assert.equal(typeof r.body.profile.created, 'number');

    r = await md.call('POST', '/device', [
      { ...req('device', virtualDevice('Random-Integer-Device-01')), requestId: '6c7b1c1e-0e6a-4a53-8d6a-1f2f3e4d5c6b' },
      req('device', virtualDevice('Random-Integer-Device-01')),
      req('device', virtualDevice('Ghost-Device', 'No-Such-Profile')),
      req('device', { ...virtualDevice('Orphan-Device'), serviceName: 'no-such-service' }),
    ]);
    assert.equal(r.status, 207);
    const codes = r.body.map((i: { statusCode: number }) => i.statusCode);
    assert.deepEqual(codes, [201, 409, 400, 400]); // EdgeX 3/4: an unknown service or profile is ContractInvalid
    assert.equal(r.body[0].requestId, '6c7b1c1e-0e6a-4a53-8d6a-1f2f3e4d5c6b');
    assert.match(r.body[1].message, /device Random-Integer-Device-01 already exists/);
    assert.match(r.body[2].message, /device profile No-Such-Profile does not exist/);
    assert.match(r.body[3].message, /device service no-such-service does not exist/);
  });

  it('a batch with one malformed item is one 400 naming it, and stores nothing (EdgeX decodes the whole array first)', async () => {
    let r = await md.call('POST', '/device', [
      req('device', virtualDevice('Batch-Good-Device')),
      req('device', { ...virtualDevice('Bad-Device'), adminState: 'SLEEPY' }),
    ]);
    assert.equal(r.status, 400);
    assert.equal(r.body.statusCode, 400);
    assert.match(r.body.message, /^request\[1\]\.device\.adminState: /);
    assert.equal((await md.call('GET', '/device/name/Batch-Good-Device')).status, 404);

    r = await md.call('POST', '/device', [req('device', virtualDevice('Batch-Good-Device')), { apiVersion: 'v3', device: { name: 'NoService' } }]);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /request\[1\]\.device\.(adminState|serviceName|operatingState|protocols)/);
    r = await md.call('PATCH', '/deviceservice', [
      req('service', { name: 'device-virtual', description: 'patched' }),
      req('service', { name: 'device-virtual', baseAddress: 'not a url' }),
    ]);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /request\[1\]\.service\.baseAddress/);
    assert.equal((await md.call('GET', '/deviceservice/name/device-virtual')).body.service.description, 'virtual device service');
  });

  it('gets devices by name, profile, service and labels, with paging', async () => {
    await md.call('POST', '/device', [req('device', virtualDevice('Random-Integer-Device-02', 'Random-Integer-Device', { labels: ['second'] }))]);
    let r = await md.call('GET', '/device/name/Random-Integer-Device-01');
    assert.equal(r.status, 200);
    assert.equal(r.body.device.serviceName, 'device-virtual');
    assert.deepEqual(r.body.device.protocols, { other: { Address: 'device-virtual-int-01', Port: '300' } });

    r = await md.call('GET', '/device/all');
    assert.equal(r.status, 200);
    assert.equal(r.body.totalCount, 2);
    assert.equal(r.body.devices.length, 2);

    r = await md.call('GET', '/device/all?labels=second');
    assert.equal(r.body.totalCount, 1);
    assert.equal(r.body.devices[0].name, 'Random-Integer-Device-02');

    r = await md.call('GET', '/device/all?offset=1&limit=1');
    assert.equal(r.body.totalCount, 2);
    assert.equal(r.body.devices.length, 1);

    r = await md.call('GET', '/device/all?offset=5');
    assert.equal(r.status, 416);
    assert.equal(r.body.statusCode, 416);
    assert.match(r.body.message, /offset/);

    r = await md.call('GET', '/device/all?limit=abc');
    assert.equal(r.status, 400);
    assert.match(r.body.message, /limit/);

    r = await md.call('GET', '/device/profile/name/Random-Integer-Device');
    assert.equal(r.body.totalCount, 2);
    r = await md.call('GET', '/device/service/name/device-virtual?limit=-1');
    assert.equal(r.body.totalCount, 2);
    // EdgeX answers an unknown service or profile with an empty list (its device SDK asks before registering).
    for (const path of [
      '/device/service/name/nobody',
      '/device/profile/name/nobody',
      '/provisionwatcher/service/name/nobody',
      '/provisionwatcher/profile/name/nobody',
    ]) {
      r = await md.call('GET', path);
      assert.equal(r.status, 200, path);
      assert.equal(r.body.totalCount, 0, path);
      assert.deepEqual(r.body.devices ?? r.body.provisionWatchers, [], path);
    }

    r = await md.call('GET', '/device/check/name/Random-Integer-Device-02');
    assert.equal(r.status, 200);
    r = await md.call('GET', '/device/check/name/nope');
    assert.equal(r.status, 404);
    assert.match(r.body.message, /device nope does not exist/);
  });

  it('patches devices with EdgeX UpdateDevice semantics (207 per item)', async () => {
    const before = (await md.call('GET', '/device/name/Random-Integer-Device-02')).body.device;
    let r = await md.call('PATCH', '/device', [
      req('device', { name: 'Random-Integer-Device-02', adminState: 'LOCKED', autoEvents: [] }),
      req('device', { id: before.id, description: 'by id' }),
      req('device', { name: 'nope', adminState: 'LOCKED' }),
      req('device', { name: 'Random-Integer-Device-02', profileName: 'No-Such-Profile' }),
    ]);
    assert.equal(r.status, 207);
    assert.deepEqual(
      r.body.map((i: { statusCode: number }) => i.statusCode),
      [200, 200, 404, 400], // an unknown device is 404; naming an unknown profile is 400 (EdgeX 3/4)
    );
    r = await md.call('PATCH', '/device', [req('device', { adminState: 'LOCKED' })]);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /request\[0\]\.device\.name: id or name is required/);
    r = await md.call('GET', '/device/name/Random-Integer-Device-02');
    const after = r.body.device;
    assert.equal(after.adminState, 'LOCKED');
    assert.equal(after.autoEvents, undefined, 'cleared (and, empty, left out as EdgeX does)');
    assert.equal(after.description, 'by id');
    assert.equal(after.profileName, 'Random-Integer-Device');
    assert.deepEqual(after.labels, ['second']);
    assert.equal(after.id, before.id);
    assert.equal(after.created, before.created);
    assert.ok(after.modified >= before.modified);
  });

  it('manages profile resources and commands', async () => {
    const p = 'Random-Integer-Device';
    let r = await md.call('POST', '/deviceprofile/resource', [
      { apiVersion: 'v3', profileName: p, resource: { name: 'Int32', properties: { valueType: 'Int32', readWrite: 'R' } } },
      { apiVersion: 'v3', profileName: p, resource: { name: 'Int8', properties: { valueType: 'Int8', readWrite: 'R' } } },
      { apiVersion: 'v3', profileName: 'nope', resource: { name: 'X', properties: { valueType: 'Int8', readWrite: 'R' } } },
    ]);
    assert.equal(r.status, 207);
    assert.deepEqual(
      r.body.map((i: { statusCode: number }) => i.statusCode),
      [201, 400, 404],
    );
    assert.match(r.body[1].message, /Int8 already exists/);
    r = await md.call('POST', '/deviceprofile/resource', [
      { apiVersion: 'v3', profileName: p, resource: { name: 'Bad', properties: { valueType: 'Int128', readWrite: 'R' } } },
    ]);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /request\[0\]\.resource\.properties\.valueType/);

    r = await md.call('GET', `/deviceresource/profile/${p}/resource/Int32`);
    assert.equal(r.status, 200);
    assert.equal(r.body.resource.properties.valueType, 'Int32');

    r = await md.call('PATCH', '/deviceprofile/resource', [
      { apiVersion: 'v3', profileName: p, resource: { name: 'Int32', description: 'changed', isHidden: true } },
    ]);
    assert.equal(r.body[0].statusCode, 200);
    r = await md.call('GET', `/deviceresource/profile/${p}/resource/Int32`);
    assert.equal(r.body.resource.description, 'changed');
    assert.equal(r.body.resource.isHidden, true);

    r = await md.call('POST', '/deviceprofile/deviceCommand', [
      {
        apiVersion: 'v3',
        profileName: p,
        deviceCommand: { name: 'ReadBoth', readWrite: 'R', resourceOperations: [{ deviceResource: 'Int8' }, { deviceResource: 'Int32' }] },
      },
      {
        apiVersion: 'v3',
        profileName: p,
        deviceCommand: { name: 'Broken', readWrite: 'R', resourceOperations: [{ deviceResource: 'Missing' }] },
      },
    ]);
    assert.deepEqual(
      r.body.map((i: { statusCode: number }) => i.statusCode),
      [201, 400],
    );
    assert.match(r.body[1].message, /resourceOperations\[0\]\.deviceResource: no device resource named Missing/);

    r = await md.call('PATCH', '/deviceprofile/deviceCommand', [{ apiVersion: 'v3', profileName: p, deviceCommand: { name: 'ReadBoth', isHidden: true } }]);
    assert.equal(r.body[0].statusCode, 200);

    r = await md.call('DELETE', `/deviceprofile/name/${p}/resource/Int32`);
    assert.equal(r.status, 409);
    assert.match(r.body.message, /used by device command\(s\) ReadBoth/);

    r = await md.call('DELETE', `/deviceprofile/name/${p}/deviceCommand/ReadBoth`);
    assert.equal(r.status, 200);
    r = await md.call('DELETE', `/deviceprofile/name/${p}/resource/Int32`);
    assert.equal(r.status, 200);
    r = await md.call('GET', `/deviceresource/profile/${p}/resource/Int32`);
    assert.equal(r.status, 404);
  });

  it('adds, replaces, patches and lists profiles', async () => {
    let r = await md.call('POST', '/deviceprofile', [req('profile', BOOL_PROFILE), req('profile', BOOL_PROFILE)]);
    assert.deepEqual(
      r.body.map((i: { statusCode: number }) => i.statusCode),
      [201, 409],
    );
    r = await md.call('POST', '/deviceprofile', [
      req('profile', {
        ...BOOL_PROFILE,
        name: 'Dup-Resources',
        deviceResources: [BOOL_PROFILE.deviceResources[0], BOOL_PROFILE.deviceResources[0]],
      }),
    ]);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /duplicate resource name Bool/);

    r = await md.call('PUT', '/deviceprofile', [
      req('profile', { ...BOOL_PROFILE, description: 'replaced' }),
      req('profile', { ...BOOL_PROFILE, name: 'Unknown' }),
    ]);
    assert.deepEqual(
      r.body.map((i: { statusCode: number }) => i.statusCode),
      [200, 404],
    );

    r = await md.call('PATCH', '/deviceprofile/basicinfo', [
      { apiVersion: 'v3', basicinfo: { name: 'Random-Boolean-Device', manufacturer: 'Acme', model: 'B-1' } },
    ]);
    assert.equal(r.body[0].statusCode, 200);
    r = await md.call('GET', '/deviceprofile/name/Random-Boolean-Device');
    assert.equal(r.body.profile.description, 'replaced');
    assert.equal(r.body.profile.manufacturer, 'Acme');
    assert.equal(r.body.profile.deviceResources.length, 1);

    r = await md.call('GET', '/deviceprofile/all');
    assert.equal(r.body.totalCount, 2);
    r = await md.call('GET', '/deviceprofile/manufacturer/Acme');
    assert.deepEqual(
      r.body.profiles.map((p: { name: string }) => p.name),
      ['Random-Boolean-Device'],
    );
    r = await md.call('GET', '/deviceprofile/model/Device-Virtual-01');
    assert.deepEqual(
      r.body.profiles.map((p: { name: string }) => p.name),
      ['Random-Integer-Device'],
    );
    r = await md.call('GET', '/deviceprofile/manufacturer/Acme/model/B-1');
    assert.equal(r.body.totalCount, 1);
    r = await md.call('GET', '/deviceprofile/manufacturer/Acme/model/nope');
    assert.equal(r.body.totalCount, 0);
    assert.deepEqual(r.body.profiles, []);
  });

  it('uploads profiles: duplicate 409, PUT replaces, JSON accepted, bad files named', async () => {
    let r = await md.raw('POST', '/deviceprofile/uploadfile', { body: uploadForm(INT_PROFILE_YAML) });
    assert.equal(r.status, 409);
    assert.match(r.body.message, /Random-Integer-Device already exists/);

    const changed = INT_PROFILE_YAML.replace('Example of Device-Virtual', 'updated by upload');
    r = await md.raw('PUT', '/deviceprofile/uploadfile', { body: uploadForm(changed) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await md.call('GET', '/deviceprofile/name/Random-Integer-Device');
    assert.equal(r.body.profile.description, 'updated by upload');

    const json = JSON.stringify({ ...BOOL_PROFILE, name: 'Json-Profile' });
    r = await md.raw('POST', '/deviceprofile/uploadfile', { body: uploadForm(json, 'file', 'p.json') });
    assert.equal(r.status, 201, JSON.stringify(r.body));

    const wrongType = INT_PROFILE_YAML.replace('valueType: "Int16"', 'valueType: "Int17"').replace('Random-Integer-Device', 'X');
    r = await md.raw('POST', '/deviceprofile/uploadfile', { body: uploadForm(wrongType) });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /profile\.deviceResources\[2\]\.properties\.valueType: expected one of/);

    r = await md.raw('POST', '/deviceprofile/uploadfile', { body: uploadForm('name: [unclosed') });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /YAML/);

    r = await md.raw('POST', '/deviceprofile/uploadfile', { body: uploadForm(INT_PROFILE_YAML, 'profile') });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /form field "file"/);
  });

  it('rejects bad bodies with EdgeX BaseResponse errors and keeps serving', async () => {
    let r = await md.raw('POST', '/device', { body: '{not json', headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.statusCode, 400);
    assert.equal(r.body.apiVersion, 'v3');
    assert.match(r.body.message, /JSON/);

    r = await md.call('POST', '/device', { apiVersion: 'v3', device: virtualDevice('x') });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /array/);

    r = await md.call('GET', '/deviceprofile/name/nope');
    assert.equal(r.status, 404);
    assert.match(r.body.message, /device profile nope does not exist/);

    r = await md.call('GET', '/deviceservice/name/device-virtual');
    assert.equal(r.status, 200);
    assert.equal(r.body.service.baseAddress, 'http://device-virtual:59900');
  });

  it('device services and provision watchers: CRUD and in-use deletes (409)', async () => {
    let r = await md.call('POST', '/provisionwatcher', [
      req('provisionWatcher', {
        name: 'Virtual-Watcher',
        serviceName: 'device-virtual',
        labels: ['w'],
        identifiers: { Address: 'device-virtual-.*' },
        blockingIdentifiers: { Port: ['399'] },
        adminState: 'UNLOCKED',
        discoveredDevice: { profileName: 'Random-Boolean-Device', adminState: 'UNLOCKED', autoEvents: [] },
      }),
      req('provisionWatcher', {
        name: 'Bad-Watcher',
        serviceName: 'device-virtual',
        identifiers: { Address: '.*' },
        adminState: 'UNLOCKED',
        discoveredDevice: { profileName: 'No-Such', adminState: 'UNLOCKED' },
      }),
    ]);
    assert.deepEqual(
      r.body.map((i: { statusCode: number }) => i.statusCode),
      [201, 404],
    );
    assert.match(r.body[1].message, /discoveredDevice\.profileName/);

    r = await md.call('PATCH', '/provisionwatcher', [req('provisionWatcher', { name: 'Virtual-Watcher', adminState: 'LOCKED' })]);
    assert.equal(r.body[0].statusCode, 200);
    r = await md.call('GET', '/provisionwatcher/name/Virtual-Watcher');
    assert.equal(r.body.provisionWatcher.adminState, 'LOCKED');
    assert.deepEqual(r.body.provisionWatcher.identifiers, { Address: 'device-virtual-.*' });
    r = await md.call('GET', '/provisionwatcher/service/name/device-virtual');
    assert.equal(r.body.totalCount, 1);
    r = await md.call('GET', '/provisionwatcher/profile/name/Random-Boolean-Device');
    assert.equal(r.body.totalCount, 1);
    r = await md.call('GET', '/provisionwatcher/all');
    assert.equal(r.body.provisionWatchers.length, 1);

    r = await md.call('DELETE', '/deviceprofile/name/Random-Boolean-Device');
    assert.equal(r.status, 409);
    assert.match(r.body.message, /in use by 1 provision watcher/);
    r = await md.call('DELETE', '/deviceprofile/name/Random-Integer-Device');
    assert.equal(r.status, 409);
    assert.match(r.body.message, /in use by 2 device/);
    r = await md.call('DELETE', '/deviceservice/name/device-virtual');
    assert.equal(r.status, 409);

    r = await md.call('PATCH', '/deviceservice', [
      req('service', { name: 'device-virtual', baseAddress: 'http://localhost:59900' }),
      req('service', { name: 'no-such-service', baseAddress: 'http://localhost:59900' }),
    ]);
    assert.deepEqual(
      r.body.map((i: { statusCode: number }) => i.statusCode),
      [200, 404],
    );

    assert.equal((await md.call('DELETE', '/provisionwatcher/name/Virtual-Watcher')).status, 200);
    assert.equal((await md.call('DELETE', '/device/name/Random-Integer-Device-01')).status, 200);
    assert.equal((await md.call('DELETE', '/device/name/Random-Integer-Device-01')).status, 404);
    assert.equal((await md.call('DELETE', '/device/name/Random-Integer-Device-02')).status, 200);
    assert.equal((await md.call('DELETE', '/deviceprofile/name/Random-Boolean-Device')).status, 200);
    assert.equal((await md.call('DELETE', '/deviceservice/name/device-virtual')).status, 200);
    r = await md.call('GET', '/deviceservice/all');
    assert.equal(r.body.totalCount, 0);
    assert.deepEqual(r.body.services, []);
  });
});
