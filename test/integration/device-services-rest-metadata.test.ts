/**
 * Our device services as they would join an existing EdgeX: device-virtual and device-modbus reach core-metadata
 * only through EdgeX's v3 REST API (the device SDK's default `Clients.core-metadata.Protocol: http`), against our
 * core-metadata started without its gRPC API, over a real Mosquitto, with core-data and core-command (which is
 * told to use REST as well) and a real pymodbus server. They register, upload their profiles and devices, their
 * readings reach core-data, commands through core-command work both ways.
 *
 * Then names that cannot travel in an MQTT topic level: a profile `Ints/#+` and a device `a/b#c+` added through
 * core-metadata reach device-virtual (validation and system events), are read and written through core-command,
 * and their auto-event readings reach core-data — every topic carrying those names escaped as EdgeX does.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCoreCommand, type CoreCommandHandle } from '@edgex-ts/core-command';
import { startCoreData, type CoreDataHandle } from '@edgex-ts/core-data';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { startDeviceModbus } from '@edgex-ts/device-modbus';
import { RES_DIR as VIRTUAL_RES, startDeviceVirtual } from '@edgex-ts/device-virtual';
import type { DeviceServiceHandle } from '@edgex-ts/device-sdk';
import { commonConfigSchema, connectMessageBus, escapeName, newEnvelope, payloadJson } from '@edgex-ts/runtime';
import pino from 'pino';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { startPymodbus, type PymodbusServer } from '../helpers/pymodbus.js';
import { waitFor } from '../helpers/wait.js';

const MODBUS_DEVICE = 'Modbus-Rest-Device';
const MODBUS_PROFILE = {
  name: 'Modbus-Rest-Profile',
  manufacturer: 'edgex-ts',
  deviceResources: [
    {
      name: 'Level',
      isHidden: false,
      attributes: { primaryTable: 'HOLDING_REGISTERS', startingAddress: 0, rawType: 'INT16' },
      properties: { valueType: 'Int16', readWrite: 'RW' },
    },
  ],
  deviceCommands: [],
};
const HOSTILE_DEVICE = 'a/b#c+';
const HOSTILE_PROFILE = 'Ints/#+';

interface Reading {
  deviceName: string;
  profileName: string;
  resourceName: string;
  value: string;
}

describe('device-virtual and device-modbus with core-metadata over REST only (gRPC off, real Mosquitto, real pymodbus)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ds-rest-md-'));
  let broker: MosquittoBroker;
  let modbusServer: PymodbusServer;
  let metadata: CoreMetadataHandle;
  let data: CoreDataHandle;
  let command: CoreCommandHandle;
  let virtual: DeviceServiceHandle;
  let modbus: DeviceServiceHandle;
  let mdBase: string;
  let dataBase: string;
  let commandBase: string;

  const common = (name: string) => ({
    Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s' },
    Writable: { LogLevel: 'ERROR' as const },
    MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `${name}-rest-md-${process.pid}`, CleanSession: true } },
  });
  const http = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
  };
  const readingsOf = async (device: string): Promise<Reading[]> =>
    (await http(dataBase, 'GET', `/reading/device/name/${encodeURIComponent(device)}?limit=50`)).body?.readings ?? [];

  before(async () => {
    broker = await startMosquitto();
    modbusServer = await startPymodbus({ hr: { 0: 1234 } });
    metadata = await startCoreMetadata({
      argv: [],
      env: {},
      grpc: false,
      configOverrides: { ...common('core-metadata'), Database: { Path: join(dir, 'metadata.db') } },
    });
    // Nothing listens on GrpcPort: any gRPC use would fail (core-metadata's own gRPC server serves no CoreMetadataService).
    const deviceServiceClients = { 'core-metadata': { Host: '127.0.0.1', Port: metadata.restPort, GrpcPort: await freePort() } };
    const restClients = { 'core-metadata': { ...deviceServiceClients['core-metadata'], Protocol: 'http' as const } };
    data = await startCoreData({
      argv: [],
      env: {},
      configOverrides: { ...common('core-data'), Database: { Path: join(dir, 'data.db') }, Clients: restClients },
    });
    command = await startCoreCommand({ argv: [], env: {}, configOverrides: { ...common('core-command'), Clients: restClients } });

    const virtualDevices = join(dir, 'virtual-devices');
    mkdirSync(virtualDevices);
    writeFileSync(
      join(virtualDevices, 'devices.yaml'),
      readFileSync(join(VIRTUAL_RES, 'devices', 'devices.yaml'), 'utf8').replace(/interval: \d+s/g, 'interval: 300ms'),
    );
    virtual = await startDeviceVirtual({
      argv: [],
      env: {},
      configOverrides: { ...common('device-virtual'), Clients: deviceServiceClients, Device: { DevicesDir: virtualDevices } },
    });

    const modbusProfiles = join(dir, 'modbus-profiles');
    const modbusDevices = join(dir, 'modbus-devices');
    for (const d of [modbusProfiles, modbusDevices]) mkdirSync(d);
    writeFileSync(join(modbusProfiles, 'profile.json'), JSON.stringify(MODBUS_PROFILE));
    writeFileSync(
      join(modbusDevices, 'devices.json'),
      JSON.stringify([
        {
          name: MODBUS_DEVICE,
          profileName: MODBUS_PROFILE.name,
          protocols: { 'modbus-tcp': { Address: '127.0.0.1', Port: String(modbusServer.port), UnitID: '1', Timeout: '2' } },
          autoEvents: [{ interval: '300ms', onChange: false, sourceName: 'Level' }],
        },
      ]),
    );
    modbus = await startDeviceModbus({
      argv: [],
      env: {},
      configOverrides: { ...common('device-modbus'), Clients: deviceServiceClients, Device: { ProfilesDir: modbusProfiles, DevicesDir: modbusDevices } },
    });
    mdBase = `http://127.0.0.1:${metadata.restPort}/api/v3`;
    dataBase = `http://127.0.0.1:${data.restPort}/api/v3`;
    commandBase = `http://127.0.0.1:${command.restPort}/api/v3`;
  });

  after(async () => {
    await modbus?.stop();
    await virtual?.stop();
    await command?.stop();
    await data?.stop();
    await metadata?.stop();
    await modbusServer?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both register, upload their profiles and devices through REST', async () => {
    const settled: { v?: Awaited<DeviceServiceHandle['provisioned']>; m?: Awaited<DeviceServiceHandle['provisioned']> } = {};
    void virtual.provisioned.then((r) => (settled.v = r));
    void modbus.provisioned.then((r) => (settled.m = r));
    await waitFor('both device services provisioned with core-metadata', () => settled.v && settled.m);
    const { v, m } = settled;
    assert.ok(v && m);
    assert.deepEqual([v.serviceAdded, v.failed, m.serviceAdded, m.failed], [true, [], true, []]);
    assert.ok(v.devicesAdded.includes('Random-Integer-Device'), `device-virtual added ${v.devicesAdded}`);
    assert.deepEqual([m.profilesAdded, m.devicesAdded], [[MODBUS_PROFILE.name], [MODBUS_DEVICE]]);
    const services = (await http(mdBase, 'GET', '/deviceservice/all')).body.services.map((s: { name: string }) => s.name).sort();
    assert.deepEqual(services, ['device-modbus', 'device-virtual']);
    assert.equal((await http(mdBase, 'GET', `/device/name/${MODBUS_DEVICE}`)).body.device.serviceName, 'device-modbus');
    assert.equal((await http(mdBase, 'GET', '/deviceprofile/name/Random-Integer-Device')).status, 200);
  });

  it('their auto-event readings reach core-data', async () => {
    await waitFor('a Modbus Level reading in core-data', async () =>
      (await readingsOf(MODBUS_DEVICE)).find((r) => r.resourceName === 'Level' && r.value === '1234'),
    );
    await waitFor('a virtual Int16 reading in core-data', async () => (await readingsOf('Random-Integer-Device')).find((r) => r.resourceName === 'Int16'));
  });

  it('commands through core-command work both ways (Modbus register written in the server)', async () => {
    const set = await http(commandBase, 'PUT', `/device/name/${MODBUS_DEVICE}/Level`, { Level: '-42' });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(await modbusServer.read('hr', 0, 1), [0xffd6]);
    const get = await http(commandBase, 'GET', `/device/name/${MODBUS_DEVICE}/Level`);
    assert.equal(get.status, 200, get.text);
    assert.equal(get.body.event.readings[0].value, '-42');
    const virtualGet = await http(commandBase, 'GET', '/device/name/Random-Integer-Device/Int8');
    assert.equal(virtualGet.status, 200, virtualGet.text);
  });

  it(`a profile ${HOSTILE_PROFILE} and a device ${HOSTILE_DEVICE}: added, read and written through core-command, readings in core-data`, async () => {
    const profile = readFileSync(join(VIRTUAL_RES, 'profiles', 'device.virtual.int.yaml'), 'utf8').replace(/^name: .*$/m, `name: "${HOSTILE_PROFILE}"`);
    const form = new FormData();
    form.set('file', new Blob([profile]), 'profile.yaml');
    const upload = await fetch(`${mdBase}/deviceprofile/uploadfile`, { method: 'POST', body: form });
    assert.equal(upload.status, 201, await upload.text());

    // core-metadata asks device-virtual to validate it over the bus, then announces it in a system event.
    const added = await http(mdBase, 'POST', '/device', [
      {
        apiVersion: 'v3',
        device: {
          name: HOSTILE_DEVICE,
          serviceName: 'device-virtual',
          profileName: HOSTILE_PROFILE,
          adminState: 'UNLOCKED',
          operatingState: 'UP',
          protocols: { other: { Address: 'hostile-01', Port: '300' } },
          autoEvents: [{ interval: '300ms', onChange: false, sourceName: 'Int16' }],
        },
      },
    ]);
    assert.equal(added.status, 207);
    assert.equal(added.body[0].statusCode, 201, added.text);

    const path = `/device/name/${encodeURIComponent(HOSTILE_DEVICE)}`;
    const read = await waitFor('a GET of the new device through core-command', async () => {
      const r = await http(commandBase, 'GET', `${path}/Int8`);
      return r.status === 200 ? r : undefined;
    });
    assert.deepEqual([read.body.event.deviceName, read.body.event.profileName], [HOSTILE_DEVICE, HOSTILE_PROFILE]);

    const set = await http(commandBase, 'PUT', `${path}/WriteInt8Value`, { Int8: '42' });
    assert.equal(set.status, 200, set.text);
    assert.equal((await http(commandBase, 'GET', `${path}/Int8`)).body.event.readings[0].value, '42');

    const reading = await waitFor('an auto-event reading of the new device in core-data', async () =>
      (await readingsOf(HOSTILE_DEVICE)).find((r) => r.resourceName === 'Int16'),
    );
    assert.deepEqual([reading.deviceName, reading.profileName], [HOSTILE_DEVICE, HOSTILE_PROFILE]);

    // Over the bus, as go-mod-messaging's CommandClient asks core-command: the device name escaped in the topic.
    const busConfig = commonConfigSchema.parse({ MessageBus: { Host: '127.0.0.1', Port: broker.port } }).MessageBus;
    const client = await connectMessageBus(busConfig, pino({ level: 'silent' }), `rest-md-bus-client-${process.pid}`);
    try {
      const escaped = escapeName(HOSTILE_DEVICE);
      const viaBus = await client.request(
        `edgex/core/command/request/${escaped}/Int8/get`,
        'edgex/response/core-command',
        newEnvelope(new Uint8Array(0)),
        10_000,
      );
      assert.equal(viaBus.errorCode, 0, Buffer.from(viaBus.payload).toString());
      assert.equal(payloadJson<{ event: { deviceName: string } }>(viaBus).event.deviceName, HOSTILE_DEVICE);
      const query = await client.request(`edgex/core/commandquery/request/${escaped}`, 'edgex/response/core-command', newEnvelope(new Uint8Array(0)), 10_000);
      assert.equal(query.errorCode, 0, Buffer.from(query.payload).toString());
      assert.equal(payloadJson<{ deviceCoreCommand: { deviceName: string } }>(query).deviceCoreCommand.deviceName, HOSTILE_DEVICE);
    } finally {
      await client.close();
    }

    // Every service stayed on the bus: the other devices' readings keep arriving and commands still work.
    const before = (await readingsOf(MODBUS_DEVICE)).length;
    await waitFor('more Modbus readings after the hostile names', async () => (await readingsOf(MODBUS_DEVICE)).length > before || before === 50);
    assert.equal((await http(commandBase, 'GET', `/device/name/${MODBUS_DEVICE}/Level`)).status, 200);
  });
});
