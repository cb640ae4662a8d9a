/**
 * End to end: device-mqtt with its shipped example profile and device, a simulated EdgeX MQTT device on its own
 * Mosquitto (the device broker), and the real core-metadata, core-data and core-command on a second Mosquitto
 * (the EdgeX message bus). Readings the device publishes land in core-data; GET/PUT through core-command reach the
 * device over the command/response topics; silence, overload, garbage and a broker restart give clear outcomes.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startCoreCommand, type CoreCommandHandle } from '@edgex-ts/core-command';
import { startCoreData, type CoreDataHandle } from '@edgex-ts/core-data';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { startMosquitto, type MosquittoBroker } from '../../../test/helpers/mosquitto.js';
import { freePort } from '../../../test/helpers/ports.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { RES_DIR, startDeviceMqtt, type DeviceMqttHandle } from './index.js';
import { startSimulatedDevice, type SimulatedDevice } from './test-support/mqtt-device.js';

const DEVICE = 'MQTT-test-device';
const SILENT = 'MQTT-silent-device';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const dir = mkdtempSync(join(tmpdir(), 'device-mqtt-'));
let bus: MosquittoBroker;
let deviceBroker: MosquittoBroker;
let metadata: CoreMetadataHandle;
let data: CoreDataHandle;
let command: CoreCommandHandle;
let ds: DeviceMqttHandle;
/** A second device-mqtt (one pending command at most, long timeout) to see the limit and a lost connection. */
let narrow: DeviceMqttHandle;
let device: SimulatedDevice;
let silent: SimulatedDevice;

/** A devices folder: the shipped example device (when asked) and a device nobody answers for. */
function devicesDir(name: string, withExample: boolean): string {
  const d = join(dir, name);
  mkdirSync(d);
  if (withExample) copyFileSync(join(RES_DIR, 'devices', 'mqtt.test.device.yaml'), join(d, 'example.yaml'));
  const silentDevice = [
    'deviceList:',
    `  - name: ${SILENT}`,
    '    profileName: Test-Device-MQTT-Profile',
    '    protocols:',
    `      mqtt: { CommandTopic: command/${SILENT} }`,
    '',
  ];
  writeFileSync(join(d, 'silent.yaml'), silentDevice.join('\n'));
  return d;
}

const local = { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 };

before(async () => {
  bus = await startMosquitto();
  deviceBroker = await startMosquitto();
  const busAs = (clientId: string) => ({ Host: '127.0.0.1', Port: bus.port, Optional: { ClientId: `${clientId}-${process.pid}`, CleanSession: true } });
  metadata = await startCoreMetadata({
    argv: [],
    env: {},
    // on the bus: system events tell device-mqtt about devices added later, and it validates new devices
    configOverrides: {
      Service: { ...local, RequestTimeout: '5s' },
      Writable: { LogLevel: 'ERROR' },
      Database: { Path: join(dir, 'metadata.db') },
      MessageBus: busAs('core-metadata'),
    },
  });
  const metadataClient = { 'core-metadata': { Host: '127.0.0.1', Port: metadata.restPort, GrpcPort: metadata.grpcPort } };
  data = await startCoreData({
    argv: [],
    env: {},
    configOverrides: { Service: local, Writable: { LogLevel: 'ERROR' }, Database: { Path: join(dir, 'data.db') }, MessageBus: busAs('core-data') },
  });
  command = await startCoreCommand({
    argv: [],
    env: {},
    configOverrides: {
      Service: { ...local, RequestTimeout: '20s' },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: busAs('core-command'),
      Clients: metadataClient,
    },
  });
  device = await startSimulatedDevice({
    brokerUrl: deviceBroker.url,
    deviceName: DEVICE,
    commandTopic: `command/${DEVICE}`,
    values: { randfloat32: 42.5, randfloat64: '1.25', ping: 'pong', message: 'hello' },
  });
  silent = await startSimulatedDevice({ brokerUrl: deviceBroker.url, deviceName: SILENT, commandTopic: `command/${SILENT}`, silent: true });
  ds = await startDeviceMqtt({
    argv: [],
    env: {},
    configOverrides: {
      Service: local,
      Writable: { LogLevel: 'ERROR' },
      MessageBus: busAs('device-mqtt'),
      Clients: metadataClient,
      Device: { DevicesDir: devicesDir('devices', true) },
      MQTTBrokerInfo: {
        Host: '127.0.0.1',
        Port: deviceBroker.port,
        ClientId: `device-mqtt-driver-${process.pid}`,
        ResponseTimeout: '1s',
        ConnRetryWaitTime: 0.1,
      },
    },
  });
  narrow = await startDeviceMqtt({
    argv: [],
    env: {},
    configOverrides: {
      Service: local,
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Disabled: true },
      // nothing listens there: provisioning retries in the background
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: await freePort(), GrpcPort: await freePort() } },
      Device: { DevicesDir: devicesDir('narrow', false) },
      MQTTBrokerInfo: { Host: '127.0.0.1', Port: deviceBroker.port, ClientId: `narrow-${process.pid}`, ResponseTimeout: '10m', MaxPendingRequests: 1 },
    },
  });
  const provisioned = await ds.provisioned;
  assert.ok(provisioned, 'device-mqtt provisioned its devices with core-metadata');
  await waitFor(
    'both device-mqtt drivers and the simulated devices on the device broker',
    () => ds.driver.ready && narrow.driver.ready && device.ready && silent.ready,
  );
});

