// EdgeX's own device-simple (device-sdk-go v4.0.2, Go) in a deployment with EdgeX's `Service.EnableNameFieldEscape`
// on: every name in bus topics is URL-escaped (`device-simple` travels as `device%2Dsimple`). Our core services with
// the same key must meet it on those topics: device validation, events, commands and system events.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { startCoreCommand, type CoreCommandHandle } from '@edgex-ts/core-command';
import { startCoreData, type CoreDataHandle } from '@edgex-ts/core-data';
import { startCoreMetadata, type CoreMetadataHandle } from '@edgex-ts/core-metadata';
import { startDeviceSimple, type DeviceSimple } from '../helpers/device-simple.js';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const DEVICE = 'Simple-Device01';

let broker: MosquittoBroker;
let metadata: CoreMetadataHandle;
let data: CoreDataHandle;
let command: CoreCommandHandle;
let simple: DeviceSimple;
let busTap: mqtt.MqttClient;
/** Topics of everything device-simple published, in arrival order. */
const topics: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'edgex-name-escape-'));

const common = (name: string) => ({
  Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '2s', EnableNameFieldEscape: true },
  Writable: { LogLevel: 'ERROR' },
  MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `${name}-escape-${process.pid}`, CleanSession: true } },
});

before(async () => {
  broker = await startMosquitto();
  metadata = await startCoreMetadata({ argv: [], env: {}, configOverrides: { ...common('core-metadata'), Database: { Path: join(dir, 'metadata.db') } } });
  const clients = { 'core-metadata': { Host: '127.0.0.1', Port: metadata.restPort, GrpcPort: metadata.grpcPort } };
  data = await startCoreData({ argv: [], env: {}, configOverrides: { ...common('core-data'), Database: { Path: join(dir, 'data.db') }, Clients: clients } });
  command = await startCoreCommand({ argv: [], env: {}, configOverrides: { ...common('core-command'), Clients: clients } });
  busTap = await mqtt.connectAsync(broker.url, { clientId: `escape-tap-${process.pid}` });
  busTap.on('message', (topic) => topics.push(topic));
  await busTap.subscribeAsync('edgex/events/device/#', { qos: 1 });
  // Starting at all needs our core-metadata's validation requests on device-simple's escaped topic: it adds its
  // devices while it starts, and each add waits for its answer.
  simple = await startDeviceSimple({
    brokerPort: broker.port,
    metadataPort: metadata.restPort,
    port: await freePort(),
    enableNameFieldEscape: true,
    editDevices: (yaml) => yaml.replace(/interval: 10s/, 'interval: 1s'),
  });
});

after(async () => {
  await simple?.stop();
  await busTap?.endAsync();
  await command?.stop();
  await data?.stop();
  await metadata?.stop();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('with EnableNameFieldEscape on both sides, device-simple starts, its events reach core-data and commands reach it', async () => {
  const device = await fetch(`http://127.0.0.1:${metadata.restPort}/api/v3/device/name/${DEVICE}`);
  assert.equal(device.status, 200, 'provisioned, each device validated over the escaped topic');

  const reading = await waitFor('a SwitchButton reading in core-data', async () => {
    const res = await fetch(`http://127.0.0.1:${data.restPort}/api/v3/reading/device/name/${DEVICE}/resourceName/SwitchButton?limit=1`);
    const body = (await res.json()) as { readings?: { deviceName: string; profileName: string }[] };
    return body.readings?.[0];
  });
  // The names were escaped on the wire and are stored as they are.
  assert.ok(topics.some((t) => t.startsWith('edgex/events/device/device%2Dsimple/Simple%2DDevice/Simple%2DDevice01/')), topics.slice(0, 3).join(', '));
  assert.deepEqual([reading.deviceName, reading.profileName], [DEVICE, 'Simple-Device']);

  const commands = `http://127.0.0.1:${command.restPort}/api/v3/device/name/${DEVICE}`;
  const put = await fetch(`${commands}/Switch`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ SwitchButton: 'true' }) });
  assert.equal(put.status, 200, await put.text());
  const get = await fetch(`${commands}/Switch`);
  assert.equal(get.status, 200);
  assert.equal(((await get.json()) as { event: { readings: { value: string }[] } }).event.readings[0]!.value, 'true');

  // A system event on the escaped topic: the device locked in core-metadata is refused by device-simple.
  const lock = await fetch(`http://127.0.0.1:${metadata.restPort}/api/v3/device`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ apiVersion: 'v3', device: { name: DEVICE, adminState: 'LOCKED' } }]),
  });
  assert.equal(lock.status, 207);
  await waitFor('device-simple to refuse the locked device', async () => (await fetch(`${simple.base}/device/name/${DEVICE}/Switch`)).status === 423);
});
