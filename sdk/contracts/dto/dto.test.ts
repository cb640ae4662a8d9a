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
  UpdateDeviceServiceRequestSchema,
  UpdateProvisionWatcherRequestSchema,
  AddDeviceResourceRequestSchema,
  DeviceProfileRequestSchema,
  DeviceServiceSchema,
  ProvisionWatcherSchema,
  deviceProfileWire,
  deviceServiceWire,
  deviceWire,
  provisionWatcherWire,
  systemEventWire,
  eventWire,
  isNullReading,
  readingWire,
  parseDto,
} from './index.js';

// Loosely typed on purpose: the tests break these bodies in every way a client might.

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
    [(b) => (b.event.readings[0].value = { f: 1 } as unknown as string), /readings\[0\]\.value: expected a string/],
    [(b) => (b.requestId = 'abc'), /^requestId: must be a UUID/],
    [(b) => delete (b as Partial<typeof b>).apiVersion, /^apiVersion: is required/],
  ];
  for (const [mutate, re] of cases) {
    const body = eventBody();
    mutate(body);
    rejects(AddEventRequestSchema, body, '', re);
  }
});

test('binary readings need base64 binaryValue and a mediaType; object readings carry objectValue', () => {
  const body = eventBody();
  body.event.readings[0] = { ...body.event.readings[0], valueType: 'Binary', value: undefined, binaryValue: 'AQID' };
  rejects(AddEventRequestSchema, body, '', /event\.readings\[0\]\.mediaType: is required with binaryValue/);
  body.event.readings[0].mediaType = 'image/png';
  assert.equal(parseDto(AddEventRequestSchema, body, '').event.readings[0].binaryValue, 'AQID');
  body.event.readings[0].binaryValue = '***';
  rejects(AddEventRequestSchema, body, '', /readings\[0\]\.binaryValue: must be base64/);

  const obj = eventBody();
  obj.event.readings[0] = { ...obj.event.readings[0], valueType: 'Object', value: undefined };
  obj.event.readings[0].objectValue = { a: [1, 2] };
  assert.deepEqual(parseDto(AddEventRequestSchema, obj, '').event.readings[0].objectValue, { a: [1, 2] });
});

test("EdgeX 4 null readings (the value of the reading's variant null or absent) are taken and written back with the three nulls", () => {
  for (const valueType of ['Float32', 'Int64', 'String', 'Binary', 'Object', 'ObjectArray'] as const) {
    const body = eventBody();
    body.event.readings[0] = { ...body.event.readings[0], valueType, value: null, binaryValue: null, objectValue: null };
    const reading = parseDto(AddEventRequestSchema, body, '').event.readings[0];
    assert.equal(isNullReading(reading), true, valueType);
    assert.deepEqual([reading.value, reading.binaryValue, reading.objectValue], [undefined, undefined, undefined], `${valueType}: no value field once read`);
    const wire = readingWire(reading) as Record<string, unknown>;
    assert.deepEqual([wire.value, wire.binaryValue, wire.objectValue], [null, null, null], `${valueType}: written as EdgeX writes it`);
    // No key at all is a null reading too, as EdgeX 4's decoder reads it.
    const absent = eventBody();
    delete (absent.event.readings[0] as { value?: string }).value;
    absent.event.readings[0].valueType = valueType;
    assert.equal(isNullReading(parseDto(AddEventRequestSchema, absent, '').event.readings[0]), true, `${valueType} without its value key`);
  }
  const plain = parseDto(AddEventRequestSchema, eventBody(), '').event;
  assert.equal(eventWire(plain), plain, 'an event without null readings is written as it is');
});

