/**
 * The REST client of core-metadata (`CoreMetadataRestClient`, EdgeX's v3 REST API as EdgeX's Go clients speak it)
 * against a real core-metadata started without its gRPC API, over a real Mosquitto (so device adds go through
 * the validation round trip unless bypassed): every call the device SDK makes, errors as EdgeX kinds, names that
 * need escaping in paths.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { CoreMetadataClient, CoreMetadataRestClient } from '@edgex-ts/client';
import { EdgeXError, type Device, type DeviceProfile, type ValueType } from '@edgex-ts/contracts';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';

/** A value type EdgeX does not have: the client sends what it is given, core-metadata has to refuse it. */
const NOT_A_VALUE_TYPE = 'Nope' as string as ValueType;

const SERVICE = 'rest-client-ds';
const HOSTILE = 'a/b#c+ 1';

const PROFILE: DeviceProfile = {
  name: 'Rest-Profile',
  manufacturer: 'edgex-ts',
  labels: ['rest'],
  deviceResources: [{ name: 'Temperature', isHidden: false, properties: { valueType: 'Float64', readWrite: 'R', units: 'C' } }],
  deviceCommands: [],
};

const PROFILE_YAML = `name: Uploaded-Profile
manufacturer: edgex-ts
deviceResources:
  - name: Level
    properties: { valueType: Int16, readWrite: RW }
`;

const device = (name: string): Device => ({
  name,
  serviceName: SERVICE,
  profileName: PROFILE.name,
  adminState: 'UNLOCKED',
  operatingState: 'UP',
  protocols: { other: { Address: '10.0.0.1' } },
});

