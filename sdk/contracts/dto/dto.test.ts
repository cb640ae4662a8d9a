import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { EdgeXError } from '../errors.js';
import {
  AddDeviceRequestSchema,
  AddDeviceServiceRequestSchema,
  AddEventRequestSchema,
  AddProvisionWatcherRequestSchema,
  AddDeviceCommandRequestSchema,
  DeviceProfileBasicInfoRequestSchema,
  DeviceProfileSchema,
  DeviceSchema,
  SystemEventSchema,
  UpdateDeviceRequestSchema,
  parseDto,
} from './index.js';

// Loosely typed on purpose: the tests break these bodies in every way a client might.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const eventBody = (): Loose & { event: Loose & { readings: Loose[] } } => ({
  apiVersion: 'v3',
  requestId: '2a6c0d1e-8f4b-4c3a-9a57-0c1d2e3f4a5b',
  event: {
    apiVersion: 'v3',
    id: '7b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c',
    deviceName: 'Room-Sensor-1',
    profileName: 'Room-Sensor',
    sourceName: 'Temperature',
    origin: 1735689600000000000,
    readings: [
      {
        origin: 1735689600000000000,
        deviceName: 'Room-Sensor-1',
        resourceName: 'Temperature',
        profileName: 'Room-Sensor',
        valueType: 'Float32',
        units: 'C',
        value: '2.150000e+01',
      },
    ],
  },
});

/** Asserts parseDto fails with ContractInvalid and a message matching `re`. */
function rejects(schema: Parameters<typeof parseDto>[0], value: unknown, root: string, re: RegExp) {
  assert.throws(
    () => parseDto(schema, value, root),
    (e: unknown) => {
      assert.ok(e instanceof EdgeXError, 'EdgeXError');
      assert.equal(e.kind, 'ContractInvalid');
      assert.match(e.message, re);
      return true;
    },
  );
}

test('the reference AddEventRequest parses', () => {
  const req = parseDto(AddEventRequestSchema, eventBody(), '');
  assert.equal(req.event.readings[0].value, '2.150000e+01');
  assert.equal(req.event.origin, 1735689600000000000);
});

test('unknown extra fields are tolerated', () => {
  const body = eventBody();
  body.event.someVendorField = 1;
  body.event.readings[0].extra = 'x';
  const req = parseDto(AddEventRequestSchema, body, '');
  assert.equal(req.event.deviceName, 'Room-Sensor-1');
});

test('bad events give messages naming the field', () => {
  const cases: [(b: ReturnType<typeof eventBody>) => void, RegExp][] = [
    [(b) => (b.event.readings[0].valueType = 'Float99'), /^event\.readings\[0\]\.valueType: expected one of Bool, String, /],
    [(b) => (b.event.id = 'not-a-uuid'), /^event\.id: must be a UUID/],
    [(b) => delete b.event.deviceName, /^event\.deviceName: is required/],
    [(b) => (b.event.sourceName = '  '), /^event\.sourceName: must not be blank/],
    [(b) => (b.event.readings = []), /^event\.readings: must hold at least one reading/],
    [(b) => (b.event.origin = 'yesterday'), /^event\.origin: expected an integer/],
    [(b) => (b.event.readings[0].value = 'abc'), /^event\.readings\[0\]\.value: "abc" is not a valid Float32/],
    [(b) => ((b.event.readings[0].valueType = 'Int16'), (b.event.readings[0].value = '70000')), /readings\[0\]\.value: 70000 is out of range for Int16/],
    [(b) => delete b.event.readings[0].value, /readings\[0\]\.value: is required for valueType Float32/],
    [(b) => (b.requestId = 'abc'), /^requestId: must be a UUID/],
    [(b) => delete (b as Partial<typeof b>).apiVersion, /^apiVersion: is required/],
  ];
  for (const [mutate, re] of cases) {
    const body = eventBody();
    mutate(body);
    rejects(AddEventRequestSchema, body, '', re);
  }
});

test('binary readings need base64 binaryValue and a mediaType; object readings need objectValue', () => {
  const body = eventBody();
  body.event.readings[0] = { ...body.event.readings[0], valueType: 'Binary', value: undefined, binaryValue: 'AQID' };
  rejects(AddEventRequestSchema, body, '', /event\.readings\[0\]\.mediaType: is required with binaryValue/);
  body.event.readings[0].mediaType = 'image/png';
  assert.equal(parseDto(AddEventRequestSchema, body, '').event.readings[0].binaryValue, 'AQID');
  body.event.readings[0].binaryValue = '***';
  rejects(AddEventRequestSchema, body, '', /readings\[0\]\.binaryValue: must be base64/);

  const obj = eventBody();
  obj.event.readings[0] = { ...obj.event.readings[0], valueType: 'Object', value: undefined };
  rejects(AddEventRequestSchema, obj, '', /readings\[0\]\.objectValue: is required for valueType Object/);
  obj.event.readings[0].objectValue = { a: [1, 2] };
  assert.deepEqual(parseDto(AddEventRequestSchema, obj, '').event.readings[0].objectValue, { a: [1, 2] });
});