after(async () => {
  await narrow?.stop();
  await ds?.stop();
  await device?.stop();
  await silent?.stop();
  await command?.stop();
  await data?.stop();
  await metadata?.stop();
  await deviceBroker?.stop();
  await bus?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Reading {
  resourceName: string;
  valueType: string;
  value: string;
}
interface StoredEvent {
  id: string;
  deviceName: string;
  sourceName: string;
  readings: Reading[];
}

/** Events core-data holds for `deviceName`, newest first. */
async function storedEvents(deviceName: string): Promise<StoredEvent[]> {
  const res = await fetch(`http://127.0.0.1:${data.restPort}/api/v3/event/device/name/${deviceName}?limit=100`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { events: StoredEvent[] }).events;
}

/** Waits for an event of `sourceName` that core-data did not hold before `known`. */
async function newEvent(sourceName: string, known: Set<string>): Promise<StoredEvent> {
  return waitFor(`a new ${sourceName} event in core-data`, async () =>
    (await storedEvents(DEVICE)).find((e) => e.sourceName === sourceName && !known.has(e.id)),
  );
}

async function knownEvents(): Promise<Set<string>> {
  return new Set((await storedEvents(DEVICE)).map((e) => e.id));
}

const values = (e: { readings: Reading[] }) => Object.fromEntries(e.readings.map((r) => [r.resourceName, r.value]));

async function viaCommand(method: 'GET' | 'PUT', deviceName: string, cmd: string, body?: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${command.restPort}/api/v3/device/name/${deviceName}/${cmd}`, {
    method,
    ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

test('readings the device publishes on incoming/data/<device>/<source> land in core-data', async () => {
  const known = await knownEvents();
  await device.send('randfloat32andfloat64', JSON.stringify({ randfloat32: 12.5, randfloat64: '33.25' }));
  const both = await newEvent('randfloat32andfloat64', known);
  assert.deepEqual(values(both), { randfloat32: '1.250000e+01', randfloat64: '3.325000e+01' });
  assert.deepEqual(
    both.readings.map((r) => r.valueType),
    ['Float32', 'Float64'],
  );

  // a single-resource source: the JSON object form, and the bare value (plain text here)
  await device.send('testping', JSON.stringify({ ping: 'pong' }));
  assert.deepEqual(values(await newEvent('testping', known)), { ping: 'pong' });
  await device.send('message', 'hello from the device');
  assert.deepEqual(values(await newEvent('message', known)), { message: 'hello from the device' });
  await device.send('randfloat64', '2.5');
  assert.deepEqual(values(await newEvent('randfloat64', known)), { randfloat64: '2.500000e+00' });
});

test('GET through core-command asks the device on <CommandTopic>/<resource>/get/<id> and returns its answer', async () => {
  device.received.length = 0;
  const one = await viaCommand('GET', DEVICE, 'testrandfloat32');
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.deepEqual(values(one.body.event), { randfloat32: '4.250000e+01' });
  assert.equal(device.received.length, 1);
  const [req] = device.received;
  assert.equal(req.topic, `command/${DEVICE}/randfloat32/get/${req.id}`);
  assert.match(req.id, UUID);
  assert.equal(req.payload, '');

  device.received.length = 0;
  const two = await viaCommand('GET', DEVICE, 'randfloat32andfloat64');
  assert.equal(two.status, 200, JSON.stringify(two.body));
  assert.deepEqual(values(two.body.event), { randfloat32: '4.250000e+01', randfloat64: '1.250000e+00' });
  assert.deepEqual(
    device.received.map((r) => [r.resource, r.method]),
    [
      ['randfloat32', 'get'],
      ['randfloat64', 'get'],
    ],
  );
});

test('PUT through core-command publishes {"<resource>": value} on <CommandTopic>/<resource>/set/<id>', async () => {
  device.received.length = 0;
  const put = await viaCommand('PUT', DEVICE, 'testmessage', { message: 'hi there' });
  assert.deepEqual([put.status, put.body], [200, { apiVersion: 'v3', statusCode: 200 }]);
  assert.deepEqual(
    device.received.map((r) => [r.topic.replace(r.id, '<id>'), r.payload]),
    [[`command/${DEVICE}/message/set/<id>`, '{"message":"hi there"}']],
  );
  assert.deepEqual(values((await viaCommand('GET', DEVICE, 'testmessage')).body.event), { message: 'hi there' });

  device.received.length = 0;
  const floats = await viaCommand('PUT', DEVICE, 'randfloat32andfloat64', { randfloat32: '12.3', randfloat64: '0.5' });
  assert.equal(floats.status, 200, JSON.stringify(floats.body));
  assert.deepEqual(
    device.received.map((r) => r.payload),
    ['{"randfloat32":12.3}', '{"randfloat64":0.5}'],
  );
});

test('a device that never answers: the caller gets a timeout error naming the device and the command; a late answer is ignored', async () => {
  silent.received.length = 0;
  const res = await viaCommand('GET', SILENT, 'testping');
  assert.equal(res.status, 503, JSON.stringify(res.body));
  assert.match(res.body.message, new RegExp(`device ${SILENT} did not answer get ping within 1000 ms \\(request on command/${SILENT}/ping/get/`));
  assert.equal(ds.driver.pendingCount, 0);

  const ignoredBefore = ds.driver.stats.responsesIgnored;
  await silent.publish(`command/response/${silent.received[0].id}`, JSON.stringify({ ping: 'too late' }));
  await waitFor('the late answer counted as ignored', () => ds.driver.stats.responsesIgnored > ignoredBefore);
  assert.equal((await viaCommand('GET', DEVICE, 'testping')).status, 200);
});

test('garbage on the incoming and response topics is logged and counted, never fatal', async () => {
  const rejectedBefore = ds.driver.stats.incomingRejected;
  const ignoredBefore = ds.driver.stats.responsesIgnored;
  const garbage: [string, string | Buffer][] = [
    [`incoming/data/${DEVICE}/randfloat32andfloat64`, 'not json'], // several resources need an object
    [`incoming/data/${DEVICE}/randfloat32andfloat64`, '{"randfloat32": 1}'], // randfloat64 missing
    [`incoming/data/${DEVICE}/randfloat32`, '{"randfloat32": "abc"}'], // not a Float32
    [`incoming/data/${DEVICE}/randfloat32`, '[1, 2]'],
    [`incoming/data/${DEVICE}/randfloat32`, Buffer.from([0xff, 0x00, 0xfe])],
    [`incoming/data/${DEVICE}/no-such-source`, '{}'],
    ['incoming/data/no-such-device/ping', '{"ping": "x"}'],
    [`incoming/data/${DEVICE}`, '{"ping": "x"}'], // one level short
    [`incoming/data/${DEVICE}/ping/extra`, '{"ping": "x"}'],
  ];
  for (const [topic, payload] of garbage) await device.publish(topic, payload);
  await device.publish('command/response/not-a-request', '{"ping":1}');
  await waitFor('every bad message counted', () => ds.driver.stats.incomingRejected - rejectedBefore === garbage.length);
  await waitFor('the stray response counted', () => ds.driver.stats.responsesIgnored === ignoredBefore + 1);

  const known = await knownEvents();
  await device.send('testping', '{"ping": "still alive"}');
  assert.deepEqual(values(await newEvent('testping', known)), { ping: 'still alive' });
  assert.equal((await viaCommand('GET', DEVICE, 'testrandfloat64')).status, 200);
  const metrics = await (await fetch(`http://127.0.0.1:${ds.restPort}/metrics`)).text();
  const metric = (re: RegExp) => Number(re.exec(metrics)?.[1]);
  assert.equal(metric(/device_mqtt_incoming_messages_total\{[^}]*result="rejected"[^}]*\} (\d+)/), ds.driver.stats.incomingRejected);
  assert.equal(metric(/device_mqtt_command_timeouts_total\{[^}]*\} (\d+)/), 1); // the silent device's
  assert.equal(metric(/device_mqtt_responses_ignored_total\{[^}]*\} (\d+)/), ds.driver.stats.responsesIgnored);
});

