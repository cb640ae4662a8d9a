// EdgeX's own device-simple (device-sdk-go v4.0.2, Go) in a deployment with EdgeX's `Service.EnableNameFieldEscape`
// on: every name in bus topics is URL-escaped (`device-simple` travels as `device%2Dsimple`). Our core services with
// the same key must meet it on those topics: device validation, events, commands and system events.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { startCoreServices, type CoreServices } from '../helpers/core-services.js';
import { startDeviceSimple, type DeviceSimple } from '../helpers/device-simple.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const DEVICE = 'Simple-Device01';

let core: CoreServices;
let simple: DeviceSimple;
let busTap: mqtt.MqttClient;
/** Topics of everything device-simple published, in arrival order. */
const topics: string[] = [];

before(async () => {
  core = await startCoreServices({ service: { EnableNameFieldEscape: true } });
  busTap = await mqtt.connectAsync(core.broker.url, { clientId: `escape-tap-${process.pid}` });
  busTap.on('message', (topic) => topics.push(topic));
  await busTap.subscribeAsync('edgex/events/device/#', { qos: 1 });
  // Starting at all needs our core-metadata's validation requests on device-simple's escaped topic: it adds its
  // devices while it starts, and each add waits for its answer.
  simple = await startDeviceSimple({
    brokerPort: core.broker.port,
    metadataPort: core.metadata.restPort,
    port: await freePort(),
    enableNameFieldEscape: true,
    editDevices: (yaml) => yaml.replace(/interval: 10s/, 'interval: 1s'),
  });
});

after(async () => {
  await simple?.stop();
  await busTap?.endAsync();
  await core?.stop();
});

test('with EnableNameFieldEscape on both sides, device-simple starts, its events reach core-data and commands reach it', async () => {
  const device = await fetch(core.url.metadata(`/device/name/${DEVICE}`));
  assert.equal(device.status, 200, 'provisioned, each device validated over the escaped topic');

  const reading = await waitFor('a SwitchButton reading in core-data', async () => {
    const res = await fetch(core.url.data(`/reading/device/name/${DEVICE}/resourceName/SwitchButton?limit=1`));
    const body = (await res.json()) as { readings?: { deviceName: string; profileName: string }[] };
    return body.readings?.[0];
  });
  // The names were escaped on the wire and are stored as they are.
  assert.ok(
    topics.some((t) => t.startsWith('edgex/events/device/device%2Dsimple/Simple%2DDevice/Simple%2DDevice01/')),
    topics.slice(0, 3).join(', '),
  );
  assert.deepEqual([reading.deviceName, reading.profileName], [DEVICE, 'Simple-Device']);

  const commands = core.url.command(`/device/name/${DEVICE}`);
  const put = await fetch(`${commands}/Switch`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ SwitchButton: 'true' }),
  });
  assert.equal(put.status, 200, await put.text());
  const get = await fetch(`${commands}/Switch`);
  assert.equal(get.status, 200);
  assert.equal(((await get.json()) as { event: { readings: { value: string }[] } }).event.readings[0].value, 'true');

  // A system event on the escaped topic: the device locked in core-metadata is refused by device-simple.
  const lock = await fetch(core.url.metadata('/device'), {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify([{ apiVersion: 'v3', device: { name: DEVICE, adminState: 'LOCKED' } }]),
  });
  assert.equal(lock.status, 207);
  await waitFor('device-simple to refuse the locked device', async () => (await fetch(`${simple.base}/device/name/${DEVICE}/Switch`)).status === 423);
});