test('only the first few issues are listed', () => {
  rejects(AddEventRequestSchema, { event: {} }, '', /; and \d+ more$/);
  rejects(AddEventRequestSchema, 'nope', 'body', /^body: /);
});

const deviceYaml = `
name: Room-Sensor-1
profileName: Room-Sensor
serviceName: device-modbus
adminState: UNLOCKED
operatingState: UP
protocols:
  modbus-tcp: {Address: 10.0.0.5, Port: 502, UnitID: 1, Timeout: 5, IdleTimeout: 5}
autoEvents:
  - {interval: 10s, onChange: true, onChangeThreshold: 0.5, sourceName: Temperature}
`;

test('the reference device parses, with numeric protocol properties kept', () => {
  const device = parseDto(DeviceSchema, parseYaml(deviceYaml), 'device');
  assert.equal(device.protocols['modbus-tcp'].Port, 502);
  assert.equal(device.protocols['modbus-tcp'].Address, '10.0.0.5');
  assert.equal(device.autoEvents?.[0].interval, '10s');
  const req = parseDto(AddDeviceRequestSchema, { apiVersion: 'v3', device: parseYaml(deviceYaml) }, '');
  assert.equal(req.device.name, 'Room-Sensor-1');
});

test('bad devices give messages naming the field', () => {
  const base = () => parseYaml(deviceYaml) as Record<string, any>;
  const cases: [(d: Record<string, any>) => void, RegExp][] = [
    [(d) => (d.name = 'a/b'), /^device\.name: must not contain reserved characters/],
    [(d) => (d.adminState = 'OPEN'), /^device\.adminState: expected one of LOCKED, UNLOCKED/],
    [(d) => (d.operatingState = 'ENABLED'), /^device\.operatingState: expected one of UP, DOWN, UNKNOWN/],
    [(d) => (d.protocols = {}), /^device\.protocols: must name at least one protocol/],
    [(d) => (d.autoEvents[0].interval = '10'), /^device\.autoEvents\[0\]\.interval: invalid duration "10"/],
    [(d) => (d.autoEvents[0].interval = '100us'), /^device\.autoEvents\[0\]\.interval: must be at least 1ms/],
    [(d) => (d.autoEvents[0].onChangeThreshold = -1), /autoEvents\[0\]\.onChangeThreshold: must be >= 0/],
    [(d) => delete d.serviceName, /^device\.serviceName: is required/],
  ];
  for (const [mutate, re] of cases) {
    const d = base();
    mutate(d);
    rejects(DeviceSchema, d, 'device', re);
  }
});

test('device updates need id or name and validate only what is present', () => {
  const ok = parseDto(UpdateDeviceRequestSchema, { apiVersion: 'v3', device: { name: 'd1', adminState: 'LOCKED' } }, '');
  assert.deepEqual(ok.device, { name: 'd1', adminState: 'LOCKED' });
  parseDto(UpdateDeviceRequestSchema, { apiVersion: 'v3', device: { id: '7b1f3c2d-5e6f-4a70-8b9c-1d2e3f4a5b6c', labels: [] } }, '');
  rejects(UpdateDeviceRequestSchema, { apiVersion: 'v3', device: { adminState: 'LOCKED' } }, '', /device\.name: id or name is required/);
  rejects(UpdateDeviceRequestSchema, { apiVersion: 'v3', device: { name: 'd1', adminState: 'x' } }, '', /device\.adminState: expected one of/);
});

const profileYaml = `
name: Room-Sensor
manufacturer: Acme
model: RS-1
deviceResources:
  - name: Temperature
    attributes: {primaryTable: INPUT_REGISTERS, startingAddress: 3, rawType: INT16}
    properties: {valueType: Float32, readWrite: R, scale: 0.1, units: C}
  - name: Fan
    attributes: {primaryTable: COILS, startingAddress: 0}
    properties: {valueType: Bool, readWrite: RW, defaultValue: "false"}
deviceCommands:
  - name: Status
    readWrite: R
    resourceOperations:
      - {deviceResource: Temperature}
      - {deviceResource: Fan, mappings: {"true": "ON", "false": "OFF"}}
`;