test('devices added in core-metadata: a bad CommandTopic is refused by device-mqtt; a good one is served at once', async () => {
  const md = (body: object) =>
    fetch(`http://127.0.0.1:${metadata.restPort}/api/v3/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ apiVersion: 'v3', device: body }]),
    }).then(async (r) => (await r.json()) as { statusCode: number; message?: string }[]);
  const base = { serviceName: 'device-mqtt', profileName: 'Test-Device-MQTT-Profile', adminState: 'UNLOCKED', operatingState: 'UP' };
  const [refused] = await md({ ...base, name: 'MQTT-bad-device', protocols: { mqtt: { CommandTopic: 'command/#' } } });
  assert.equal(refused.statusCode, 500, JSON.stringify(refused));
  assert.match(refused.message!, /CommandTopic.*must not contain the wildcards \+ or #/);

  const name = 'MQTT-added-device';
  const [added] = await md({ ...base, name, protocols: { mqtt: { CommandTopic: `command/${name}` } } });
  assert.equal(added.statusCode, 201, JSON.stringify(added));
  await waitFor(`${name} known to device-mqtt`, () => ds.sdk.getDevice(name));
  const sim = await startSimulatedDevice({ brokerUrl: deviceBroker.url, deviceName: name, commandTopic: `command/${name}`, values: { message: 'added' } });
  try {
    await waitFor('the new device on the device broker', () => sim.ready);
    const got = await viaCommand('GET', name, 'testmessage');
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.deepEqual(values(got.body.event), { message: 'added' });
    await sim.send('testping', '{"ping": "new here"}');
    const event = await waitFor(`an event of ${name} in core-data`, async () => (await storedEvents(name)).find((e) => e.sourceName === 'testping'));
    assert.deepEqual(values(event), { ping: 'new here' });
  } finally {
    await sim.stop();
  }
});

test('pending commands are bounded: one more than MaxPendingRequests is refused at once', async () => {
  const base = `http://127.0.0.1:${narrow.restPort}/api/v3/device/name/${SILENT}`;
  const first = fetch(`${base}/testping`);
  await waitFor('the first command waiting for the device', () => narrow.driver.pendingCount === 1);
  const second = await fetch(`${base}/testrandfloat32`);
  const body = (await second.json()) as { message: string };
  assert.equal(second.status, 503);
  assert.match(
    body.message,
    new RegExp(`device ${SILENT}: cannot get randfloat32: 1 commands are already waiting for MQTT responses \\(MQTTBrokerInfo.MaxPendingRequests\\)`),
  );

  // the device broker goes away: the waiting command fails with that reason, not after its 10 minutes
  await deviceBroker.stop();
  const lost = await first;
  assert.equal(lost.status, 503);
  assert.match(
    ((await lost.json()) as { message: string }).message,
    new RegExp(`device ${SILENT}: the connection to the device MQTT broker was lost before it answered get ping`),
  );
});

test('device broker down and back: commands fail clearly meanwhile, then commands and incoming data work again', async () => {
  if (ds.driver.ready) await deviceBroker.stop();
  await waitFor('the driver noticing the broker is gone', () => !ds.driver.ready);
  const down = await viaCommand('GET', DEVICE, 'testping');
  assert.equal(down.status, 503, JSON.stringify(down.body));
  assert.match(down.body.message, new RegExp(`the device MQTT broker mqtt://127\\.0\\.0\\.1:${deviceBroker.port} is not connected`));

  await deviceBroker.restart();
  await waitFor('driver and device back on the device broker', () => ds.driver.ready && device.ready, { timeoutMs: 20_000 });
  const back = await viaCommand('GET', DEVICE, 'testping');
  assert.equal(back.status, 200, JSON.stringify(back.body));
  assert.deepEqual(values(back.body.event), { ping: 'pong' });

  const known = await knownEvents();
  await device.send('testrandfloat32', JSON.stringify({ randfloat32: 7 }));
  assert.deepEqual(values(await newEvent('testrandfloat32', known)), { randfloat32: '7.000000e+00' });
});
