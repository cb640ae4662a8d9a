/**
 * End to end: device-modbus with its shipped example profile, the example device pointed at a real
 * pymodbus server, commands through the service's EdgeX REST routes (SDK transforms included).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DeviceServiceHandle } from '@edgex-ts/device-sdk';
import { startMosquitto, type MosquittoBroker } from '../../../test/helpers/mosquitto.js';
import { readJson } from '../../../test/helpers/http.js';
import { freePort } from '../../../test/helpers/ports.js';
import { startPymodbus, type PymodbusServer } from '../../../test/helpers/pymodbus.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { ModbusDriver, RES_DIR, startDeviceModbus } from './index.js';

const DEVICE = 'Modbus-TCP-Test-Device';

let broker: MosquittoBroker;
let server: PymodbusServer;
let ds: DeviceServiceHandle;
let base: string;
const driver = new ModbusDriver();

/** The shipped device file, pointed at the test server's port, auto-event slowed down to stay out of the way. */
function devicesDir(port: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'modbus-devices-'));
  const text = readFileSync(join(RES_DIR, 'devices', 'modbus.test.devices.yaml'), 'utf8')
    .replace('Port: "1502"', `Port: "${port}"`)
    .replace(/interval: \d+s/, 'interval: 1h');
  assert.ok(text.includes(`Port: "${port}"`));
  writeFileSync(join(dir, 'devices.yaml'), text);
  return dir;
}

before(async () => {
  server = await startPymodbus({
    co: { 0: 1 },
    di: { 0: 0 },
    ir: { 0: 0xffb5 }, // -75 → Temperature -7.5 with scale 0.1
    hr: {
      0: 0x41ac,
      1: 0x0000, // SetPoint 21.5 (FLOAT32)
      2: 0x1170,
      3: 0x0001, // RunHours 70000 (UINT32, low word first)
      4: 3, // Mode
      5: 0x0008, // AlarmFlag: bit 3
      10: 0x7075,
      11: 0x6d70,
      12: 0x2d30,
      13: 0x3100, // DeviceName "pump-01"
    },
  });
  broker = await startMosquitto();
  ds = await startDeviceModbus({
    argv: [],
    env: {},
    driver,
    configOverrides: {
      Service: { Host: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `device-modbus-test-${process.pid}` } },
      // never DOWN here (DOWN and UP are tested through core-command in test/e2e/modbus-core-command.test.ts)
      Device: { DevicesDir: devicesDir(server.port), AllowedFails: 0 },
      // nothing listens there: provisioning retries in the background
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: await freePort(), GrpcPort: await freePort() } },
    },
  });
  base = `http://127.0.0.1:${ds.restPort}/api/v3`;
});

after(async () => {
  await ds?.stop();
  await broker?.stop();
  await server?.stop();
});

interface EventResponse {
  statusCode: number;
  event: { deviceName: string; sourceName: string; readings: { resourceName: string; valueType: string; value: string }[] };
}

async function get(command: string): Promise<EventResponse> {
  const res = await fetch(`${base}/device/name/${DEVICE}/${command}`);
  const body = (await res.json()) as EventResponse & { message?: string };
  assert.equal(res.status, 200, body.message);
  return body;
}

const valuesOf = (r: EventResponse) => Object.fromEntries(r.event.readings.map((x) => [x.resourceName, x.value]));

test('GET of a device command reads its registers with one Modbus request', async () => {
  await server.clearRequests();
  const r = await get('Status');
  assert.equal(r.event.deviceName, DEVICE);
  assert.deepEqual(valuesOf(r), { SetPoint: '2.150000e+01', RunHours: '70000', Mode: '3' });
  // (the example device's auto-event reads Temperature, an input register, right at start: not counted)
  assert.deepEqual(
    (await server.requests()).filter((q) => q.fc === 3),
    [{ fc: 3, address: 0, count: 5 }],
  );
});

test('GET of single resources: scaled raw INT16, coil, discrete input, bit, string', async () => {
  const got: Record<string, string> = {};
  for (const name of ['Temperature', 'SwitchA', 'DoorOpen', 'AlarmFlag', 'DeviceName']) Object.assign(got, valuesOf(await get(name)));
  assert.deepEqual(got, { Temperature: '-7.500000e+00', SwitchA: 'true', DoorOpen: 'false', AlarmFlag: 'true', DeviceName: 'pump-01' });
});

test('PUT writes holding registers and coils on the server', async () => {
  const res = await fetch(`${base}/device/name/${DEVICE}/Status`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ SetPoint: '-12.25', RunHours: '65537', Mode: '-2' }),
  });
  assert.equal(res.status, 200, await res.text());
  assert.deepEqual(await server.read('hr', 0, 5), [0xc144, 0x0000, 0x0001, 0x0001, 0xfffe]);

  const coil = await fetch(`${base}/device/name/${DEVICE}/SwitchA`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ SwitchA: 'false' }),
  });
  assert.equal(coil.status, 200, await coil.text());
  assert.deepEqual(await server.read('co', 0, 1), [0]);
  assert.deepEqual(valuesOf(await get('Status')), { SetPoint: '-1.225000e+01', RunHours: '65537', Mode: '-2' });
});

test('the device unreachable: an error response naming device, table and address', async () => {
  await server.stop();
  try {
    const res = await fetch(`${base}/device/name/${DEVICE}/Mode`);
    const body = (await res.json()) as { message: string };
    assert.ok(res.status >= 500, `status ${res.status}`);
    assert.match(body.message, new RegExp(`device ${DEVICE}: read HOLDING_REGISTERS 4 \\(1 register\\) for Mode at 127\\.0\\.0\\.1:${server.port}`));
  } finally {
    await server.restart();
  }
  // Reconnects back off after a failure: the command works again once the backoff is over.
  const back = await waitFor('Mode readable again', async () => {
    const res = await fetch(`${base}/device/name/${DEVICE}/Mode`);
    return res.status === 200 ? ((await res.json()) as EventResponse) : undefined;
  });
  assert.deepEqual(valuesOf(back), { Mode: '3' });
});

test('starts healthy with an empty devices folder (as the all-in-one and the containers start it); Driver settings from the environment', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'modbus-no-devices-'));
  const bare = await startDeviceModbus({
    argv: [],
    env: { DRIVER_MAXQUEUEDREQUESTS: '7' },
    configOverrides: {
      Service: { Host: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `device-modbus-empty-${process.pid}` } },
      Device: { DevicesDir: empty },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: await freePort(), GrpcPort: await freePort() } },
    },
  });
  try {
    const ping = await fetch(`http://127.0.0.1:${bare.restPort}/api/v3/ping`);
    assert.equal(ping.status, 200);
    assert.deepEqual(bare.sdk.getDevices(), []);
    assert.ok(bare.sdk.getProfile('Test-Device-Modbus-Profile'), 'the example profile is still loaded');
    const unknown = await fetch(`http://127.0.0.1:${bare.restPort}/api/v3/device/name/${DEVICE}/Mode`);
    assert.equal(unknown.status, 404);
    const config = await readJson<{ config: { Driver: unknown } }>(await fetch(`http://127.0.0.1:${bare.restPort}/api/v3/config`));
    assert.deepEqual(config.config.Driver, { MaxQueuedRequests: '7', ReconnectBackoff: '100ms', ReconnectBackoffMax: '10s' });
  } finally {
    await bare.stop();
    rmSync(empty, { recursive: true, force: true });
  }
});
