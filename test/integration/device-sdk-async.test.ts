/**
 * Async readings (DeviceServiceSdk.pushAsyncReadings, EdgeX's AsyncValues channel) through a running SDK
 * device service on a real Mosquitto: the same transforms and event shape as a GET, published on the
 * device's events topic; bad pushes are refused with a clear error, LOCKED devices and services too.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { EdgeXError, type Event } from '@edgex-ts/contracts';
import { decodeEnvelope, payloadJson } from '@edgex-ts/runtime';
import { startDeviceService, type DeviceServiceHandle, type DeviceServiceSdk, type ProtocolDriver } from '@edgex-ts/device-sdk';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE = 'device-async-test';

const PROFILE = {
  name: 'Meter',
  deviceResources: [
    { name: 'Temp', properties: { valueType: 'Float64', readWrite: 'R', scale: 0.1, offset: -40, units: 'C' } },
    { name: 'Mode', properties: { valueType: 'Uint8', readWrite: 'R' } },
    { name: 'Limit', properties: { valueType: 'Int16', readWrite: 'W' } },
  ],
  deviceCommands: [
    {
      name: 'Status',
      readWrite: 'R',
      resourceOperations: [{ deviceResource: 'Temp' }, { deviceResource: 'Mode', mappings: { '0': 'OFF', '1': 'ON' } }],
    },
  ],
};

/** A driver whose devices only push; it keeps the SDK handle for the test. */
class PushDriver implements ProtocolDriver {
  sdk!: DeviceServiceSdk;
  initialize(sdk: DeviceServiceSdk) {
    this.sdk = sdk;
  }
  start() {}
  stop() {}
  async handleReadCommands(): Promise<never> {
    throw new Error('this device only pushes');
  }
  async handleWriteCommands() {}
  addDevice() {}
  updateDevice() {}
  removeDevice() {}
}

