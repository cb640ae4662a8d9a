// Commands through core-command to a Modbus device (EdgeX issue 4 acceptance): real Mosquitto, core-metadata,
// core-data, core-command and device-modbus (in this process, each with its own ports and bus client), and an
// independent pymodbus TCP server holding known registers. Writes are checked inside the server; reads through
// core-command must come back transformed as the profile says. Then the server goes away and comes back: the
// device goes DOWN in core-metadata (core-command answers 423) and is probed UP again, and its auto-event
// readings reach core-data again. Last, the same through the gRPC CoreCommandClient.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startCoreCommand, type CoreCommandHandle } from '@edgex-ts/core-command';
import { startCoreData, type CoreDataHandle } from '@edgex-ts/core-data';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { startDeviceModbus } from '@edgex-ts/device-modbus';
import { CoreCommandClient, CoreMetadataClient } from '@edgex-ts/client';
import { EdgeXError } from '@edgex-ts/contracts';
import type { DeviceServiceHandle } from '@edgex-ts/device-sdk';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { startPymodbus, type PymodbusServer } from '../helpers/pymodbus.js';
import { waitFor } from '../helpers/wait.js';

const DEVICE = 'Modbus-E2E-Device';
const PROFILE = 'Modbus-E2E-Profile';

/** Big-endian bytes of a value → registers, with EdgeX's byte/word swaps written out by hand (not via the driver's codec). */
function registersOf(write: (b: Buffer) => void, size: number, swap: { byte?: boolean; word?: boolean } = {}): number[] {
  const b = Buffer.alloc(size);
  write(b);
  let words: [number, number][] = [];
  for (let i = 0; i < size; i += 2) words.push([b[i], b[i + 1]]);
  if (size >= 4 && swap.byte) words = words.map(([hi, lo]) => [lo, hi]);
  if (size >= 4 && swap.word) words.reverse();
  return words.map(([hi, lo]) => (hi << 8) | lo);
}

const res = (name: string, valueType: string, readWrite: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name,
  isHidden: false,
  attributes,
  properties: { valueType, readWrite, ...extra },
});

/** Every raw type, each swap, a scaled INT16 both ways, a coil and a bit inside a register. */
const PROFILE_DOC = {
  name: PROFILE,
  manufacturer: 'edgex-ts',
  model: 'e2e',
  labels: [],
  deviceResources: [
    res('I16', 'Int16', 'RW', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 0, rawType: 'INT16' }),
    res('U16', 'Uint16', 'RW', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 1, rawType: 'UINT16' }),
    res('I32', 'Int32', 'RW', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 2, rawType: 'INT32', isByteSwap: true }),
    res('U32', 'Uint32', 'RW', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 4, rawType: 'UINT32', isWordSwap: true }),
    res('F32', 'Float32', 'RW', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 6, rawType: 'FLOAT32', isByteSwap: true, isWordSwap: true }),
    res('F64', 'Float64', 'RW', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 8, rawType: 'FLOAT64' }),
    res('Alarm', 'Bool', 'RW', { primaryTable: 'HOLDING_REGISTERS', startingAddress: '12.3' }),
    res('SetTemp', 'Float32', 'RW', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 13, rawType: 'INT16' }, { scale: 0.1 }),
    res('Temp', 'Float32', 'R', { primaryTable: 'INPUT_REGISTERS', startingAddress: 0, rawType: 'INT16' }, { scale: 0.1, units: 'degrees Celsius' }),
    res('Counter', 'Uint16', 'R', { primaryTable: 'INPUT_REGISTERS', startingAddress: 1 }),
    res('Pump', 'Bool', 'RW', { primaryTable: 'COILS', startingAddress: 0 }),
    // past the server's 1000 registers: pymodbus answers with exception 2
    res('Far', 'Uint16', 'R', { primaryTable: 'HOLDING_REGISTERS', startingAddress: 5000 }),
  ],
  deviceCommands: [
    {
      name: 'AllRaw',
      isHidden: false,
      readWrite: 'RW',
      resourceOperations: ['I16', 'U16', 'I32', 'U32', 'F32', 'F64'].map((deviceResource) => ({ deviceResource })),
    },
  ],
};