test('a simple value sent as a JSON number or boolean (EdgeX 4 numeric form) is read as its text', () => {
  const cases: [string, unknown, string][] = [
    ['Float64', 12.5, '12.5'],
    ['Int64', 1796657960933599538n, '1796657960933599538'],
    ['Bool', true, 'true'],
  ];
  for (const [valueType, value, text] of cases) {
    const body = eventBody();
    body.event.readings[0] = { ...body.event.readings[0], valueType, value };
    assert.equal(parseDto(AddEventRequestSchema, body, '').event.readings[0].value, text, valueType);
  }
  const wrongType = eventBody();
  wrongType.event.readings[0] = { ...wrongType.event.readings[0], valueType: 'Int8', value: 300 };
  rejects(AddEventRequestSchema, wrongType, '', /readings\[0\]\.value: 300 is out of range for Int8/);
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
    [(d) => (d.name = 'a\u0000b'), /^device\.name: must not contain control characters/],
    [(d) => (d.adminState = 'OPEN'), /^device\.adminState: expected one of LOCKED, UNLOCKED/],
    [(d) => (d.operatingState = 'ENABLED'), /^device\.operatingState: expected one of UP, DOWN, UNKNOWN/],
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
    [
      (p) => (p.deviceCommands[0].resourceOperations[0].deviceResource = 'Humidity'),
      /deviceCommands\[0\]\.resourceOperations\[0\]\.deviceResource: no device resource named Humidity/,
    ],
    [(p) => (p.deviceCommands[0].resourceOperations = []), /deviceCommands\[0\]\.resourceOperations: must hold at least one/],
    [(p) => (p.name = 'room\n1'), /^profile\.name: must not contain control characters/],
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
  const se = {
    apiVersion: 'v3',
    type: 'device',
    action: 'add',
    source: 'core-metadata',
    owner: 'device-virtual',
    details: { name: 'd1' },
    timestamp: 1735689600000000000,
  };
  assert.equal(parseDto(SystemEventSchema, se, 'systemEvent').action, 'add');
  rejects(SystemEventSchema, { ...se, action: 'create' }, 'systemEvent', /^systemEvent\.action: expected one of add, update, delete/);
});

// What Go's encoding/json writes for EdgeX's own DTO types (go-mod-core-contracts v4): nil slices, maps and
// pointers are `null`, fields without omitempty are always there, structs are never omitted.
const GO_AUTO_EVENT = { interval: '10s', onChange: false, onChangeThreshold: 0, sourceName: 'Temperature', retention: { maxCap: 0, minCap: 0, duration: '' } };
const goDevice = (): Loose => ({
  created: 0,
  modified: 0,
  name: 'Room-Sensor-1',
  adminState: 'UNLOCKED',
  operatingState: 'UP',
  serviceName: 'device-modbus',
  profileName: 'Room-Sensor',
  autoEvents: [structuredClone(GO_AUTO_EVENT)],
  protocols: { 'modbus-tcp': { Address: '10.0.0.5', Port: '502' } },
  properties: null,
});

test("Go's Device: properties null, an auto-event's zero-valued retention = no retention", () => {
  const d = parseDto(AddDeviceRequestSchema, { apiVersion: 'v3', requestId: '', device: goDevice() }, '').device;
  assert.equal(d.properties, undefined);
  assert.equal(d.autoEvents?.[0].retention, undefined);
  assert.equal(d.autoEvents?.[0].onChange, false);
  const nulls = parseDto(
    DeviceSchema,
    { ...goDevice(), labels: null, tags: null, autoEvents: null, location: null, description: null, parent: null },
    'device',
  );
  assert.deepEqual(
    [nulls.labels, nulls.tags, nulls.autoEvents, nulls.location, nulls.description, nulls.parent],
    [undefined, undefined, undefined, undefined, undefined, undefined],
  );
  const kept = parseDto(DeviceSchema, { ...goDevice(), autoEvents: [{ ...GO_AUTO_EVENT, retention: { maxCap: 10, minCap: 2, duration: '' } }] }, 'device');
  assert.deepEqual(kept.autoEvents?.[0].retention, { maxCap: 10, minCap: 2, duration: undefined });
  // EdgeX's `required` on a map accepts an empty one; only the device service can say which protocols it needs.
  assert.deepEqual(parseDto(DeviceSchema, { ...goDevice(), protocols: {} }, 'device').protocols, {});
  rejects(DeviceSchema, { ...goDevice(), protocols: null }, 'device', /^device\.protocols: /);
  // EdgeX v4: a device may have no profile yet (Go omits the empty profileName).
  const { profileName: _omitted, ...unprofiled } = goDevice();
  assert.equal(parseDto(DeviceSchema, unprofiled, 'device').profileName, '');
});

