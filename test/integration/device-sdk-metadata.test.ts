/**
 * The device SDK following core-metadata (real Mosquitto + real core-metadata + an SDK device service with a
 * recording driver): devices added, updated, locked and deleted through core-metadata's REST API reach the
 * running device service through system events; core-metadata validates devices with the owning service.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { z } from 'zod';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import type { Device, Event } from '@edgex-ts/contracts';
import { decodeEnvelope, payloadJson } from '@edgex-ts/runtime';
import {
  startDeviceService,
  type CommandRequest,
  type CommandValue,
  type DeviceServiceHandle,
  type DeviceServiceSdk,
  type DiscoveredDevice,
  type DiscoveryResult,
  type ProtocolDriver,
} from '@edgex-ts/device-sdk';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE = 'device-sdk-test';

const PROFILE = {
  name: 'Thermo',
  manufacturer: 'Acme',
  deviceResources: [
    { name: 'Temperature', properties: { valueType: 'Float64', readWrite: 'R', units: 'C' } },
    { name: 'SetPoint', properties: { valueType: 'Float64', readWrite: 'RW' } },
  ],
  deviceCommands: [],
};

/** A driver that records every call and reads values from a map the test controls. */
class RecordingDriver implements ProtocolDriver {
  readonly calls: { op: string; device: string; protocols?: unknown; adminState?: string }[] = [];
  readonly reads: { device: string; resources: string[] }[] = [];
  readonly values = new Map<string, number>([
    ['Temperature', 21.5],
    ['SetPoint', 20],
  ]);
  readonly protocolProperties = { tcp: z.object({ Host: z.string(), Port: z.number().int() }) };
  sdk!: DeviceServiceSdk;
  /** What the next discovery finds, and what the SDK made of it. */
  found: DiscoveredDevice[] = [];
  readonly discoveries: DiscoveryResult[] = [];
  initialize(sdk: DeviceServiceSdk) {
    this.sdk = sdk;
  }
  async discover() {
    this.discoveries.push(await this.sdk.publishDiscoveredDevices!(this.found));
  }
  start() {}
  stop() {}
  async handleReadCommands(device: string, _p: unknown, requests: CommandRequest[]): Promise<CommandValue[]> {
    this.reads.push({ device, resources: requests.map((r) => r.deviceResourceName) });
    return requests.map((r) => ({
      deviceResourceName: r.deviceResourceName,
      valueType: r.valueType,
      value: this.values.get(`${device}/${r.deviceResourceName}`) ?? this.values.get(r.deviceResourceName) ?? 0,
    }));
  }
  async handleWriteCommands() {}
  addDevice(device: string, protocols: unknown, adminState: string) {
    this.calls.push({ op: 'add', device, protocols, adminState });
  }
  updateDevice(device: string, protocols: unknown, adminState: string) {
    this.calls.push({ op: 'update', device, protocols, adminState });
  }
  removeDevice(device: string, protocols: unknown) {
    this.calls.push({ op: 'remove', device, protocols });
  }
  validateDevice(device: Device) {
    const host = device.protocols.tcp?.Host;
    if (host === 'forbidden') throw new Error(`protocols.tcp.Host: ${host} is not reachable from this service`);
  }
}

const device = (name: string, extra: Partial<Device> = {}): Device => ({
  name,
  serviceName: SERVICE,
  profileName: 'Thermo',
  adminState: 'UNLOCKED',
  operatingState: 'UP',
  protocols: { tcp: { Host: '127.0.0.1', Port: 9000 } },
  ...extra,
});

