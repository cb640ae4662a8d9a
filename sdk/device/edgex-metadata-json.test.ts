/**
 * System events and device-validation requests exactly as EdgeX's Go core-metadata writes them (Go's
 * encoding/json over go-mod-core-contracts v4's DTOs): nil maps and slices are null, an auto-event always carries
 * its zero-valued retention, a profile without commands has `deviceCommands: null`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { startMosquitto, type MosquittoBroker } from '../../test/helpers/mosquitto.js';
import type { Device } from '@edgex-ts/contracts';
import { commonConfigSchema, connectMessageBus, newEnvelope, type MessageBus } from '@edgex-ts/runtime';
import type { ProtocolDriver } from './driver.js';
import { dispatchSystemEvent, type SystemEventHandlers } from './system-events.js';
import { serveDeviceValidation, validationRequestTopic, validationResponseTopicPrefix } from './validation.js';

const GO_AUTO_EVENT = { interval: '1s', onChange: false, onChangeThreshold: 0, sourceName: 'SwitchButton', retention: { maxCap: 0, minCap: 0, duration: '' } };
const goDevice = () => ({
  created: 1735689600000,
  modified: 1735689600000,
  id: '4a2f0c3e-1b5d-4e6f-8a7b-9c0d1e2f3a4b',
  name: 'Simple-Device01',
  adminState: 'UNLOCKED',
  operatingState: 'UP',
  serviceName: 'device-simple',
  profileName: 'Simple-Device',
  autoEvents: [GO_AUTO_EVENT],
  protocols: { other: { Address: 'simple01', Port: '300' } },
  properties: {},
});
const goProfile = {
  created: 1735689600000,
  modified: 1735689600000,
  id: '5b3e1d4f-2c6e-4f70-9b8c-0d1e2f3a4b5c',
  name: 'Simple-Device',
  linkedDeviceCount: 0,
  deviceResources: [{ name: 'SwitchButton', isHidden: false, properties: { valueType: 'Bool', readWrite: 'RW' } }],
  deviceCommands: null,
};
const goWatcher = {
  name: 'Simple-Watcher',
  serviceName: 'device-simple',
  identifiers: { Address: 'simple.*' },
  adminState: 'UNLOCKED',
  discoveredDevice: { profileName: 'Simple-Device', adminState: 'UNLOCKED', properties: null },
};
/** A SystemEvent as core-metadata publishes it: `tags` is a nil map. */
const goSystemEvent = (type: string, action: string, details: unknown) =>
  newEnvelope({ apiVersion: 'v3', type, action, source: 'core-metadata', owner: 'device-simple', tags: null, details, timestamp: 1735689600000000000 });

test("EdgeX core-metadata's system events reach the handlers (tags null, zero-valued retention, null commands and properties)", async () => {
  const seen: string[] = [];
  const handlers: SystemEventHandlers = {
    deviceAdded: async (d) => void seen.push(`device ${d.name} retention=${JSON.stringify(d.autoEvents?.[0].retention)}`),
    profileUpdated: async (p) => void seen.push(`profile ${p.name} commands=${p.deviceCommands.length}`),
    watcherAdded: async (w) => void seen.push(`watcher ${w.name}`),
    serviceUpdated: async (s) => void seen.push(`service ${s.name}`),
  };
  await dispatchSystemEvent(goSystemEvent('device', 'add', goDevice()), 'device-simple', handlers);
  await dispatchSystemEvent(goSystemEvent('deviceprofile', 'update', goProfile), 'device-simple', handlers);
  await dispatchSystemEvent(goSystemEvent('provisionwatcher', 'add', goWatcher), 'device-simple', handlers);
  const service = { name: 'device-simple', baseAddress: 'http://localhost:59999', adminState: 'UNLOCKED', properties: null };
  await dispatchSystemEvent(goSystemEvent('deviceservice', 'update', service), 'device-simple', handlers);
  assert.deepEqual(seen, ['device Simple-Device01 retention=undefined', 'profile Simple-Device commands=0', 'watcher Simple-Watcher', 'service device-simple']);
});

describe("device validation: the request EdgeX's core-metadata sends", () => {
  let broker: MosquittoBroker;
  let ds: MessageBus;
  let metadata: MessageBus;
  const validated: Device[] = [];
  const driver = { validateDevice: async (d: Device) => void validated.push(d) } as unknown as ProtocolDriver;

  before(async () => {
    broker = await startMosquitto();
    const busConfig = commonConfigSchema.parse({ MessageBus: { Host: '127.0.0.1', Port: broker.port } }).MessageBus;
    ds = await connectMessageBus(busConfig, pino({ level: 'silent' }), `validation-ds-${process.pid}`);
    metadata = await connectMessageBus(busConfig, pino({ level: 'silent' }), `validation-md-${process.pid}`);
    await serveDeviceValidation(ds, 'device-simple', driver, pino({ level: 'silent' }));
  });
  after(async () => {
    await metadata?.close();
    await ds?.close();
    await broker?.stop();
  });

  test('is accepted: an empty reply, and the driver sees the device', async () => {
    // requests.NewAddDeviceRequest(dtos.FromDeviceModelToDTO(d)): a fresh requestId, the device as stored.
    const request = newEnvelope({ apiVersion: 'v3', requestId: '6d4f2e50-3d7f-4a81-8c9d-1e2f3a4b5c6d', device: goDevice() });
    const reply = await metadata.request(
      validationRequestTopic(metadata.prefix, 'device-simple'),
      validationResponseTopicPrefix(metadata.prefix, 'device-simple'),
      request,
      5000,
    );
    assert.equal(reply.errorCode, 0, Buffer.from(reply.payload).toString());
    assert.deepEqual(
      validated.map((d) => d.name),
      ['Simple-Device01'],
    );
  });
});
