import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as m from './mappers.js';
import { Event as PbEvent } from './gen/edgex/common/v1/event.js';
import { Device as PbDevice, DeviceService as PbDeviceService, ProvisionWatcher as PbProvisionWatcher } from './gen/edgex/common/v1/device.js';
import { DeviceProfile as PbDeviceProfile } from './gen/edgex/common/v1/profile.js';
import { AdminState, OperatingState } from './gen/edgex/common/v1/states.js';
import type { Device, DeviceProfile, DeviceService, Event, ProvisionWatcher } from './dto/index.js';
import { DeviceProfileSchema } from './dto/profile.js';
import { parseDto } from './dto/parse.js';

/** DTO → proto → wire bytes → proto → DTO, as a message crossing gRPC. */
function viaWire<D, P>(dto: D, to: (d: D) => P, from: (p: P) => D, codec: { encode(p: P): { finish(): Uint8Array }; decode(b: Uint8Array): P }): D {
  return from(codec.decode(codec.encode(to(dto)).finish()));
}

const event: Event = {
  apiVersion: 'v3',
  id: '7b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c',
  deviceName: 'Room-Sensor-1',
  profileName: 'Room-Sensor',
  sourceName: 'Temperature',
  origin: 1735689600000000000n,
  tags: { site: 'A', floor: 2 },
  readings: [
    {
      id: '8b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c',
      origin: 1735689600000000000n,
      deviceName: 'Room-Sensor-1',
      resourceName: 'Temperature',
      profileName: 'Room-Sensor',
      valueType: 'Float32',
      units: 'C',
      value: '2.150000e+01',
    },
    {
      origin: 1735689600000000000n,
      deviceName: 'Room-Sensor-1',
      resourceName: 'Image',
      profileName: 'Room-Sensor',
      valueType: 'Binary',
      binaryValue: Buffer.from([0, 1, 254, 255]).toString('base64'),
      mediaType: 'image/png',
    },
    {
      origin: 1735689600000000000n,
      deviceName: 'Room-Sensor-1',
      resourceName: 'Meta',
      profileName: 'Room-Sensor',
      valueType: 'Object',
      objectValue: { a: [1, 'x', null], b: { c: true } },
    },
    { origin: 1735689600000000000n, deviceName: 'Room-Sensor-1', resourceName: 'Label', profileName: 'Room-Sensor', valueType: 'String', value: '' },
  ],
};

test('events round-trip through proto and the wire', () => {
  assert.deepEqual(viaWire(event, m.eventToProto, m.eventFromProto, PbEvent), event);
  const pb = m.eventToProto(event);
  assert.equal(pb.origin, 1735689600000000000n);
  assert.deepEqual(pb.readings[1].value, { $case: 'binaryValue', value: { value: Buffer.from([0, 1, 254, 255]), mediaType: 'image/png' } });
});

test('nanosecond origins beyond 2^53 are exact both ways (bigint); safe ones are numbers', () => {
  const pb = m.eventToProto(event);
  pb.origin = 1796657960933599538n;
  pb.readings[0].origin = 1796657960933599539n;
  const dto = m.eventFromProto(pb);
  assert.equal(dto.origin, 1796657960933599538n);
  assert.equal(dto.readings[0].origin, 1796657960933599539n);
  assert.equal(m.eventToProto(dto).origin, 1796657960933599538n);
  pb.origin = 1000n;
  assert.equal(m.eventFromProto(pb).origin, 1000);
});

const device: Device = {
  id: '1b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c',
  name: 'Room-Sensor-1',
  description: 'meeting room',
  adminState: 'LOCKED',
  operatingState: 'DOWN',
  labels: ['room', 'modbus'],
  location: { lat: 1.5, lon: 2 },
  serviceName: 'device-modbus',
  profileName: 'Room-Sensor',
  autoEvents: [
    { interval: '10s', onChange: true, onChangeThreshold: 0.5, sourceName: 'Temperature' },
    { interval: '1m', onChange: false, sourceName: 'Status', retention: { maxCap: 100, minCap: 10, duration: '1h' } },
  ],
  protocols: { 'modbus-tcp': { Address: '10.0.0.5', Port: 502, UnitID: 1 } },
  tags: { zone: 'east' },
  properties: { vendor: 'acme' },
  created: 1735689600000,
  modified: 1735689600001,
};

test('devices round-trip, states included', () => {
  assert.deepEqual(viaWire(device, m.deviceToProto, m.deviceFromProto, PbDevice), device);
  const pb = m.deviceToProto(device);
  assert.equal(pb.adminState, AdminState.ADMIN_STATE_LOCKED);
  assert.equal(pb.operatingState, OperatingState.OPERATING_STATE_DOWN);
  assert.equal(pb.created, 1735689600000n);
  const minimal: Device = {
    name: 'd',
    adminState: 'UNLOCKED',
    operatingState: 'UP',
    serviceName: 's',
    profileName: 'p',
    protocols: { other: {} },
    properties: {},
  };
  assert.deepEqual(viaWire(minimal, m.deviceToProto, m.deviceFromProto, PbDevice), minimal);
});