describe('device SDK ⇄ core-metadata (real Mosquitto, real core-metadata)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-sdk-md-'));
  let broker: MosquittoBroker;
  let metadata: CoreMetadataHandle;
  let ds: DeviceServiceHandle;
  let sub: mqtt.MqttClient;
  const driver = new RecordingDriver();
  const events: Event[] = [];
  let mdBase: string;
  let dsBase: string;
  let startDs: (d: ProtocolDriver) => Promise<DeviceServiceHandle>;

  const md = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(mdBase + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const command = async (deviceName: string, cmd: string) => {
    const res = await fetch(`${dsBase}/device/name/${deviceName}/${cmd}`);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`http://127.0.0.1:${ds.restPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };
  const called = (op: string, name: string, pred: (c: RecordingDriver['calls'][number]) => boolean = () => true) =>
    waitFor(`driver ${op} of ${name}`, () => driver.calls.find((c) => c.op === op && c.device === name && pred(c)));

  before(async () => {
    broker = await startMosquitto();
    const profilesDir = join(dir, 'profiles');
    mkdirSync(profilesDir);
    writeFileSync(join(profilesDir, 'thermo.json'), JSON.stringify(PROFILE));
    const watchersDir = join(dir, 'watchers');
    mkdirSync(watchersDir);
    writeFileSync(
      join(watchersDir, 'sim.yaml'),
      [
        'name: Sim-Watcher',
        'identifiers:',
        '  Host: "^sim-[0-9]+$"',
        'blockingIdentifiers:',
        '  Port: [397, 398]',
        'adminState: UNLOCKED',
        'discoveredDevice:',
        '  profileName: Thermo',
        '  adminState: UNLOCKED',
        '  autoEvents:',
        '    - { interval: 1h, sourceName: Temperature }',
        '  properties: { site: lab }',
        '',
      ].join('\n'),
    );
    metadata = await startCoreMetadata({
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, RequestTimeout: '2s' },
        Writable: { LogLevel: 'ERROR' },
        Database: { Path: join(dir, 'metadata.db') },
        MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `md-${process.pid}`, CleanSession: true } },
      },
    });
    mdBase = `http://127.0.0.1:${metadata.restPort}/api/v3`;
    startDs = (d: ProtocolDriver) =>
      startDeviceService({
        name: SERVICE,
        driver: d,
        argv: [],
        env: {},
        configOverrides: {
          Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
          Writable: { LogLevel: 'ERROR' },
          MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `ds-${process.pid}`, CleanSession: true } },
          Clients: { 'core-metadata': { Host: '127.0.0.1', Port: metadata.restPort, GrpcPort: metadata.grpcPort } },
          Device: { ProfilesDir: profilesDir, DevicesDir: join(dir, 'devices'), ProvisionWatchersDir: watchersDir, Discovery: { Enabled: true } },
        },
      });
    ds = await startDs(driver);
    dsBase = `http://127.0.0.1:${ds.restPort}/api/v3`;
    const provisioned = await ds.provisioned;
    assert.deepEqual(provisioned?.failed, []);
    sub = await mqtt.connectAsync(broker.url, { clientId: `events-${process.pid}` });
    sub.on('message', (_topic, payload) => events.push(payloadJson<{ event: Event }>(decodeEnvelope(payload)).event));
    await sub.subscribeAsync(`edgex/events/device/${SERVICE}/#`, { qos: 1 });
  });
  after(async () => {
    await sub?.endAsync();
    await ds?.stop();
    await metadata?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a device added in core-metadata is handed to the driver and its auto-events run', async () => {
    const r = await md('POST', '/device', [{ apiVersion: 'v3', device: device('T-1', { autoEvents: [{ interval: '100ms', sourceName: 'Temperature' }] }) }]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    const add = await called('add', 'T-1');
    assert.deepEqual(add.protocols, { tcp: { Host: '127.0.0.1', Port: 9000 } });
    assert.equal(add.adminState, 'UNLOCKED');
    const ev = await waitFor('an auto-event of T-1 on the bus', () => events.find((e) => e.deviceName === 'T-1' && e.sourceName === 'Temperature'));
    assert.equal(ev.readings[0].value, '2.150000e+01');
    assert.equal(ev.readings[0].units, 'C');
    assert.equal((await command('T-1', 'SetPoint')).status, 200);
  });

  it('LOCKED in core-metadata: the driver hears it, commands answer 423, auto-events stop; UNLOCKED resumes', async () => {
    await md('PATCH', '/device', [{ apiVersion: 'v3', device: { name: 'T-1', adminState: 'LOCKED' } }]);
    await called('update', 'T-1', (c) => c.adminState === 'LOCKED');
    const locked = await command('T-1', 'Temperature');
    assert.equal(locked.status, 423);
    assert.match(locked.body.message, /T-1 is LOCKED/);
    await waitFor('auto-events stopped', async () => (await metric('device_autoevents_running')) === 0);

    await md('PATCH', '/device', [{ apiVersion: 'v3', device: { name: 'T-1', adminState: 'UNLOCKED' } }]);
    await called('update', 'T-1', (c) => c.adminState === 'UNLOCKED');
    assert.equal((await command('T-1', 'Temperature')).status, 200);
    await waitFor('auto-events running again', async () => (await metric('device_autoevents_running')) === 1);
  });

  it('changed protocols and auto-events are applied to the driver and the schedules', async () => {
    await md('PATCH', '/device', [{ apiVersion: 'v3', device: { name: 'T-1', protocols: { tcp: { Host: '127.0.0.2', Port: 9001 } } } }]);
    await called('update', 'T-1', (c) => JSON.stringify(c.protocols) === JSON.stringify({ tcp: { Host: '127.0.0.2', Port: 9001 } }));

    await md('PATCH', '/device', [{ apiVersion: 'v3', device: { name: 'T-1', autoEvents: [{ interval: '100ms', sourceName: 'SetPoint' }] } }]);
    const seen = events.length;
    await waitFor('an auto-event of the new source', () => events.slice(seen).find((e) => e.deviceName === 'T-1' && e.sourceName === 'SetPoint'));
  });

  it('an onChange auto-event with onChangeThreshold publishes only readings that moved more than the threshold', async () => {
    driver.values.set('C-1/Temperature', 10);
    const r = await md('POST', '/device', [
      { apiVersion: 'v3', device: device('C-1', { autoEvents: [{ interval: '50ms', sourceName: 'Temperature', onChange: true, onChangeThreshold: 0.5 }] }) },
    ]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    const published = () => events.filter((e) => e.deviceName === 'C-1').map((e) => e.readings[0].value);
    await waitFor('the first reading', () => published().length === 1);
    const readsOfC1 = () => driver.reads.filter((x) => x.device === 'C-1').length;
    driver.values.set('C-1/Temperature', 10.4);
    const before = readsOfC1();
    await waitFor('the small change read twice', () => readsOfC1() >= before + 2);
    driver.values.set('C-1/Temperature', 11);
    await waitFor('the big change published', () => published().length === 2);
    assert.deepEqual(published(), ['1.000000e+01', '1.100000e+01']);
    assert.equal((await md('DELETE', '/device/name/C-1')).status, 200);
  });

  it('a changed profile is taken into the cache (a new resource can be read)', async () => {
    assert.equal((await command('T-1', 'Humidity')).status, 404);
    const r = await md('POST', '/deviceprofile/resource', [
      { apiVersion: 'v3', profileName: 'Thermo', resource: { name: 'Humidity', properties: { valueType: 'Float64', readWrite: 'R', units: '%' } } },
    ]);
    assert.equal(r.body[0].statusCode, 201, JSON.stringify(r.body));
    driver.values.set('Humidity', 40);
    const got = await waitFor('Humidity readable', async () => {
      const res = await command('T-1', 'Humidity');
      return res.status === 200 && res;
    });
    assert.equal(got.body.event.readings[0].units, '%');
  });

  it('the device service LOCKED in core-metadata: commands 423 and auto-events pause until UNLOCKED', async () => {
    await md('PATCH', '/deviceservice', [{ apiVersion: 'v3', service: { name: SERVICE, adminState: 'LOCKED' } }]);
    const locked = await waitFor('423 from the LOCKED service', async () => {
      const res = await command('T-1', 'Temperature');
      return res.status === 423 && res;
    });
    assert.match(locked.body.message, new RegExp(`${SERVICE} is LOCKED`));
    assert.equal((await fetch(`${dsBase}/discovery`, { method: 'POST' })).status, 423);
    await waitFor('auto-events paused', async () => (await metric('device_autoevents_running')) === 0);

    await md('PATCH', '/deviceservice', [{ apiVersion: 'v3', service: { name: SERVICE, adminState: 'UNLOCKED' } }]);
    await waitFor('commands answered again', async () => (await command('T-1', 'Temperature')).status === 200);
    await waitFor('auto-events resumed', async () => (await metric('device_autoevents_running')) === 1);
  });

  it('core-metadata refuses (500, as EdgeX) a device the device service rejects, with its reason; the driver never sees it', async () => {
    const refused = async (d: Device, reason: RegExp) => {
      const r = await md('POST', '/device', [{ apiVersion: 'v3', device: d }]);
      assert.equal(r.body[0].statusCode, 500, JSON.stringify(r.body));
      assert.match(r.body[0].message, reason);
      assert.equal((await md('GET', `/device/name/${d.name}`)).status, 404);
      assert.equal(
        driver.calls.find((c) => c.device === d.name),
        undefined,
      );
    };
    await refused(
      device('V-1', { protocols: { tcp: { Host: 'forbidden', Port: 1 } } }),
      /V-1 validation failed: .*protocols\.tcp\.Host: forbidden is not reachable/,
    );
    await refused(device('V-2', { protocols: { tcp: { Host: 'h', Port: 'abc' } } }), /V-2 validation failed: .*protocols\.tcp\.Port: /);
    await refused(device('V-3', { protocols: { modbus: { Address: 'h' } } }), /V-3 validation failed: .*protocols: expected one of tcp, got modbus/);

    const patched = await md('PATCH', '/device', [{ apiVersion: 'v3', device: { name: 'T-1', protocols: { tcp: { Host: 'forbidden', Port: 1 } } } }]);
    assert.equal(patched.body[0].statusCode, 500);
    assert.deepEqual((await md('GET', '/device/name/T-1')).body.device.protocols, { tcp: { Host: '127.0.0.2', Port: 9001 } });
  });

  it('provision watchers from files are added to core-metadata; discovery adds the devices they accept', async () => {
    const w = await md('GET', '/provisionwatcher/name/Sim-Watcher');
    assert.equal(w.status, 200);
    assert.equal(w.body.provisionWatcher.serviceName, SERVICE, 'a watcher file without serviceName belongs to this service');
    assert.deepEqual(w.body.provisionWatcher.blockingIdentifiers, { Port: ['397', '398'] });

    driver.found = [
      { name: 'Sim-1', protocols: { tcp: { Host: 'sim-1', Port: 300 } }, description: 'found on the bench', labels: ['found'] },
      { name: 'Sim-Blocked', protocols: { tcp: { Host: 'sim-2', Port: 397 } } },
      { name: 'Other-1', protocols: { tcp: { Host: 'other-1', Port: 300 } } },
      { name: 'Sim-Refused', protocols: { tcp: { Host: 'sim-3', Port: 'x' } } },
    ];
    const res = await fetch(`${dsBase}/discovery`, { method: 'POST' });
    assert.equal(res.status, 202);
    const body = (await res.json()) as { statusCode: number; requestId: string };
    assert.equal(body.statusCode, 202);
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    const result = await waitFor('the discovery result', () => driver.discoveries[0]);
    assert.deepEqual(result.added, ['Sim-1']);
    assert.deepEqual(result.unmatched.sort(), ['Other-1', 'Sim-Blocked']);
    assert.deepEqual(
      result.failed.map((f) => f.name),
      ['Sim-Refused'],
    );
    assert.match(result.failed[0].error, /protocols\.tcp\.Port/);

    const added = (await md('GET', '/device/name/Sim-1')).body.device;
    assert.equal(added.serviceName, SERVICE);
    assert.equal(added.profileName, 'Thermo');
    assert.equal(added.description, 'found on the bench');
    assert.deepEqual(added.labels, ['found']);
    assert.deepEqual(added.properties, { site: 'lab' });
    // onChange absent (as the watcher file has it) means false, as in EdgeX's AutoEvent.
    assert.deepEqual(
      added.autoEvents.map((a: { interval: string; onChange?: boolean; sourceName: string }) => [a.interval, a.onChange ?? false, a.sourceName]),
      [['1h', false, 'Temperature']],
    );
    await called('add', 'Sim-1');
    assert.equal((await command('Sim-1', 'Temperature')).status, 200);
    for (const name of ['Sim-Blocked', 'Other-1', 'Sim-Refused']) assert.equal((await md('GET', `/device/name/${name}`)).status, 404);

    // A watcher added in core-metadata is used by the next discovery; known devices are skipped.
    const added2 = await md('POST', '/provisionwatcher', [
      {
        apiVersion: 'v3',
        provisionWatcher: {
          name: 'Other-Watcher',
          serviceName: SERVICE,
          identifiers: { Host: '^other-' },
          adminState: 'UNLOCKED',
          discoveredDevice: { profileName: 'Thermo', adminState: 'LOCKED' },
        },
      },
    ]);
    assert.equal(added2.body[0].statusCode, 201, JSON.stringify(added2.body));
    driver.found = [driver.found[0], driver.found[2]];
    const second = await waitFor('Other-1 taken by the new watcher', async () => {
      driver.discoveries.length = 0;
      assert.equal((await fetch(`${dsBase}/discovery`, { method: 'POST' })).status, 202);
      const r = await waitFor('a discovery result', () => driver.discoveries[0]);
      return r.added.includes('Other-1') && r;
    });
    assert.deepEqual(second.existing, ['Sim-1']);
    assert.equal((await md('GET', '/device/name/Other-1')).body.device.adminState, 'LOCKED');
    for (const name of ['Sim-1', 'Other-1']) assert.equal((await md('DELETE', `/device/name/${name}`)).status, 200);
  });

  it('a device deleted in core-metadata is removed from the driver; commands answer 404', async () => {
    assert.equal((await md('DELETE', '/device/name/T-1')).status, 200);
    const removed = await called('remove', 'T-1');
    assert.deepEqual(removed.protocols, { tcp: { Host: '127.0.0.2', Port: 9001 } });
    assert.equal((await command('T-1', 'Temperature')).status, 404);
    assert.equal(await metric('device_autoevents_running'), 0);
  });

  it('after a restart, devices added through core-metadata and the service adminState come back from core-metadata', async () => {
    await md('POST', '/device', [{ apiVersion: 'v3', device: device('R-1', { adminState: 'LOCKED' }) }]);
    await called('add', 'R-1');
    await md('PATCH', '/deviceservice', [{ apiVersion: 'v3', service: { name: SERVICE, adminState: 'LOCKED' } }]);
    await waitFor('the service LOCKED', async () => (await command('R-1', 'Temperature')).status === 423);
    await ds.stop();

    const fresh = new RecordingDriver();
    ds = await startDs(fresh);
    dsBase = `http://127.0.0.1:${ds.restPort}/api/v3`;
    await ds.provisioned;
    const add = await waitFor('R-1 handed to the new driver', () => fresh.calls.find((c) => c.op === 'add' && c.device === 'R-1'));
    assert.equal(add.adminState, 'LOCKED');
    const res = await command('R-1', 'Temperature');
    assert.equal(res.status, 423);
    assert.match(res.body.message, new RegExp(`${SERVICE} is LOCKED`), 'the service adminState was taken from core-metadata');
    await md('PATCH', '/deviceservice', [{ apiVersion: 'v3', service: { name: SERVICE, adminState: 'UNLOCKED' } }]);
    await waitFor('R-1 LOCKED, the service UNLOCKED', async () => /R-1 is LOCKED/.test((await command('R-1', 'Temperature')).body?.message ?? ''));
  });
});