test('Go\'s UpdateDevice (every field a pointer): null = unchanged, "id": "" or null with a name = by name', () => {
  const goPatch = {
    id: null,
    name: 'Room-Sensor-1',
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
  const req = parseDto(UpdateDeviceRequestSchema, { apiVersion: 'v3', requestId: '', device: goPatch }, '');
  assert.deepEqual(
    Object.entries(req.device).filter(([, v]) => v !== undefined),
    [
      ['name', 'Room-Sensor-1'],
      ['adminState', 'LOCKED'],
    ],
  );
  assert.equal(parseDto(UpdateDeviceRequestSchema, { apiVersion: 'v3', device: { ...goPatch, id: '' } }, '').device.name, 'Room-Sensor-1');
  rejects(UpdateDeviceRequestSchema, { apiVersion: 'v3', device: { ...goPatch, name: null } }, '', /device\.name: id or name is required/);
});

test("Go's DeviceProfile: null resources, commands and maps; Go's UpdateDeviceProfileBasicInfo", () => {
  const goProfile = {
    created: 0,
    modified: 0,
    name: 'Room-Sensor',
    manufacturer: 'Acme',
    linkedDeviceCount: 0,
    deviceResources: [
      { name: 'Temperature', isHidden: false, properties: { valueType: 'Float32', readWrite: 'R', optional: null }, attributes: null, tags: null },
    ],
    deviceCommands: null,
  };
  const p = parseDto(DeviceProfileRequestSchema, { apiVersion: 'v3', profile: goProfile }, '').profile;
  assert.deepEqual(p.deviceCommands, []);
  assert.equal(p.deviceResources[0].attributes, undefined);
  assert.deepEqual(parseDto(DeviceProfileSchema, { ...goProfile, deviceResources: null }, 'profile').deviceResources, []);
  const cmd = { name: 'All', isHidden: false, readWrite: 'R', resourceOperations: [{ deviceResource: 'Temperature', mappings: null }], tags: null };
  assert.equal(parseDto(DeviceProfileSchema, { ...goProfile, deviceCommands: [cmd] }, 'profile').deviceCommands[0].tags, undefined);
  rejects(
    DeviceProfileSchema,
    { ...goProfile, deviceCommands: [{ ...cmd, resourceOperations: null }] },
    'profile',
    /deviceCommands\[0\]\.resourceOperations: /,
  );

  const basic = { id: null, name: 'Room-Sensor', manufacturer: null, description: null, model: 'RS-2', labels: null };
  assert.deepEqual(
    Object.entries(parseDto(DeviceProfileBasicInfoRequestSchema, { apiVersion: 'v3', basicinfo: basic }, '').basicinfo).filter(([, v]) => v !== undefined),
    [
      ['name', 'Room-Sensor'],
      ['model', 'RS-2'],
    ],
  );
  const res = { apiVersion: 'v3', profileName: 'Room-Sensor', resource: goProfile.deviceResources[0] };
  assert.equal(parseDto(AddDeviceResourceRequestSchema, res, '').resource.isHidden, false);
});

test("Go's DeviceService and ProvisionWatcher, and their Update forms", () => {
  const svc = { name: 'device-modbus', baseAddress: 'http://device-modbus:59901', adminState: 'UNLOCKED', properties: null };
  assert.equal(parseDto(AddDeviceServiceRequestSchema, { apiVersion: 'v3', service: svc }, '').service.properties, undefined);
  const svcPatch = { id: '', name: 'device-modbus', description: null, baseAddress: null, labels: null, adminState: 'LOCKED', properties: null };
  assert.equal(parseDto(UpdateDeviceServiceRequestSchema, { apiVersion: 'v3', service: svcPatch }, '').service.baseAddress, undefined);

  const pw = {
    name: 'modbus-watcher',
    serviceName: 'device-modbus',
    identifiers: { Address: '.*' },
    adminState: 'UNLOCKED',
    discoveredDevice: { profileName: '', adminState: 'UNLOCKED', properties: null },
  };
  const added = parseDto(AddProvisionWatcherRequestSchema, { apiVersion: 'v3', provisionWatcher: pw }, '').provisionWatcher;
  assert.equal(added.discoveredDevice.profileName, '');
  const pwPatch = {
    id: null,
    name: 'modbus-watcher',
    serviceName: null,
    labels: null,
    identifiers: null,
    blockingIdentifiers: null,
    adminState: 'LOCKED',
    discoveredDevice: { profileName: null, adminState: null, autoEvents: null, properties: null },
  };
  const patched = parseDto(UpdateProvisionWatcherRequestSchema, { apiVersion: 'v3', provisionWatcher: pwPatch }, '').provisionWatcher;
  assert.equal(patched.adminState, 'LOCKED');
  assert.equal(patched.identifiers, undefined);
  assert.deepEqual(
    Object.values(patched.discoveredDevice ?? {}).filter((v) => v !== undefined),
    [],
  );
  const blocking = parseDto(AddProvisionWatcherRequestSchema, { apiVersion: 'v3', provisionWatcher: { ...pw, blockingIdentifiers: { Port: null } } }, '');
  assert.deepEqual(blocking.provisionWatcher.blockingIdentifiers, { Port: [] });
});

test("Go's SystemEvent: tags null", () => {
  const se = {
    apiVersion: 'v3',
    type: 'device',
    action: 'add',
    source: 'core-metadata',
    owner: 'device-virtual',
    tags: null,
    details: goDevice(),
    timestamp: 1735689600000000000,
  };
  assert.equal(parseDto(SystemEventSchema, se, 'systemEvent').tags, undefined);
});

test('names: control characters refused in every name and reference that meets a topic or URL, naming the field; / # + $ accepted as EdgeX accepts them', () => {
  const bad = '\u0001';
  for (const c of ['\u0000', '\u001f', '\u007f', '\u009f', '\n'])
    rejects(DeviceSchema, { ...goDevice(), name: `a${c}b` }, 'device', /^device\.name: must not contain control characters/);
  const deviceFields: [(d: Loose) => void, RegExp][] = [
    [(d) => (d.serviceName = bad), /^device\.serviceName: must not contain control characters/],
    [(d) => (d.profileName = bad), /^device\.profileName: must not contain control characters/],
    [(d) => (d.autoEvents[0].sourceName = bad), /^device\.autoEvents\[0\]\.sourceName: must not contain control characters/],
  ];
  for (const [mutate, re] of deviceFields) {
    const d = goDevice();
    mutate(d);
    rejects(DeviceSchema, d, 'device', re);
  }
  rejects(UpdateDeviceRequestSchema, { apiVersion: 'v3', device: { name: `x${bad}` } }, '', /^device\.name: must not contain control characters/);
  const profile = parseYaml(profileYaml) as Loose;
  profile.deviceResources[0].name = `T${bad}`;
  rejects(DeviceProfileSchema, profile, 'profile', /^profile\.deviceResources\[0\]\.name: must not contain control characters/);
  const profile2 = parseYaml(profileYaml) as Loose;
  profile2.deviceCommands[0].name = `S${bad}`;
  rejects(DeviceProfileSchema, profile2, 'profile', /^profile\.deviceCommands\[0\]\.name: must not contain control characters/);
  const svc = { name: `s${bad}`, baseAddress: 'http://x:1', adminState: 'UNLOCKED' };
  rejects(AddDeviceServiceRequestSchema, { apiVersion: 'v3', service: svc }, '', /^service\.name: must not contain control characters/);
  const pw = {
    name: 'w',
    serviceName: `s${bad}`,
    identifiers: { A: '.*' },
    adminState: 'UNLOCKED',
    discoveredDevice: { profileName: `p${bad}`, adminState: 'UNLOCKED' },
  };
  rejects(
    AddProvisionWatcherRequestSchema,
    { apiVersion: 'v3', provisionWatcher: pw },
    '',
    /provisionWatcher\.serviceName: must not contain control characters.*provisionWatcher\.discoveredDevice\.profileName: must not contain control characters/,
  );
  rejects(
    AddDeviceCommandRequestSchema,
    { apiVersion: 'v3', profileName: `p${bad}`, deviceCommand: { name: 'c', readWrite: 'R', resourceOperations: [{ deviceResource: 'r' }] } },
    '',
    /^profileName: must not contain control characters/,
  );

  for (const name of ['a/b', 'room#1', 'x+y', '$sys', 'Ünïcødé ✓']) {
    assert.equal(parseDto(DeviceSchema, { ...goDevice(), name, serviceName: name, profileName: name }, 'device').name, name);
  }
});

test("what we send is what EdgeX's Go encoding writes: omitempty fields left out when empty, the others always there", () => {
  const device = parseDto(
    DeviceSchema,
    { ...goDevice(), labels: [], tags: {}, description: '', profileName: '', autoEvents: [{ interval: '1s', sourceName: 'T' }] },
    'device',
  );
  assert.deepEqual(deviceWire(device), {
    name: 'Room-Sensor-1',
    adminState: 'UNLOCKED',
    operatingState: 'UP',
    serviceName: 'device-modbus',
    autoEvents: [{ interval: '1s', onChange: false, onChangeThreshold: 0, sourceName: 'T', retention: { maxCap: 0, minCap: 0, duration: '' } }],
    protocols: { 'modbus-tcp': { Address: '10.0.0.5', Port: '502' } },
    properties: {},
  });

  const service = parseDto(DeviceServiceSchema, { name: 's', baseAddress: 'http://s:1', adminState: 'UNLOCKED', labels: [] }, 'service');
  assert.deepEqual(deviceServiceWire(service), { name: 's', baseAddress: 'http://s:1', adminState: 'UNLOCKED', properties: null });

  const profile = parseDto(
    DeviceProfileSchema,
    { name: 'P', description: '', deviceResources: [{ name: 'R', properties: { valueType: 'Int8', readWrite: 'R', units: '' } }] },
    'profile',
  );
  assert.deepEqual(deviceProfileWire(profile), {
    name: 'P',
    linkedDeviceCount: 0,
    deviceResources: [{ name: 'R', isHidden: false, properties: { valueType: 'Int8', readWrite: 'R' } }],
    deviceCommands: [],
  });

  const watcher = parseDto(
    ProvisionWatcherSchema,
    { name: 'w', serviceName: 's', identifiers: { A: '.*' }, adminState: 'UNLOCKED', discoveredDevice: { adminState: 'LOCKED' } },
    'w',
  );
  assert.deepEqual(provisionWatcherWire(watcher), {
    name: 'w',
    serviceName: 's',
    identifiers: { A: '.*' },
    adminState: 'UNLOCKED',
    discoveredDevice: { profileName: '', adminState: 'LOCKED', properties: null },
  });

  const event = { apiVersion: 'v3', type: 'device' as const, action: 'add' as const, source: 'core-metadata', owner: 's', details: {}, timestamp: 1 };
  assert.equal(systemEventWire(event).tags, null);
});