test('the reference profile parses', () => {
  const p = parseDto(DeviceProfileSchema, parseYaml(profileYaml), 'profile');
  assert.equal(p.deviceResources[0].properties.scale, 0.1);
  assert.equal(p.deviceResources[0].isHidden, false);
  assert.deepEqual(p.deviceCommands[0].resourceOperations[1].mappings, { true: 'ON', false: 'OFF' });
  const loose = parseYaml(profileYaml);
  loose.deviceResources[0].properties.scale = '0.1';
  assert.equal(parseDto(DeviceProfileSchema, loose, 'profile').deviceResources[0].properties.scale, 0.1);
});

test('bad profiles give messages naming the field', () => {
  const base = () => parseYaml(profileYaml) as Record<string, any>;
  const cases: [(p: Record<string, any>) => void, RegExp][] = [
    [(p) => (p.deviceResources[1].properties.readWrite = 'X'), /^profile\.deviceResources\[1\]\.properties\.readWrite: expected one of R, W, RW, WR/],
    [(p) => (p.deviceResources[0].properties.valueType = 'float'), /deviceResources\[0\]\.properties\.valueType: expected one of Bool/],
    [(p) => (p.deviceResources[1].name = 'Temperature'), /deviceResources\[1\]\.name: duplicate resource name Temperature/],
    [(p) => (p.deviceCommands[0].resourceOperations[0].deviceResource = 'Humidity'), /deviceCommands\[0\]\.resourceOperations\[0\]\.deviceResource: no device resource named Humidity/],
    [(p) => (p.deviceCommands[0].resourceOperations = []), /deviceCommands\[0\]\.resourceOperations: must hold at least one/],
    [(p) => (p.name = 'room#1'), /^profile\.name: must not contain reserved characters/],
  ];
  for (const [mutate, re] of cases) {
    const p = base();
    mutate(p);
    rejects(DeviceProfileSchema, p, 'profile', re);
  }
});

test('service, provision watcher, basic info and command requests', () => {
  const svc = { apiVersion: 'v3', service: { name: 'device-virtual', baseAddress: 'http://device-virtual:59900', adminState: 'UNLOCKED' } };
  assert.equal(parseDto(AddDeviceServiceRequestSchema, svc, '').service.baseAddress, 'http://device-virtual:59900');
  rejects(AddDeviceServiceRequestSchema, { ...svc, service: { ...svc.service, baseAddress: 'nowhere' } }, '', /^service\.baseAddress: must be a URI/);

  const pw = {
    apiVersion: 'v3',
    provisionWatcher: {
      name: 'modbus-watcher',
      serviceName: 'device-modbus',
      identifiers: { Address: '10\\.0\\.0\\..*' },
      blockingIdentifiers: { Port: ['9999'] },
      adminState: 'UNLOCKED',
      discoveredDevice: { profileName: 'Room-Sensor', adminState: 'UNLOCKED', autoEvents: [{ interval: '5s', sourceName: 'Temperature' }] },
    },
  };
  assert.deepEqual(parseDto(AddProvisionWatcherRequestSchema, pw, '').provisionWatcher.blockingIdentifiers, { Port: ['9999'] });
  rejects(
    AddProvisionWatcherRequestSchema,
    { ...pw, provisionWatcher: { ...pw.provisionWatcher, identifiers: { Address: '([' } } },
    '',
    /^provisionWatcher\.identifiers\.Address: invalid regular expression/,
  );

  parseDto(DeviceProfileBasicInfoRequestSchema, { apiVersion: 'v3', basicinfo: { name: 'Room-Sensor', model: 'RS-2' } }, '');
  rejects(DeviceProfileBasicInfoRequestSchema, { apiVersion: 'v3', basicinfo: { model: 'RS-2' } }, '', /basicinfo\.name: id or name is required/);

  const cmd = { apiVersion: 'v3', profileName: 'Room-Sensor', deviceCommand: { name: 'All', readWrite: 'R', resourceOperations: [{ deviceResource: 'Fan' }] } };
  assert.equal(parseDto(AddDeviceCommandRequestSchema, cmd, '').deviceCommand.isHidden, false);
});

test('system events parse', () => {
  const se = { apiVersion: 'v3', type: 'device', action: 'add', source: 'core-metadata', owner: 'device-virtual', details: { name: 'd1' }, timestamp: 1735689600000000000 };
  assert.equal(parseDto(SystemEventSchema, se, 'systemEvent').action, 'add');
  rejects(SystemEventSchema, { ...se, action: 'create' }, 'systemEvent', /^systemEvent\.action: expected one of add, update, delete/);
});