const INITIAL_HR: number[] = [
  ...registersOf((b) => b.writeInt16BE(-1234), 2),
  ...registersOf((b) => b.writeUInt16BE(54321), 2),
  ...registersOf((b) => b.writeInt32BE(-123456789), 4, { byte: true }),
  ...registersOf((b) => b.writeUInt32BE(3_000_000_000), 4, { word: true }),
  ...registersOf((b) => b.writeFloatBE(3.1415927), 4, { byte: true, word: true }),
  ...registersOf((b) => b.writeDoubleBE(-2.718281828459045), 8),
  0x0101, // register 12: bit 3 clear, other bits set that a bit write must keep
  215, // register 13: SetTemp 21.5 (scale 0.1)
];

const JUNK_DEVICE = 'Modbus-Junk-Device';
const SILENT_DEVICE = 'Modbus-Silent-Device';
/** Driver.MaxQueuedRequests of device-modbus here: requests one connection may hold. */
const MAX_QUEUED = 3;

let broker: MosquittoBroker;
/** A TCP peer that answers every request with bytes that are not Modbus. */
let junk: Server;
/** A TCP peer that accepts connections and never answers. */
let silent: Server;
const peerSockets = new Set<Socket>();
let server: PymodbusServer;
let metadata: CoreMetadataHandle;
let data: CoreDataHandle;
let command: CoreCommandHandle;
let modbus: DeviceServiceHandle;
let metadataClient: CoreMetadataClient;
let commandClient: CoreCommandClient;
let commandBase: string;
let dataBase: string;
const dir = mkdtempSync(join(tmpdir(), 'modbus-e2e-'));

const common = (name: string) => ({
  Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s' },
  Writable: { LogLevel: 'ERROR' as const },
  MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `${name}-e2e-${process.pid}`, CleanSession: true } },
});

