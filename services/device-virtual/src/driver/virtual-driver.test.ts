import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { EventSchema, parseDto, type Device, type DeviceProfile } from '@edgex-ts/contracts';
import { loadDevices, loadProfiles, readSource, type DeviceServiceSdk } from '@edgex-ts/device-sdk';
import { RES_DIR } from '../index.js';
import { VirtualDriver } from './virtual-driver.js';

async function setup() {
  const profiles = new Map((await loadProfiles(`${RES_DIR}profiles`)).map((p) => [p.value.name, p.value]));
  const devices = new Map((await loadDevices(`${RES_DIR}devices`, 'device-virtual')).map((d) => [d.value.name, d.value]));
  const sdk: DeviceServiceSdk = {
    serviceName: 'device-virtual',
    log: pino({ level: 'silent' }),
    driverConfig: {},
    getDevice: (n) => devices.get(n),
    getDevices: () => [...devices.values()],
    getProfile: (n) => profiles.get(n),
    deviceResource: (d, r) => profiles.get(devices.get(d)?.profileName ?? '')?.deviceResources.find((x) => x.name === r),
    pushAsyncReadings: () => Promise.reject(new Error('device-virtual pushes no async readings')),
  };
  const driver = new VirtualDriver();
  driver.initialize(sdk);
  for (const d of devices.values()) driver.addDevice(d.name);
  const read = (device: Device, source: string) => readSource(driver, device, profiles.get(device.profileName) as DeviceProfile, source);
  return { profiles, devices, driver, read };
}

const FLOAT_E = /^-?\d\.\d{6}e[+-]\d{2,3}$/;

test('the shipped res/ folder loads: EdgeX example devices plus a ramp device, all with auto-events', async () => {
  const { devices, profiles } = await setup();
  assert.deepEqual([...devices.keys()].sort(), [
    'Ramp-Device',
    'Random-Binary-Device',
    'Random-Boolean-Device',
    'Random-Float-Device',
    'Random-Integer-Device',
    'Random-UnsignedInteger-Device',
  ]);
  for (const d of devices.values()) {
    assert.ok(profiles.has(d.profileName), d.profileName);
    assert.ok((d.autoEvents ?? []).length > 0, `${d.name} has auto-events`);
    assert.deepEqual(Object.keys(d.protocols), ['other']);
  }
});

test('every auto-event source reads into a valid EdgeX event with EdgeX value encoding', async () => {
  const { devices, read } = await setup();
  for (const d of devices.values()) {
    for (const ae of d.autoEvents ?? []) {
      for (let i = 0; i < 50; i++) {
        const event = await read(d, ae.sourceName);
        parseDto(EventSchema, event, 'event');
        for (const r of event.readings) {
          switch (r.valueType) {
            case 'Int64':
            case 'Uint64': {
              assert.match(r.value!, /^-?\d+$/);
              const b = BigInt(r.value!);
              assert.ok(r.valueType === 'Int64' ? b >= -(2n ** 63n) && b < 2n ** 63n : b >= 0n && b < 2n ** 64n);
              break;
            }
            case 'Float32':
            case 'Float64':
              assert.match(r.value!, FLOAT_E, `${r.resourceName} ${r.value}`);
              break;
            case 'Int8':
              assert.ok(Math.abs(Number(r.value)) <= 100, `Int8 within the profile's -100..100: ${r.value}`);
              break;
            case 'Bool':
              assert.match(r.value!, /^(true|false)$/);
              break;
            case 'Binary':
              assert.equal(Buffer.from(r.binaryValue!, 'base64').length, 16);
              assert.equal(r.mediaType, 'application/octet-stream');
              break;
            default:
              break; // parseDto above checked the encoding of the other types
          }
        }
      }
    }
  }
});

test('64-bit values are exact beyond 2^53', async () => {
  const { devices, read } = await setup();
  const d = devices.get('Random-UnsignedInteger-Device')!;
  const values = await Promise.all(Array.from({ length: 200 }, async () => (await read(d, 'Uint64')).readings[0].value!));
  assert.ok(
    values.some((v) => BigInt(v) > 2n ** 53n && String(Number(v)) !== v),
    'some values are not representable as a double',
  );
});

test('writes store the value; EnableRandomization_<Resource> switches between generated and written values', async () => {
  const { devices, driver, read } = await setup();
  const d = devices.get('Random-Integer-Device')!;
  const reqs = [
    { deviceResourceName: 'Int64', attributes: {}, valueType: 'Int64' },
    { deviceResourceName: 'EnableRandomization_Int64', attributes: {}, valueType: 'Bool' },
  ];
  const flag = async () => (await driver.handleReadCommands(d.name, d.protocols, [reqs[1]]))[0].value;
  assert.equal(await flag(), true, 'defaultValue "true" of the companion resource');
  await driver.handleWriteCommands(d.name, d.protocols, reqs, [
    { deviceResourceName: 'Int64', valueType: 'Int64', value: -(2n ** 63n) + 1n },
    { deviceResourceName: 'EnableRandomization_Int64', valueType: 'Bool', value: false },
  ]);
  assert.equal(await flag(), false);
  for (let i = 0; i < 3; i++) assert.equal((await read(d, 'Int64')).readings[0].value, '-9223372036854775807');
  // a bad value is refused and leaves the state unchanged
  await assert.rejects(
    driver.handleWriteCommands(
      d.name,
      d.protocols,
      [{ deviceResourceName: 'Int8', attributes: {}, valueType: 'Int8' }],
      [{ deviceResourceName: 'Int8', valueType: 'Int8', value: 300 }],
    ),
    /Random-Integer-Device\/Int8: expected an integer in \[-128, 127\]/,
  );
  await driver.handleWriteCommands(d.name, d.protocols, [reqs[1]], [{ deviceResourceName: 'EnableRandomization_Int64', valueType: 'Bool', value: true }]);
  const after = new Set(await Promise.all(Array.from({ length: 5 }, async () => (await read(d, 'Int64')).readings[0].value)));
  assert.ok(after.size > 1, 'random again');
});

test('the ramp device ramps through its command', async () => {
  const { devices, read } = await setup();
  const d = devices.get('Ramp-Device')!;
  const seq = [];
  for (let i = 0; i < 23; i++) seq.push((await read(d, 'Ramps')).readings.map((r) => r.value));
  assert.deepEqual(seq.slice(0, 3), [
    ['0', '2.000000e+01', '0'],
    ['5', '2.050000e+01', '1'],
    ['10', '2.100000e+01', '2'],
  ]);
  assert.equal(seq[20][0], '100');
  assert.equal(seq[21][0], '0', 'Level wraps after its maximum');
  assert.equal(seq[11][1], '2.000000e+01', 'Temperature wraps after 25');
  const units = (await read(d, 'Ramps')).readings.map((r) => r.units);
  assert.deepEqual(units, ['%', 'C', undefined]);
});