test('device updates carry an update mask and come back with cleared fields', () => {
  const { device: pb, updateMask } = m.deviceUpdateToProto({ name: 'd1', adminState: 'LOCKED', labels: [] });
  assert.deepEqual(updateMask, ['adminState', 'labels']);
  const back = m.deviceUpdateFromProto(PbDevice.decode(PbDevice.encode(pb).finish()), updateMask);
  assert.deepEqual(back, { name: 'd1', adminState: 'LOCKED', labels: [] });
});

test('state enums map both ways', () => {
  for (const s of ['LOCKED', 'UNLOCKED'] as const) assert.equal(m.adminStateFromProto(m.adminStateToProto(s)), s);
  for (const s of ['UP', 'DOWN', 'UNKNOWN'] as const) assert.equal(m.operatingStateFromProto(m.operatingStateToProto(s)), s);
  assert.equal(m.adminStateToProto(undefined), AdminState.ADMIN_STATE_UNSPECIFIED);
});

test('device services round-trip', () => {
  const svc: DeviceService = {
    id: '2b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c',
    name: 'device-virtual',
    description: 'virtual',
    labels: ['v'],
    baseAddress: 'http://device-virtual:59900',
    adminState: 'UNLOCKED',
    properties: { x: 1 },
    created: 1,
    modified: 2,
  };
  assert.deepEqual(viaWire(svc, m.deviceServiceToProto, m.deviceServiceFromProto, PbDeviceService), svc);
  const { service, updateMask } = m.deviceServiceUpdateToProto({ name: 'device-virtual', baseAddress: 'http://x:1' });
  assert.deepEqual(m.deviceServiceUpdateFromProto(service, updateMask), { name: 'device-virtual', baseAddress: 'http://x:1' });
});

test('device profiles round-trip with resources, properties and commands', () => {
  const profile: DeviceProfile = {
    id: '3b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c',
    name: 'Room-Sensor',
    manufacturer: 'Acme',
    model: 'RS-1',
    description: 'a sensor',
    labels: ['sensor'],
    deviceResources: [
      {
        name: 'Temperature',
        description: 'temp',
        isHidden: false,
        properties: {
          valueType: 'Float32',
          readWrite: 'R',
          units: 'C',
          minimum: -40,
          maximum: 85,
          scale: 0.1,
          offset: 0,
          base: 2,
          mask: 255,
          shift: -4,
          assertion: '1',
          mediaType: 'x',
          defaultValue: '0',
          optional: { k: 'v' },
        },
        attributes: { primaryTable: 'INPUT_REGISTERS', startingAddress: 3 },
        tags: { t: 1 },
      },
      { name: 'Fan', isHidden: true, properties: { valueType: 'Bool', readWrite: 'RW' } },
    ],
    deviceCommands: [
      {
        name: 'Status',
        isHidden: false,
        readWrite: 'R',
        resourceOperations: [{ deviceResource: 'Temperature' }, { deviceResource: 'Fan', defaultValue: 'false', mappings: { true: 'ON' } }],
        tags: { c: 'd' },
      },
    ],
    created: 10,
    modified: 20,
  };
  assert.deepEqual(viaWire(profile, m.deviceProfileToProto, m.deviceProfileFromProto, PbDeviceProfile), profile);
});

test('provision watchers round-trip', () => {
  const pw: ProvisionWatcher = {
    id: '4b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c',
    name: 'w',
    serviceName: 'device-modbus',
    labels: ['l'],
    identifiers: { Address: '10\\..*' },
    blockingIdentifiers: { Port: ['1', '2'] },
    adminState: 'LOCKED',
    discoveredDevice: {
      profileName: 'Room-Sensor',
      adminState: 'UNLOCKED',
      autoEvents: [{ interval: '5s', onChange: false, sourceName: 'Temperature' }],
      properties: { p: 1 },
    },
    created: 5,
    modified: 6,
  };
  assert.deepEqual(viaWire(pw, m.provisionWatcherToProto, m.provisionWatcherFromProto, PbProvisionWatcher), pw);
});

test("a resource's uint64 mask and int64 shift beyond 2^53 are exact in the profile schema and through proto", () => {
  const profile = parseDto(
    DeviceProfileSchema,
    {
      name: 'wide',
      deviceResources: [{ name: 'r', properties: { valueType: 'Uint64', readWrite: 'R', mask: 18446744073709551601n, shift: '-9007199254740993' } }],
    },
    'profile',
  );
  const properties = profile.deviceResources[0].properties;
  assert.equal(properties.mask, 18446744073709551601n);
  assert.equal(properties.shift, -9007199254740993n);
  const back = m.resourcePropertiesFromProto(m.resourcePropertiesToProto(properties));
  assert.equal(back.mask, 18446744073709551601n);
  assert.equal(back.shift, -9007199254740993n);
});
