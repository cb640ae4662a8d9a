import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { startTestMetadata, tempDir, type TestMetadata } from '../test-support/harness.js';

/*
 * Bodies as EdgeX's Go clients write them: Go's encoding/json over go-mod-core-contracts v4's DTO types writes
 * nil slices, maps and pointers as null, never omits a struct (an auto-event's zero-valued retention), and omits
 * only the omitempty fields.
 */
const REQ = { apiVersion: 'v3', requestId: '9c1b2a3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d' };
const GO_SERVICE = { created: 0, modified: 0, name: 'device-simple', baseAddress: 'http://localhost:59999', adminState: 'UNLOCKED', properties: null };
const GO_PROFILE = {
  created: 0,
  modified: 0,
  name: 'Simple-Device',
  manufacturer: 'Simple Corp.',
  linkedDeviceCount: 0,
  deviceResources: [
    { name: 'SwitchButton', isHidden: false, properties: { valueType: 'Bool', readWrite: 'RW', defaultValue: 'true' } },
    { name: 'Image', isHidden: false, properties: { valueType: 'Binary', readWrite: 'R', mediaType: 'image/jpeg' }, attributes: null, tags: null },
  ],
  deviceCommands: null,
};
const GO_AUTO_EVENT = { interval: '10s', onChange: false, onChangeThreshold: 0, sourceName: 'SwitchButton', retention: { maxCap: 0, minCap: 0, duration: '' } };
const GO_DEVICE = {
  created: 0,
  modified: 0,
  name: 'Simple-Device01',
  adminState: 'UNLOCKED',
  operatingState: 'UP',
  serviceName: 'device-simple',
  profileName: 'Simple-Device',
  autoEvents: [GO_AUTO_EVENT],
  protocols: { other: { Address: 'simple01', Port: '300' } },
  properties: null,
};
/** Go's UpdateDevice with only AdminState set: every other pointer, slice and map is null. */
const GO_DEVICE_PATCH = {
  id: '',
  name: 'Simple-Device01',
  description: null,
  adminState: 'LOCKED',
  operatingState: null,
  serviceName: null,
  profileName: null,
  labels: null,
  location: null,
  autoEvents: null,
  protocols: null,
  tags: null,
  properties: null,
};