async function rejectsWith(p: Promise<unknown>, kind: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof EdgeXError, `expected an EdgeXError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('CoreMetadataRestClient ⇄ core-metadata without gRPC (real Mosquitto)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-rest-client-'));
  let broker: MosquittoBroker;
  let metadata: CoreMetadataHandle;
  let md: CoreMetadataRestClient;

  before(async () => {
    broker = await startMosquitto();
    metadata = await startCoreMetadata({
      argv: [],
      env: {},
      grpc: false,
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, RequestTimeout: '500ms' },
        Writable: { LogLevel: 'ERROR' },
        MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `md-rest-client-${process.pid}`, CleanSession: true } },
        Database: { Path: join(dir, 'metadata.db') },
      },
    });
    md = new CoreMetadataRestClient(`http://127.0.0.1:${metadata.restPort}`);
  });

  after(async () => {
    await metadata?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('core-metadata started with grpc: false serves no CoreMetadataService', async () => {
    const grpcClient = new CoreMetadataClient(`127.0.0.1:${metadata.grpcPort}`);
    try {
      await rejectsWith(grpcClient.getDeviceService(SERVICE), 'NotImplemented');
    } finally {
      grpcClient.close();
    }
  });

  it('device services: add, get, update the baseAddress, list; NotFound and DuplicateName as EdgeX kinds', async () => {
    await rejectsWith(md.getDeviceService(SERVICE), 'NotFound', /404/);
    const id = await md.addDeviceService({ name: SERVICE, baseAddress: 'http://127.0.0.1:1', adminState: 'UNLOCKED', labels: ['x'] });
    assert.match(id, /^[0-9a-f-]{36}$/);
    await rejectsWith(md.addDeviceService({ name: SERVICE, baseAddress: 'http://127.0.0.1:1', adminState: 'UNLOCKED' }), 'DuplicateName');
    await md.updateDeviceService({ name: SERVICE, baseAddress: 'http://127.0.0.1:2' });
    const got = await md.getDeviceService(SERVICE);
    assert.equal(got.baseAddress, 'http://127.0.0.1:2');
    assert.equal(got.id, id);
    const all = await md.listDeviceServices({ labels: ['x'] });
    assert.deepEqual(
      all.services.map((s) => s.name),
      [SERVICE],
    );
    assert.equal(all.totalCount, 1);
  });

  it('profiles: add, upload YAML, get, list, one resource; a bad profile is ContractInvalid naming the field', async () => {
    assert.match(await md.addDeviceProfile(PROFILE), /^[0-9a-f-]{36}$/);
    assert.match(await md.uploadDeviceProfile(PROFILE_YAML), /^[0-9a-f-]{36}$/);
    await rejectsWith(md.uploadDeviceProfile(PROFILE_YAML), 'DuplicateName');
    assert.equal((await md.getDeviceProfile('Uploaded-Profile')).deviceResources[0]?.properties.valueType, 'Int16');
    await md.uploadDeviceProfile(PROFILE_YAML.replace('Int16', 'Int32'), true);
    assert.equal((await md.getDeviceProfile('Uploaded-Profile')).deviceResources[0]?.properties.valueType, 'Int32');
    assert.equal((await md.getDeviceResource(PROFILE.name, 'Temperature')).properties.units, 'C');
    const { profiles, totalCount } = await md.listDeviceProfiles({ labels: ['rest'] });
    assert.deepEqual([profiles.map((p) => p.name), totalCount], [[PROFILE.name], 1]);
    await rejectsWith(
      md.addDeviceProfile({
        ...PROFILE,
        name: 'Bad',
        deviceResources: [{ name: 'X', isHidden: false, properties: { valueType: NOT_A_VALUE_TYPE, readWrite: 'R' } }],
      }),
      'ContractInvalid',
      /valueType/,
    );
  });

  it('devices: an item error of the 207 answer is its own kind; bypassValidation skips the round trip; PATCH of operatingState', async () => {
    // No device service answers validation requests: core-metadata answers this item 503.
    await rejectsWith(md.addDevice(device('Validated')), 'ServiceUnavailable', /validation/);
    await md.addDevice(device('Dev-1'), { bypassValidation: true });
    await md.addDevice(device(HOSTILE), { bypassValidation: true });
    assert.equal((await md.getDevice(HOSTILE)).name, HOSTILE);
    await md.updateDevice({ name: HOSTILE, operatingState: 'DOWN' }, undefined, { bypassValidation: true });
    assert.equal((await md.getDevice(HOSTILE)).operatingState, 'DOWN');
    const page = await md.listDevices({ serviceName: SERVICE, offset: 0, limit: 1 });
    assert.equal(page.devices.length, 1);
    assert.equal(page.totalCount, 2);
    const byProfile = await md.listDevices({ profileName: PROFILE.name });
    assert.deepEqual(byProfile.devices.map((d) => d.name).sort(), ['Dev-1', HOSTILE].sort());
    await rejectsWith(md.listDevices({ serviceName: SERVICE, profileName: PROFILE.name }), 'ContractInvalid', /serviceName and profileName/);
    // 64-bit integers travel exactly both ways (EdgeX's Go clients write int64 as JSON numbers).
    await md.addDevice({ ...device('Big-Tags'), tags: { since: 1796657960933599538n } }, { bypassValidation: true });
    assert.equal((await md.getDevice('Big-Tags')).tags?.since, 1796657960933599538n);
    await md.deleteDevice('Big-Tags');
    await md.deleteDevice(HOSTILE);
    await rejectsWith(md.getDevice(HOSTILE), 'NotFound');
    await rejectsWith(md.deleteDeviceProfile(PROFILE.name), 'StatusConflict');
  });

  it('provision watchers: add, get, list by service, update, delete', async () => {
    await md.addProvisionWatcher({
      name: 'Watcher-1',
      serviceName: SERVICE,
      identifiers: { Address: '10\\..*' },
      adminState: 'UNLOCKED',
      discoveredDevice: { profileName: PROFILE.name, adminState: 'UNLOCKED', autoEvents: [], properties: {} },
    } as never);
    assert.equal((await md.getProvisionWatcher('Watcher-1')).serviceName, SERVICE);
    await md.updateProvisionWatcher({ name: 'Watcher-1', adminState: 'LOCKED' });
    const { provisionWatchers, totalCount } = await md.listProvisionWatchers({ serviceName: SERVICE });
    assert.deepEqual([provisionWatchers.map((w) => [w.name, w.adminState]), totalCount], [[['Watcher-1', 'LOCKED']], 1]);
    await md.deleteProvisionWatcher('Watcher-1');
    await rejectsWith(md.getProvisionWatcher('Watcher-1'), 'NotFound');
  });

  it('an answer that never comes: ServiceUnavailable at the call deadline; one that is not JSON: UnexpectedServerError', async () => {
    const held: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      if (req.url?.includes('silent')) held.push(req);
      else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>a proxy page</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const slow = new CoreMetadataRestClient(base, { callTimeoutMs: 300 });
      await rejectsWith(slow.getDevice('silent'), 'ServiceUnavailable', /no answer within 300 ms/);
      await rejectsWith(slow.getDevice('html'), 'UnexpectedServerError', /not JSON: <html>/);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('nothing listening: ServiceUnavailable naming the call', async () => {
    const nowhere = new CoreMetadataRestClient(`http://127.0.0.1:${await freePort()}`);
    await rejectsWith(nowhere.getDeviceService(SERVICE), 'ServiceUnavailable', /GET \/api\/v3\/deviceservice\/name\/rest%2Dclient%2Dds: ECONNREFUSED/);
  });
});