describe('async readings (real Mosquitto)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-sdk-async-'));
  let broker: MosquittoBroker;
  let ds: DeviceServiceHandle;
  let sub: mqtt.MqttClient;
  const driver = new PushDriver();
  const received: { topic: string; event: Event }[] = [];

  const rejectsWith = (p: Promise<unknown>, kind: string, message: RegExp) =>
    assert.rejects(p, (e: unknown) => e instanceof EdgeXError && e.kind === kind && message.test(e.message));

  before(async () => {
    broker = await startMosquitto();
    for (const sub of ['profiles', 'devices']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'profiles', 'meter.json'), JSON.stringify(PROFILE));
    writeFileSync(
      join(dir, 'devices', 'meters.yaml'),
      'deviceList:\n  - { name: Meter-1, profileName: Meter, protocols: { other: { Address: m1 } } }\n  - { name: Meter-2, profileName: Meter, protocols: { other: { Address: m2 } } }\n',
    );
    sub = await mqtt.connectAsync(broker.url, { clientId: `async-sub-${process.pid}` });
    sub.on('message', (topic, payload) => received.push({ topic, event: payloadJson<{ event: Event }>(decodeEnvelope(payload)).event }));
    await sub.subscribeAsync(`edgex/events/device/${SERVICE}/#`, { qos: 1 });
    // core-metadata is not running: the service works from its files and keeps retrying provisioning.
    const deadPort = await freePort();
    ds = await startDeviceService({
      name: SERVICE,
      driver,
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
        Writable: { LogLevel: 'ERROR' },
        MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `async-ds-${process.pid}`, CleanSession: true } },
        Clients: { 'core-metadata': { Host: '127.0.0.1', Port: deadPort, GrpcPort: deadPort } },
        Device: { ProfilesDir: join(dir, 'profiles'), DevicesDir: join(dir, 'devices') },
      },
    });
  });
  after(async () => {
    await ds?.stop();
    await sub?.endAsync();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a pushed value goes through the read transforms and lands on the device events topic', async () => {
    await driver.sdk.pushAsyncReadings('Meter-1', [{ deviceResourceName: 'Temp', valueType: 'Float64', value: 650, tags: { via: 'push' } }]);
    const got = await waitFor('the event on the bus', () => received.find((r) => r.event.deviceName === 'Meter-1' && r.event.sourceName === 'Temp'));
    assert.equal(got.topic, `edgex/events/device/${SERVICE}/Meter/Meter-1/Temp`);
    assert.equal(got.event.profileName, 'Meter');
    const [r] = got.event.readings;
    assert.equal(r.value, '2.500000e+01', '650 × 0.1 − 40');
    assert.equal(r.units, 'C');
    assert.deepEqual(r.tags, { via: 'push' });
    assert.equal(r.origin, got.event.origin);
  });

  it('several values under a device command: one event, mappings applied, the driver origin kept', async () => {
    const origin = 1_700_000_000_000_000_000n;
    await driver.sdk.pushAsyncReadings(
      'Meter-2',
      [
        { deviceResourceName: 'Temp', valueType: 'Float64', value: 400 },
        { deviceResourceName: 'Mode', valueType: 'Uint8', value: 1, origin },
      ],
      'Status',
    );
    const got = await waitFor('the Status event', () => received.find((r) => r.event.deviceName === 'Meter-2' && r.event.sourceName === 'Status'));
    assert.deepEqual(
      got.event.readings.map((r) => [r.resourceName, r.valueType, r.value]),
      [
        ['Temp', 'Float64', '0.000000e+00'],
        ['Mode', 'String', 'ON'],
      ],
    );
    assert.equal(BigInt(got.event.readings[1].origin), origin);
  });

  it('refuses unknown devices and sources, values that do not fit, and malformed pushes', async () => {
    const push = driver.sdk.pushAsyncReadings.bind(driver.sdk);
    await rejectsWith(push('Nope', [{ deviceResourceName: 'Temp', valueType: 'Float64', value: 1 }]), 'NotFound', /device Nope is not known/);
    await rejectsWith(
      push('Meter-1', [{ deviceResourceName: 'Volts', valueType: 'Float64', value: 1 }]),
      'NotFound',
      /no deviceCommand or deviceResource named Volts/,
    );
    await rejectsWith(push('Meter-1', [{ deviceResourceName: 'Limit', valueType: 'Int16', value: 1 }]), 'ContractInvalid', /Limit is not readable/);
    await rejectsWith(push('Meter-1', [{ deviceResourceName: 'Mode', valueType: 'Uint8', value: 'high' }]), 'ContractInvalid', /Mode/);
    await rejectsWith(push('Meter-1', [{ deviceResourceName: 'Mode', valueType: 'Uint8', value: 300 }]), 'ContractInvalid', /Mode/);
    await rejectsWith(push('Meter-1', []), 'ContractInvalid', /no values/);
    await rejectsWith(push('Meter-1', undefined as never), 'ContractInvalid', /values: expected an array/);
    await rejectsWith(push('Meter-1', [null as never]), 'ContractInvalid', /values\[0\]/);
    await rejectsWith(
      push('Meter-1', [
        { deviceResourceName: 'Temp', valueType: 'Float64', value: 1 },
        { deviceResourceName: 'Mode', valueType: 'Uint8', value: 1 },
      ]),
      'ContractInvalid',
      /need a sourceName/,
    );
    await rejectsWith(push('Meter-1', [{ deviceResourceName: 'Mode', valueType: 'Uint8', value: 1 }], 'Temp'), 'ContractInvalid', /Mode/);
  });

  it('refuses pushes of a LOCKED device or while the service is LOCKED; nothing is published', async () => {
    const value = [{ deviceResourceName: 'Temp', valueType: 'Float64', value: 500 }];
    ds.setDeviceAdminState('Meter-1', 'LOCKED');
    await rejectsWith(driver.sdk.pushAsyncReadings('Meter-1', value), 'ServiceLocked', /Meter-1 is LOCKED/);
    ds.setDeviceAdminState('Meter-1', 'UNLOCKED');
    ds.setServiceAdminState('LOCKED');
    await rejectsWith(driver.sdk.pushAsyncReadings('Meter-1', value), 'ServiceLocked', new RegExp(`${SERVICE} is LOCKED`));
    ds.setServiceAdminState('UNLOCKED');
    // Ordered per device: once this one is on the bus, any earlier (refused) one would have been too.
    await driver.sdk.pushAsyncReadings('Meter-1', [{ deviceResourceName: 'Temp', valueType: 'Float64', value: 700 }]);
    await waitFor('the unlocked push', () => received.find((r) => r.event.readings[0].value === '3.000000e+01'));
    assert.equal(received.filter((r) => r.event.readings[0].value === '1.000000e+01').length, 0);
  });
});
