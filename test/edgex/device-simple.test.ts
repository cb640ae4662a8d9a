// Conformance with EdgeX's own code: EdgeX's example device service `device-simple` (device-sdk-go v4.0.2, Go,
// built by scripts/install-test-servers.sh edgex) against our core-metadata, core-data and core-command over a
// real Mosquitto, exactly as a user migrating from EdgeX would point it at us. It reaches core-metadata over
// EdgeX's REST API, sends its events on the bus (JSON, and CBOR for its Binary `Image` resource), answers
// core-command's requests and core-metadata's device validations on the bus, and follows core-metadata's system
// events. Nothing here is a stand-in: every peer is the real program.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import mqtt from 'mqtt';
import { startCoreServices, type CoreServices } from '../helpers/core-services.js';
import { startDeviceSimple, type DeviceSimple } from '../helpers/device-simple.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE = 'device-simple';
const DEVICE = 'Simple-Device01';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

let core: CoreServices;
let simple: DeviceSimple;
let busTap: mqtt.MqttClient;
/** Every event device-simple published on the bus, as raw envelope text, in arrival order. */
const published: string[] = [];

async function call(target: string, init?: RequestInit): Promise<{ status: number; body: any; text: string; type: string | null }> {
  const res = await fetch(target, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, type: res.headers.get('content-type') };
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** The raw digits of `"origin":<digits>` after `"id":"<id>"` in a JSON text: exact, whatever JSON.parse would make of them. */
function originTextOf(text: string, id: string): string | undefined {
  const at = text.indexOf(`"id":"${id}"`);
  if (at < 0) return undefined;
  return /"origin":(\d+)/.exec(text.slice(at))?.[1];
}

before(async () => {
  core = await startCoreServices();
  busTap = await mqtt.connectAsync(core.broker.url, { clientId: `edgex-tap-${process.pid}` });
  busTap.on('message', (_topic, payload) => published.push(payload.toString('utf8')));
  await busTap.subscribeAsync(`edgex/events/device/${SERVICE}/#`, { qos: 1 });

  simple = await startDeviceSimple({
    brokerPort: core.broker.port,
    metadataPort: core.metadata.restPort,
    port: await freePort(),
    // Its shipped auto-events run every 10 s (Switch) and 30 s (Image); every second keeps the test short.
    editDevices: (yaml) => yaml.replace(/interval: 10s/, 'interval: 1s').replace(/interval: 30s/, 'interval: 1s'),
    // Discovery on request only (POST /discovery), and its driver's deliberate waits of 3 s twice down to 1 s (its least).
    editConfiguration: (yaml) =>
      yaml
        .replace(/Discovery:\n(\s+)Enabled: false\n(\s+)Interval: "30s"/, 'Discovery:\n$1Enabled: true\n$2Interval: "0s"')
        .replace(/DiscoverSleepDurationSecs: 3/, 'DiscoverSleepDurationSecs: 1'),
  });
});

after(async () => {
  await simple?.stop();
  await busTap?.endAsync();
  await core?.stop();
});

describe('EdgeX device-simple (device-sdk-go v4.0.2) against our core services', () => {
  test('it starts, registers itself and provisions its profile, devices and provision watcher in core-metadata', async () => {
    const service = await call(core.url.metadata(`/deviceservice/name/${SERVICE}`));
    assert.equal(service.status, 200, service.text);
    assert.equal(service.body.service.baseAddress, `http://127.0.0.1:${simple.port}`);
    assert.equal(service.body.service.adminState, 'UNLOCKED');

    const profile = await call(core.url.metadata('/deviceprofile/name/Simple-Device'));
    assert.equal(profile.status, 200, profile.text);
    const image = profile.body.profile.deviceResources.find((r: any) => r.name === 'Image');
    assert.deepEqual([image.properties.valueType, image.properties.mediaType], ['Binary', 'image/jpeg']);
    assert.ok(
      profile.body.profile.deviceCommands.some((c: any) => c.name === 'Switch'),
      profile.text,
    );

    const devices = await call(core.url.metadata(`/device/service/name/${SERVICE}`));
    assert.equal(devices.status, 200, devices.text);
    assert.deepEqual(devices.body.devices.map((d: any) => d.name).sort(), ['ProfileScan-Simple-Device', DEVICE]);
    // EdgeX 4 devices may have no profile yet (they are meant for a profile scan).
    const unprofiled = devices.body.devices.find((d: any) => d.name === 'ProfileScan-Simple-Device');
    assert.ok(unprofiled.profileName === undefined || unprofiled.profileName === '', devices.text);

    const watcher = await call(core.url.metadata('/provisionwatcher/name/Simple-Provision-Watcher'));
    assert.equal(watcher.status, 200, watcher.text);
    assert.deepEqual(watcher.body.provisionWatcher.identifiers, { Address: 'simple[0-9]+', Port: '3[0-9]{2}' });
    assert.deepEqual(watcher.body.provisionWatcher.blockingIdentifiers, { Port: ['397', '398', '399'] });
  });

  test('its auto-event readings reach core-data, the Binary Image (sent as CBOR) included, with origins exact to the nanosecond', async () => {
    const image = await waitFor(
      'an Image reading in core-data',
      async () => {
        const res = await call(core.url.data(`/reading/device/name/${DEVICE}/resourceName/Image?limit=1`));
        return res.status === 200 && res.body.readings.length > 0 ? res.body.readings[0] : undefined;
      },
      { timeoutMs: 15_000 },
    );
    assert.equal(image.valueType, 'Binary');
    assert.equal(image.mediaType, 'image/jpeg');
    const bytes = Buffer.from(image.binaryValue, 'base64');
    assert.ok(bytes.subarray(0, 3).equals(JPEG_MAGIC) || bytes.subarray(0, 4).equals(PNG_MAGIC), 'the image bytes as device-simple read them');

    const switches = await call(core.url.data(`/reading/device/name/${DEVICE}/resourceName/SwitchButton?limit=5`));
    assert.equal(switches.status, 200, switches.text);
    assert.ok(switches.body.readings.length > 0, switches.text);
    assert.ok(['true', 'false'].includes(switches.body.readings[0].value), switches.text);

    // A JSON event as device-simple put it on the bus, and the same event read back from core-data: same origin digits.
    const sent = await waitFor('a JSON Switch event on the bus', () =>
      published.find((p) => p.includes('"contentType":"application/json"') && p.includes('"sourceName":"Switch"')),
    );
    const envelope = JSON.parse(sent);
    const eventId: string = (typeof envelope.payload === 'string' ? JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) : envelope.payload).event.id;
    const sentText = typeof envelope.payload === 'string' ? Buffer.from(envelope.payload, 'base64').toString() : sent;
    const stored = await waitFor('the Switch event in core-data', async () => {
      const res = await call(core.url.data(`/event/id/${eventId}`));
      return res.status === 200 ? res : undefined;
    });
    const sentOrigin = originTextOf(sentText, eventId);
    assert.ok(sentOrigin && sentOrigin.length >= 19, `an origin in ns on the bus: ${sentText}`);
    assert.equal(originTextOf(stored.text, eventId), sentOrigin, stored.text);
  });

  test('core-command lists its commands and carries GET and PUT both ways, Binary and Object values included', async () => {
    await waitFor(`${DEVICE} in core-command`, async () => (await call(core.url.command(`/device/name/${DEVICE}`))).status === 200);
    const listed = await call(core.url.command(`/device/name/${DEVICE}`));
    const names = listed.body.deviceCoreCommand.coreCommands.map((c: any) => c.name);
    for (const name of ['Switch', 'Image', 'Counter', 'SwitchButton']) assert.ok(names.includes(name), `${name} in ${listed.text}`);

    for (const [state, magic] of [
      ['true', PNG_MAGIC],
      ['false', JPEG_MAGIC],
    ] as const) {
      const put = await call(core.url.command(`/device/name/${DEVICE}/Switch`), json('PUT', { SwitchButton: state }));
      assert.deepEqual([put.status, put.body], [200, { apiVersion: 'v3', statusCode: 200 }], put.text);
      const read = await call(core.url.command(`/device/name/${DEVICE}/Switch`));
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.event.readings[0].value, state);
      // device-simple answers a Binary read in CBOR; core-command answers its REST client in JSON, as EdgeX's does.
      const image = await call(core.url.command(`/device/name/${DEVICE}/Image`));
      assert.equal(image.status, 200, image.text);
      assert.match(image.type ?? '', /^application\/json/);
      const reading = image.body.event.readings[0];
      assert.deepEqual([reading.resourceName, reading.valueType, reading.mediaType], ['Image', 'Binary', 'image/jpeg']);
      assert.ok(Buffer.from(reading.binaryValue, 'base64').subarray(0, magic.length).equals(magic), `image for switch ${state}`);
    }

    const counter = { f1: 'ABC', f2: 123 };
    const put = await call(core.url.command(`/device/name/${DEVICE}/Counter`), json('PUT', { Counter: counter }));
    assert.equal(put.status, 200, put.text);
    const read = await call(core.url.command(`/device/name/${DEVICE}/Counter`));
    assert.equal(read.status, 200, read.text);
    assert.deepEqual([read.body.event.readings[0].valueType, read.body.event.readings[0].objectValue], ['Object', counter]);

    // ds-pushevent=true: device-simple also publishes the event, and core-data stores it.
    const pushed = await call(core.url.command(`/device/name/${DEVICE}/Switch?ds-pushevent=true`));
    assert.equal(pushed.status, 200, pushed.text);
    await waitFor('the pushed event in core-data', async () => (await call(core.url.data(`/event/id/${pushed.body.event.id}`))).status === 200);

    const none = await fetch(core.url.command(`/device/name/${DEVICE}/Switch?ds-returnevent=false`));
    assert.deepEqual([none.status, await none.text()], [200, '']);
  });

  test('devices added, locked and removed through core-metadata reach it; a device it refuses is not stored', async () => {
    const added = await call(
      core.url.metadata('/device'),
      json('POST', [
        {
          apiVersion: 'v3',
          device: {
            name: 'Added-Simple',
            serviceName: SERVICE,
            profileName: 'Simple-Device',
            adminState: 'UNLOCKED',
            operatingState: 'UP',
            protocols: { other: { Address: 'simple09', Port: '309' } },
          },
        },
      ]),
    );
    assert.equal(added.status, 207, added.text);
    assert.equal(added.body[0].statusCode, 201, added.text);
    const own = (path: string) => call(`${simple.base}/device/name/Added-Simple/${path}`);
    await waitFor('device-simple to take the added device', async () => (await own('Switch')).status === 200);

    // device-simple validates devices for its service: without an `other` protocol it refuses, and nothing is stored.
    const refused = await call(
      core.url.metadata('/device'),
      json('POST', [
        {
          apiVersion: 'v3',
          device: {
            name: 'Refused-Simple',
            serviceName: SERVICE,
            profileName: 'Simple-Device',
            adminState: 'UNLOCKED',
            operatingState: 'UP',
            protocols: { 'modbus-tcp': { Address: '127.0.0.1', Port: '502' } },
          },
        },
      ]),
    );
    assert.equal(refused.status, 207, refused.text);
    assert.equal(refused.body[0].statusCode, 500, refused.text);
    assert.match(refused.body[0].message, /missing 'other' protocols/);
    assert.equal((await call(core.url.metadata('/device/name/Refused-Simple'))).status, 404);

    const lock = await call(core.url.metadata('/device'), json('PATCH', [{ apiVersion: 'v3', device: { name: 'Added-Simple', adminState: 'LOCKED' } }]));
    assert.equal(lock.status, 207, lock.text);
    assert.equal(lock.body[0].statusCode, 200, lock.text);
    await waitFor('device-simple to refuse the locked device', async () => (await own('Switch')).status === 423);
    const unlock = await call(core.url.metadata('/device'), json('PATCH', [{ apiVersion: 'v3', device: { name: 'Added-Simple', adminState: 'UNLOCKED' } }]));
    assert.equal(unlock.body[0].statusCode, 200, unlock.text);
    await waitFor('device-simple to serve the unlocked device', async () => (await own('Switch')).status === 200);

    // The service record's adminState reaches it the same way (a system event for the device service).
    const lockService = (adminState: string) =>
      call(core.url.metadata('/deviceservice'), json('PATCH', [{ apiVersion: 'v3', service: { name: SERVICE, adminState } }]));
    assert.equal((await lockService('LOCKED')).body[0].statusCode, 200);
    await waitFor('device-simple to refuse commands while its service is locked', async () => (await own('Switch')).status === 423);
    assert.equal((await lockService('UNLOCKED')).body[0].statusCode, 200);
    await waitFor('device-simple to serve again once unlocked', async () => (await own('Switch')).status === 200);

    const removed = await call(core.url.metadata('/device/name/Added-Simple'), { method: 'DELETE' });
    assert.equal(removed.status, 200, removed.text);
    await waitFor('device-simple to forget the removed device', async () => (await own('Switch')).status === 404);
  });

  test('its discovery adds what our provision watcher accepts and leaves out what it blocks', async () => {
    const started = await call(`${simple.base}/discovery`, { method: 'POST' });
    assert.equal(started.status, 202, started.text);
    const found = await waitFor('Simple-Device02 added by discovery', async () => {
      const res = await call(core.url.metadata('/device/name/Simple-Device02'));
      return res.status === 200 ? res.body.device : undefined;
    });
    assert.equal(found.serviceName, SERVICE);
    assert.equal(found.profileName, 'Simple-Device');
    assert.deepEqual(found.properties, { testPropertyA: 'weather', testPropertyB: 'meter' });
    assert.deepEqual(
      found.autoEvents.map((a: any) => [a.sourceName, a.interval]),
      [['SwitchButton', '15s']],
    );
    // Port 399 is one of the watcher's blocking identifiers: the SDK finishes the batch without adding it.
    await waitFor('device-simple to finish the discovered batch', () => simple.output().includes('Filtered device addition finished'));
    assert.equal((await call(core.url.metadata('/device/name/Simple-Device03'))).status, 404);
  });

  test('restarted on another port, it finds itself and its devices in core-metadata and updates its address', async () => {
    await simple.stop();
    simple = await startDeviceSimple({ brokerPort: core.broker.port, metadataPort: core.metadata.restPort, port: await freePort() });
    assert.match(simple.output(), /Device Profile Simple-Device exists, using the existing one/);
    assert.match(simple.output(), /Device Simple-Device01 exists, using the existing one/);
    const service = await call(core.url.metadata(`/deviceservice/name/${SERVICE}`));
    assert.equal(service.body.service.baseAddress, `http://127.0.0.1:${simple.port}`, service.text);
    // The device discovered before the restart is one of its devices now, served by the new process.
    const read = await call(core.url.command('/device/name/Simple-Device02/Switch'));
    assert.equal(read.status, 200, read.text);
  });
});