describe("core-metadata REST: EdgeX's Go clients' JSON", () => {
  const tmp = tempDir();
  let md: TestMetadata;
  before(async () => {
    md = await startTestMetadata({ dbPath: join(tmp.dir, 'md.db') });
  });
  after(async () => {
    await md?.stop();
    tmp.remove();
  });

  it("answers the device SDK's start-up questions about a service it does not know yet with empty lists", async () => {
    for (const [path, key] of [
      ['/device/service/name/device-simple', 'devices'],
      ['/provisionwatcher/service/name/device-simple', 'provisionWatchers'],
      ['/device/profile/name/Simple-Device', 'devices'],
      ['/provisionwatcher/profile/name/Simple-Device', 'provisionWatchers'],
    ]) {
      const r = await md.call('GET', `${path}?offset=0&limit=-1`);
      assert.equal(r.status, 200, path);
      assert.equal(r.body.totalCount, 0, path);
      assert.deepEqual(r.body[key], [], path);
    }
  });

  it('takes Go-marshalled adds: null maps and slices, zero-valued retention', async () => {
    let r = await md.call('POST', '/deviceservice', [{ ...REQ, service: GO_SERVICE }]);
    assert.equal(r.status, 207);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    r = await md.call('POST', '/deviceprofile', [{ ...REQ, profile: GO_PROFILE }]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    r = await md.call('POST', '/device', [{ ...REQ, device: GO_DEVICE }]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));

    // EdgeX v4: a device may wait for a profile scan without a profile (Go omits the empty profileName).
    const { profileName: _omitted, ...unprofiled } = GO_DEVICE;
    r = await md.call('POST', '/device', [{ ...REQ, device: { ...unprofiled, name: 'ProfileScan-Device', autoEvents: undefined } }]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));

    const device = (await md.call('GET', '/device/name/Simple-Device01')).body.device;
    assert.deepEqual(device.properties, {}, 'EdgeX v4 always sends properties');
    // Answered as EdgeX's Go encoding writes it: the zero-valued retention is there, as the other non-omitempty fields.
    assert.deepEqual(device.autoEvents[0], GO_AUTO_EVENT);
    assert.equal('profileName' in (await md.call('GET', '/device/name/ProfileScan-Device')).body.device, false, 'omitempty');
    assert.deepEqual((await md.call('GET', '/deviceprofile/name/Simple-Device')).body.profile.deviceCommands, []);
  });

  it('takes Go-marshalled PATCHes: null = unchanged, "id": "" with a name = by name', async () => {
    let r = await md.call('PATCH', '/device', [
      { ...REQ, device: GO_DEVICE_PATCH },
      { ...REQ, device: { ...GO_DEVICE_PATCH, id: null, description: 'by name' } },
    ]);
    assert.equal(r.status, 207);
    assert.deepEqual(
      r.body.map((i: { statusCode: number }) => i.statusCode),
      [200, 200],
      JSON.stringify(r.body),
    );
    const device = (await md.call('GET', '/device/name/Simple-Device01')).body.device;
    assert.equal(device.adminState, 'LOCKED');
    assert.equal(device.description, 'by name');
    assert.deepEqual(device.protocols, GO_DEVICE.protocols);
    assert.equal(device.autoEvents.length, 1);

    r = await md.call('PATCH', '/deviceservice', [
      { ...REQ, service: { id: null, name: 'device-simple', description: 'patched', baseAddress: null, labels: null, adminState: null, properties: null } },
    ]);
    assert.equal(r.body[0].statusCode, 200, JSON.stringify(r.body));
    const service = (await md.call('GET', '/deviceservice/name/device-simple')).body.service;
    assert.equal(service.baseAddress, GO_SERVICE.baseAddress);
    assert.equal(service.description, 'patched');

    r = await md.call('PATCH', '/deviceprofile/basicinfo', [
      { ...REQ, basicinfo: { id: null, name: 'Simple-Device', manufacturer: null, description: null, model: 'S-2', labels: null } },
    ]);
    assert.equal(r.body[0].statusCode, 200, JSON.stringify(r.body));
    const profile = (await md.call('GET', '/deviceprofile/name/Simple-Device')).body.profile;
    assert.deepEqual([profile.manufacturer, profile.model], ['Simple Corp.', 'S-2']);

    r = await md.call('PATCH', '/deviceprofile/resource', [
      { ...REQ, profileName: 'Simple-Device', resource: { description: null, name: 'SwitchButton', isHidden: true } },
    ]);
    assert.equal(r.body[0].statusCode, 200, JSON.stringify(r.body));
    const resource = (await md.call('GET', '/deviceresource/profile/Simple-Device/resource/SwitchButton')).body.resource;
    assert.equal(resource.isHidden, true);
  });

  it('EdgeX v4 profile tags PATCH (merged key by key) and basic infos with the number of devices using each profile', async () => {
    let r = await md.call('PATCH', '/deviceprofile/name/Simple-Device/tags', {
      ...REQ,
      deviceResources: [
        { name: 'SwitchButton', tags: { unit: 'none', nested: { a: 1 } } },
        { name: 'No-Such-Resource', tags: { x: 1 } },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await md.call('PATCH', '/deviceprofile/name/Simple-Device/tags', { ...REQ, deviceResources: [{ name: 'SwitchButton', tags: { nested: { b: 2 } } }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const tags = (await md.call('GET', '/deviceresource/profile/Simple-Device/resource/SwitchButton')).body.resource.tags;
    assert.deepEqual(tags, { unit: 'none', nested: { a: 1, b: 2 } });
    r = await md.call('PATCH', '/deviceprofile/name/Simple-Device/tags', { ...REQ, deviceCommands: [{ name: 'x', tags: {} }] });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^deviceCommands\[0\]\.tags: must hold at least one tag/);
    assert.equal((await md.call('PATCH', '/deviceprofile/name/Nope/tags', { ...REQ, deviceResources: [] })).status, 404);

    r = await md.call('GET', '/deviceprofile/basicinfo/all');
    assert.equal(r.status, 200);
    const info = r.body.profiles.find((p: { name: string }) => p.name === 'Simple-Device');
    assert.equal(info.linkedDeviceCount, 1);
    assert.equal(info.manufacturer, 'Simple Corp.');
    assert.equal('deviceResources' in info, false);
  });

  it('takes a Go-marshalled provision watcher and its PATCH, whose discoveredDevice is a struct of nulls', async () => {
    const watcher = {
      created: 0,
      modified: 0,
      name: 'Simple-Watcher',
      serviceName: 'device-simple',
      identifiers: { Address: 'simple.*' },
      adminState: 'UNLOCKED',
      discoveredDevice: { profileName: 'Simple-Device', adminState: 'UNLOCKED', autoEvents: [GO_AUTO_EVENT], properties: null },
    };
    let r = await md.call('POST', '/provisionwatcher', [{ ...REQ, provisionWatcher: watcher }]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    const patch = {
      id: null,
      name: 'Simple-Watcher',
      serviceName: null,
      labels: null,
      identifiers: null,
      blockingIdentifiers: null,
      adminState: 'LOCKED',
      discoveredDevice: { profileName: null, adminState: null, autoEvents: null, properties: null },
    };
    r = await md.call('PATCH', '/provisionwatcher', [{ ...REQ, provisionWatcher: patch }]);
    assert.equal(r.body[0].statusCode, 200, JSON.stringify(r.body));
    const got = (await md.call('GET', '/provisionwatcher/name/Simple-Watcher')).body.provisionWatcher;
    assert.equal(got.adminState, 'LOCKED');
    assert.deepEqual(got.identifiers, watcher.identifiers);
    assert.equal(got.discoveredDevice.profileName, 'Simple-Device');
    assert.equal(got.discoveredDevice.adminState, 'UNLOCKED');
    assert.equal(got.discoveredDevice.autoEvents.length, 1);
  });

  it('lists a device subtree with EdgeX v4 descendantsOf and maxLevels, in EdgeX order, and refuses a bad maxLevels', async () => {
    // gw → [a, b]; a → [a1]; a1 → [a11]; b → [b1]
    const tree: [string, string][] = [
      ['gw-a', 'gw'],
      ['gw-b', 'gw'],
      ['gw-a1', 'gw-a'],
      ['gw-b1', 'gw-b'],
      ['gw-a11', 'gw-a1'],
    ];
    const add = await md.call('POST', '/device', [
      { ...REQ, device: { ...GO_DEVICE, name: 'gw', autoEvents: undefined } },
      ...tree.map(([name, parent]) => ({
        ...REQ,
        device: { ...GO_DEVICE, name, parent, labels: name === 'gw-b' ? null : ['in-tree'], autoEvents: undefined },
      })),
    ]);
    assert.deepEqual(
      add.body.map((i: { statusCode: number }) => i.statusCode),
      [201, 201, 201, 201, 201, 201],
      JSON.stringify(add.body),
    );
    const names = async (query: string) => {
      const r = await md.call('GET', `/device/all?${query}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return { totalCount: r.body.totalCount, names: r.body.devices.map((d: { name: string }) => d.name) };
    };
    // EdgeX's order: the children, then each child's subtree in turn.
    assert.deepEqual(await names('descendantsOf=gw'), { totalCount: 5, names: ['gw-a', 'gw-b', 'gw-a1', 'gw-a11', 'gw-b1'] });
    assert.deepEqual(await names('descendantsOf=gw&maxLevels=0'), { totalCount: 5, names: ['gw-a', 'gw-b', 'gw-a1', 'gw-a11', 'gw-b1'] });
    assert.deepEqual(await names('descendantsOf=gw&maxLevels=1'), { totalCount: 2, names: ['gw-a', 'gw-b'] });
    assert.deepEqual(await names('descendantsOf=gw&maxLevels=2'), { totalCount: 4, names: ['gw-a', 'gw-b', 'gw-a1', 'gw-b1'] });
    assert.deepEqual(await names('descendantsOf=gw-a'), { totalCount: 2, names: ['gw-a1', 'gw-a11'] });
    assert.deepEqual(await names('descendantsOf=gw&offset=1&limit=2'), { totalCount: 5, names: ['gw-b', 'gw-a1'] });
    assert.deepEqual(await names('descendantsOf=gw&offset=9'), { totalCount: 5, names: [] });
    // Labels filter every level: gw-b lacks the label, so neither it nor what is below it is listed.
    assert.deepEqual(await names('descendantsOf=gw&labels=in-tree'), { totalCount: 3, names: ['gw-a', 'gw-a1', 'gw-a11'] });
    assert.deepEqual(await names('descendantsOf=nobody'), { totalCount: 0, names: [] });
    // EdgeX's Go client sends an empty descendantsOf for "no parent": the plain list.
    assert.equal((await names('descendantsOf=&maxLevels=0')).totalCount, (await names('')).totalCount);

    // As EdgeX v4: a device is not its own parent, and a parent is not deleted while it has children.
    let r = await md.call('POST', '/device', [{ ...REQ, device: { ...GO_DEVICE, name: 'loop', parent: 'loop', autoEvents: undefined } }]);
    assert.equal(r.body[0].statusCode, 400);
    assert.match(r.body[0].message, /device loop cannot be its own parent/);
    r = await md.call('DELETE', '/device/name/gw-a1');
    assert.equal(r.status, 409);
    assert.match(r.body.message, /device gw-a1 is the parent of 1 device/);

    for (const bad of ['-1', 'two', '1.5']) {
      const r = await md.call('GET', `/device/all?descendantsOf=gw&maxLevels=${bad}`);
      assert.equal(r.status, 400, bad);
      assert.match(r.body.message, /^maxLevels: /);
    }
  });

  it('names: / # + $ accepted as EdgeX accepts them (URL-encoded in paths); a control character is one 400 naming the field', async () => {
    const name = 'line/1#a+b$';
    let r = await md.call('POST', '/deviceservice', [{ ...REQ, service: { ...GO_SERVICE, name } }]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    r = await md.call('GET', `/deviceservice/name/${encodeURIComponent(name)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.service.name, name);

    r = await md.call('POST', '/device', [{ ...REQ, device: { ...GO_DEVICE, name: 'Bad\u0000Device' } }]);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^request\[0\]\.device\.name: must not contain control characters/);
    r = await md.call('POST', '/device', [{ ...REQ, device: { ...GO_DEVICE, name: 'Ok-Name', serviceName: 'svc\u009f' } }]);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^request\[0\]\.device\.serviceName: must not contain control characters/);
  });

  it("answers Go's nil batch (body null) as EdgeX does: 207 with null", async () => {
    for (const path of ['/device', '/deviceservice', '/deviceprofile', '/provisionwatcher']) {
      const r = await md.raw('POST', path, { body: 'null', headers: { 'Content-Type': 'application/json' } });
      assert.equal(r.status, 207, path);
      assert.equal(r.body, null, path);
    }
  });
});