before(async () => {
  junk = createServer((socket) => {
    peerSockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', () => socket.write(Buffer.from('HTTP/1.0 400 not modbus\r\n\r\n')));
  });
  silent = createServer((socket) => {
    peerSockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => junk.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  server = await startPymodbus({ hr: Object.fromEntries(INITIAL_HR.map((v, i) => [i, v])), ir: { 0: 0xffb5, 1: 42 }, co: { 0: 0 } });
  broker = await startMosquitto();
  metadata = await startCoreMetadata({ argv: [], env: {}, configOverrides: { ...common('core-metadata'), Database: { Path: join(dir, 'metadata.db') } } });
  const clients = { 'core-metadata': { Host: '127.0.0.1', Port: metadata.restPort, GrpcPort: metadata.grpcPort } };
  data = await startCoreData({ argv: [], env: {}, configOverrides: { ...common('core-data'), Database: { Path: join(dir, 'data.db') }, Clients: clients } });
  command = await startCoreCommand({ argv: [], env: {}, configOverrides: { ...common('core-command'), Clients: clients } });

  const profiles = join(dir, 'profiles');
  const devices = join(dir, 'devices');
  for (const d of [profiles, devices]) mkdirSync(d);
  writeFileSync(join(profiles, 'e2e.json'), JSON.stringify(PROFILE_DOC));
  writeFileSync(
    join(devices, 'e2e.json'),
    JSON.stringify([
      {
        name: DEVICE,
        profileName: PROFILE,
        protocols: { 'modbus-tcp': { Address: '127.0.0.1', Port: String(server.port), UnitID: '1', Timeout: '1', IdleTimeout: '5' } },
        autoEvents: [{ interval: '300ms', onChange: false, sourceName: 'Counter' }],
      },
      {
        name: JUNK_DEVICE,
        profileName: PROFILE,
        protocols: { 'modbus-tcp': { Address: '127.0.0.1', Port: String((junk.address() as AddressInfo).port), UnitID: '1', Timeout: '1' } },
      },
      {
        name: SILENT_DEVICE,
        profileName: PROFILE,
        protocols: { 'modbus-tcp': { Address: '127.0.0.1', Port: String((silent.address() as AddressInfo).port), UnitID: '1', Timeout: '3' } },
      },
    ]),
  );
  modbus = await startDeviceModbus({
    argv: [],
    env: {},
    configOverrides: {
      ...common('device-modbus'),
      Clients: clients,
      Device: { ProfilesDir: profiles, DevicesDir: devices, AllowedFails: 2, DeviceDownTimeout: '200ms' },
      Driver: { ReconnectBackoff: '50ms', ReconnectBackoffMax: '200ms', MaxQueuedRequests: String(MAX_QUEUED) },
    },
  });
  await modbus.provisioned;
  commandBase = `http://127.0.0.1:${command.restPort}/api/v3`;
  dataBase = `http://127.0.0.1:${data.restPort}/api/v3`;
  metadataClient = new CoreMetadataClient(`127.0.0.1:${metadata.grpcPort}`);
  commandClient = new CoreCommandClient(`127.0.0.1:${command.grpcPort}`);
  await waitFor(`${DEVICE} known to core-command`, async () => (await fetch(`${commandBase}/device/name/${DEVICE}`)).status === 200);
});

after(async () => {
  commandClient?.close();
  metadataClient?.close();
  await modbus?.stop();
  await command?.stop();
  await data?.stop();
  await metadata?.stop();
  await broker?.stop();
  await server?.stop();
  for (const socket of peerSockets) socket.destroy();
  await new Promise((r) => junk?.close(r));
  await new Promise((r) => silent?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

interface Reading {
  resourceName: string;
  valueType: string;
  value: string;
  units?: string;
}

async function call(method: 'GET' | 'PUT', path: string, body?: object): Promise<{ status: number; body: any; text: string }> {
  const r = await fetch(commandBase + path, {
    method,
    ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await r.text();
  return { status: r.status, text, body: text ? JSON.parse(text) : undefined };
}

async function read(commandName: string, query = ''): Promise<Record<string, Reading>> {
  const r = await call('GET', `/device/name/${DEVICE}/${commandName}${query}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.event.deviceName, DEVICE);
  return Object.fromEntries((r.body.event.readings as Reading[]).map((x) => [x.resourceName, x]));
}

async function put(commandName: string, values: Record<string, string>): Promise<void> {
  const r = await call('PUT', `/device/name/${DEVICE}/${commandName}`, values);
  assert.deepEqual([r.status, r.body], [200, { apiVersion: 'v3', statusCode: 200 }], r.text);
}

/** Float readings are in Go's `%e` form (6 decimals, two-digit exponent), as EdgeX writes them. */
function assertFloat(reading: Reading | undefined, expected: number, valueType: 'Float32' | 'Float64'): void {
  assert.ok(reading, 'reading present');
  assert.equal(reading.valueType, valueType);
  assert.match(reading.value, /^-?\d\.\d{6}e[+-]\d{2,3}$/);
  const typed = valueType === 'Float32' ? Math.fround(expected) : expected;
  assert.equal(Number(reading.value), Number(typed.toExponential(6)), `${reading.resourceName}: ${reading.value} vs ${expected}`);
}

describe('REST through core-command to pymodbus', () => {
  test('GET of a device command returns every raw type with its swaps decoded', async () => {
    const r = await read('AllRaw');
    assert.deepEqual(
      ['I16', 'U16', 'I32', 'U32'].map((n) => [n, r[n].valueType, r[n].value]),
      [
        ['I16', 'Int16', '-1234'],
        ['U16', 'Uint16', '54321'],
        ['I32', 'Int32', '-123456789'],
        ['U32', 'Uint32', '3000000000'],
      ],
    );
    assertFloat(r.F32, Math.fround(3.1415927), 'Float32');
    assertFloat(r.F64, -2.718281828459045, 'Float64');
  });

  test('GET of single resources: scaled INT16 with units, coil, bit in a register', async () => {
    const temp = (await read('Temp')).Temp;
    assertFloat(temp, -7.5, 'Float32');
    assert.equal(temp.units, 'degrees Celsius');
    assertFloat((await read('SetTemp')).SetTemp, 21.5, 'Float32');
    assert.equal((await read('Pump')).Pump.value, 'false');
    assert.equal((await read('Alarm')).Alarm.value, 'false');
  });

  test('PUT writes the registers on the server: every raw type with swaps, scale inverted, coil, bit kept among others', async () => {
    await put('AllRaw', { I16: '-2', U16: '65535', I32: '-5', U32: '4000000000', F32: '-1.5', F64: '1e300' });
    assert.deepEqual(await server.read('hr', 0, 12), [
      ...registersOf((b) => b.writeInt16BE(-2), 2),
      ...registersOf((b) => b.writeUInt16BE(65535), 2),
      ...registersOf((b) => b.writeInt32BE(-5), 4, { byte: true }),
      ...registersOf((b) => b.writeUInt32BE(4_000_000_000), 4, { word: true }),
      ...registersOf((b) => b.writeFloatBE(-1.5), 4, { byte: true, word: true }),
      ...registersOf((b) => b.writeDoubleBE(1e300), 8),
    ]);
    await put('SetTemp', { SetTemp: '-12.5' });
    assert.deepEqual(await server.read('hr', 13, 1), [0x10000 - 125]);
    await put('Pump', { Pump: 'true' });
    assert.deepEqual(await server.read('co', 0, 1), [1]);
    await put('Alarm', { Alarm: 'true' });
    assert.deepEqual(await server.read('hr', 12, 1), [0x0109]);

    // and read back through core-command
    const back = await read('AllRaw');
    assert.deepEqual(
      ['I16', 'U16', 'I32', 'U32'].map((n) => back[n].value),
      ['-2', '65535', '-5', '4000000000'],
    );
    assertFloat(back.F32, -1.5, 'Float32');
    assertFloat(back.F64, 1e300, 'Float64');
    assert.equal((await read('Alarm')).Alarm.value, 'true');
  });

  test('ds-pushevent=true lands the event in core-data; ds-returnevent=false answers 200 with an empty body', async () => {
    const r = await call('GET', `/device/name/${DEVICE}/Temp?ds-pushevent=true`);
    assert.equal(r.status, 200, r.text);
    const stored = await waitFor('the pushed event in core-data', async () => {
      const got = await fetch(`${dataBase}/event/id/${r.body.event.id}`);
      return got.status === 200 ? ((await got.json()) as any) : undefined;
    });
    assert.equal(stored.event.readings[0].resourceName, 'Temp');
    const none = await call('GET', `/device/name/${DEVICE}/Temp?ds-returnevent=false`);
    assert.deepEqual([none.status, none.text], [200, '']);
  });

  test('404 for an unknown device or command, 405 for a PUT on a read-only resource, 400 for a bad value', async () => {
    const noDevice = await call('GET', '/device/name/No-Such-Device/Temp');
    assert.equal(noDevice.status, 404);
    assert.match(noDevice.body.message, /No-Such-Device/);
    const noCommand = await call('GET', `/device/name/${DEVICE}/NoSuchCommand`);
    assert.equal(noCommand.status, 404);
    assert.match(noCommand.body.message, /NoSuchCommand/);
    const readOnly = await call('PUT', `/device/name/${DEVICE}/Temp`, { Temp: '1' });
    assert.equal(readOnly.status, 405);
    assert.match(readOnly.body.message, /Temp .*not writable/);
    const bad = await call('PUT', `/device/name/${DEVICE}/I16`, { I16: 'forty' });
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.body.message, /I16/);
  });
});

describe('devices that misbehave, through core-command', () => {
  test('a Modbus exception answer: a clear error naming device, table, address and exception; the device still works', async () => {
    const far = await call('GET', `/device/name/${DEVICE}/Far`);
    assert.equal(far.status, 500, far.text);
    assert.match(
      far.body.message,
      new RegExp(`device ${DEVICE}: read HOLDING_REGISTERS 5000 \\(1 register\\) for Far at .*: Modbus exception 2 \\(illegal data address\\)`),
    );
    assertFloat((await read('Temp')).Temp, -7.5, 'Float32');
  });

  test('a peer answering junk: a clear error naming the device; device-modbus keeps serving the others', async () => {
    const r = await call('GET', `/device/name/${JUNK_DEVICE}/Counter`);
    assert.equal(r.status, 500, r.text);
    assert.match(r.body.message, new RegExp(`device ${JUNK_DEVICE}: read INPUT_REGISTERS 1 \\(1 register\\) for Counter at 127\\.0\\.0\\.1:\\d+ unit 1: `));
    assert.equal((await read('Counter')).Counter.value, '42');
    const ping = await fetch(`http://127.0.0.1:${modbus.restPort}/api/v3/ping`);
    assert.equal(ping.status, 200);
  });
});

describe('a device that never answers, through core-command', () => {
  test('its connection holds at most Driver.MaxQueuedRequests: more are refused at once with 503 busy; the rest time out with 500', async () => {
    const answers = await Promise.all(Array.from({ length: MAX_QUEUED + 2 }, () => call('GET', `/device/name/${SILENT_DEVICE}/Counter`)));
    const busy = answers.filter((a) => a.status === 503);
    assert.equal(busy.length, 2, JSON.stringify(answers.map((a) => [a.status, a.body?.message])));
    for (const b of busy) {
      assert.match(
        b.body.message,
        new RegExp(
          `device ${SILENT_DEVICE}: read INPUT_REGISTERS 1 .* busy, ${MAX_QUEUED} requests already queued on tcp://127\\.0\\.0\\.1:\\d+ \\(limit Driver\\.MaxQueuedRequests = ${MAX_QUEUED}\\)`,
        ),
      );
    }
    const failed = answers.filter((a) => a.status === 500);
    assert.equal(failed.length, MAX_QUEUED);
    assert.match(failed.map((f) => f.body.message).join('\n'), /timed out/i);
    assert.equal((await read('Counter')).Counter.value, '42', 'other endpoints are not held up');
  });
});

describe('CoreCommandClient (gRPC) against core-command and pymodbus', () => {
  test('lists the commands of the device, with their directions and parameters', async () => {
    const { deviceCoreCommands, totalCount } = await commandClient.listDeviceCoreCommands();
    assert.ok(totalCount >= 1);
    const mine = deviceCoreCommands.find((d) => d.deviceName === DEVICE);
    assert.ok(mine, 'device listed');
    assert.equal(mine.profileName, PROFILE);
    const one = await commandClient.getDeviceCoreCommand(DEVICE);
    const allRaw = one.coreCommands.find((c) => c.name === 'AllRaw');
    assert.deepEqual(
      { get: allRaw?.get, set: allRaw?.set, path: allRaw?.path, parameters: allRaw?.parameters.map((p) => p.resourceName) },
      { get: true, set: true, path: `/api/v3/device/name/${DEVICE}/AllRaw`, parameters: ['I16', 'U16', 'I32', 'U32', 'F32', 'F64'] },
    );
    const temp = one.coreCommands.find((c) => c.name === 'Temp');
    assert.deepEqual([temp?.get, temp?.set], [true, false]);
  });

  test('issueSet writes the server, issueGet reads it back; pushEvent lands in core-data; returnEvent false gives no event', async () => {
    await commandClient.issueSet(DEVICE, 'U16', { U16: '4242' });
    assert.deepEqual(await server.read('hr', 1, 1), [4242]);
    const event = await commandClient.issueGet(DEVICE, 'U16', { pushEvent: true });
    assert.equal(event?.readings[0]?.value, '4242');
    await waitFor('the pushed event in core-data', async () => (await fetch(`${dataBase}/event/id/${event.id}`)).status === 200);
    assert.equal(await commandClient.issueGet(DEVICE, 'U16', { returnEvent: false }), undefined);
  });

  test('errors keep core-command kinds: NotFound, NotAllowed', async () => {
    await assert.rejects(commandClient.issueGet('No-Such-Device', 'Temp'), (e: unknown) => e instanceof EdgeXError && e.kind === 'NotFound');
    await assert.rejects(commandClient.issueSet(DEVICE, 'Temp', { Temp: '1' }), (e: unknown) => e instanceof EdgeXError && e.kind === 'NotAllowed');
  });
});

describe('the Modbus server going away and coming back', () => {
  async function operatingState(): Promise<string> {
    return (await metadataClient.getDevice(DEVICE)).operatingState;
  }
  async function latestEventOrigin(): Promise<number> {
    const r = await fetch(`${dataBase}/event/device/name/${DEVICE}?limit=1`);
    const body = (await r.json()) as { events: { origin: number; sourceName: string }[] };
    return body.events[0]?.origin ?? 0;
  }

  test('errors, DOWN in core-metadata and 423, then probed UP with auto-event readings reaching core-data again', async () => {
    await waitFor('auto-event readings of the device in core-data', async () => (await latestEventOrigin()) > 0);
    assert.equal(await operatingState(), 'UP');

    await server.stop();
    const failed = await call('GET', `/device/name/${DEVICE}/Counter`);
    assert.equal(failed.status, 500, failed.text); // as EdgeX: a driver failure is a server error
    assert.match(failed.body.message, new RegExp(`device ${DEVICE}: read INPUT_REGISTERS 1 .* at 127\\.0\\.0\\.1:${server.port}`));

    await waitFor('the device DOWN in core-metadata', async () => (await operatingState()) === 'DOWN');
    const locked = await call('GET', `/device/name/${DEVICE}/Counter`);
    assert.equal(locked.status, 423, locked.text);
    assert.match(locked.body.message, new RegExp(`device ${DEVICE} is down`, 'i'));
    await assert.rejects(commandClient.issueGet(DEVICE, 'Counter'), (e: unknown) => e instanceof EdgeXError && e.kind === 'ServiceLocked');

    await server.restart();
    await waitFor('the device probed UP in core-metadata', async () => (await operatingState()) === 'UP');
    const upSince = Date.now() * 1e6;
    await waitFor('new auto-event readings in core-data', async () => (await latestEventOrigin()) > upSince);
    assert.equal((await read('Counter')).Counter.value, '42');
  });
});
