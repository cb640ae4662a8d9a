/**
 * End to end: device-virtual against a real Mosquitto, observed with a plain MQTT client the way core-data
 * and EdgeX app services see it (topic edgex/events/device/#, EdgeX v3 MessageEnvelope, AddEventRequest).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import mqtt from 'mqtt';
import { AddEventRequestSchema, parseDto, parseJson, type AddEventRequest, errorMessage } from '@edgex-ts/contracts';
import type { DeviceServiceHandle } from '@edgex-ts/device-sdk';
import { startMosquitto, type MosquittoBroker } from '../../../test/helpers/mosquitto.js';
import { freePort } from '../../../test/helpers/ports.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { RES_DIR, startDeviceVirtual } from './index.js';

interface Received {
  topic: string;
  envelope: Record<string, unknown>;
  request: AddEventRequest;
}

let broker: MosquittoBroker;
let sub: mqtt.MqttClient;
let dv: DeviceServiceHandle;
const received: Received[] = [];
const errors: string[] = [];

/** The shipped devices, with every auto-event interval shortened to 250ms (through Device.DevicesDir). */
function fastDevicesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dv-devices-'));
  const text = readFileSync(join(RES_DIR, 'devices', 'devices.yaml'), 'utf8').replace(/interval: \d+s/g, 'interval: 250ms');
  writeFileSync(join(dir, 'devices.yaml'), text);
  return dir;
}

before(async () => {
  broker = await startMosquitto();
  sub = await mqtt.connectAsync(broker.url, { clientId: `dv-test-${process.pid}`, clean: false, reconnectPeriod: 100 });
  sub.on('message', (topic, buf) => {
    try {
      const envelope = JSON.parse(buf.toString('utf8')) as Record<string, unknown>;
      const payload = Buffer.from(String(envelope.payload), 'base64').toString('utf8');
      received.push({ topic, envelope, request: parseDto(AddEventRequestSchema, parseJson(payload), 'addEventRequest') });
    } catch (err) {
      errors.push(`${topic}: ${errorMessage(err)}`);
    }
  });
  await sub.subscribeAsync('edgex/events/device/#', { qos: 1 });
  dv = await startDeviceVirtual({
    argv: [],
    env: {},
    configOverrides: {
      Service: { Host: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `device-virtual-test-${process.pid}` } },
      Device: { DevicesDir: fastDevicesDir() },
      // nothing listens there: provisioning keeps retrying in the background and must not block events
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: await freePort(), GrpcPort: await freePort() } },
    },
  });
});

after(async () => {
  await dv?.stop();
  await sub?.endAsync();
  await broker?.stop();
});

const EXPECTED: Record<string, { profile: string; sources: string[] }> = {
  'Random-Boolean-Device': { profile: 'Random-Boolean-Device', sources: ['Bool'] },
  'Random-Integer-Device': { profile: 'Random-Integer-Device', sources: ['Int8', 'Int16', 'Int32', 'Int64'] },
  'Random-UnsignedInteger-Device': { profile: 'Random-UnsignedInteger-Device', sources: ['Uint8', 'Uint16', 'Uint32', 'Uint64'] },
  'Random-Float-Device': { profile: 'Random-Float-Device', sources: ['Float32', 'Float64'] },
  'Random-Binary-Device': { profile: 'Random-Binary-Device', sources: ['Binary'] },
  'Ramp-Device': { profile: 'Ramp-Device', sources: ['Ramps'] },
};

test('publishes well-formed EdgeX AddEventRequest envelopes for every configured auto-event', async () => {
  assert.ok(dv.restPort > 0 && dv.grpcPort > 0);
  const pairs = Object.entries(EXPECTED).flatMap(([device, e]) => e.sources.map((s) => [device, s] as const));
  const count = (device: string, source: string) =>
    received.filter((r) => r.request.event.deviceName === device && r.request.event.sourceName === source).length;
  await waitFor('2 events per device and source', () => pairs.every(([d, s]) => count(d, s) >= 2), { timeoutMs: 15_000 });
  assert.deepEqual(errors, []);
  for (const { topic, envelope, request } of received) {
    const ev = request.event;
    const expected = EXPECTED[ev.deviceName];
    assert.ok(expected, `unexpected device ${ev.deviceName}`);
    assert.equal(topic, `edgex/events/device/device-virtual/${expected.profile}/${ev.deviceName}/${ev.sourceName}`);
    assert.equal(ev.profileName, expected.profile);
    assert.equal(envelope.apiVersion, 'v3');
    assert.equal(envelope.contentType, 'application/json');
    assert.equal(envelope.errorCode, 0);
    assert.match(String(envelope.correlationID), /^[0-9a-f-]{36}$/);
    assert.equal(request.apiVersion, 'v3');
    assert.match(String(request.requestId), /^[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Number(ev.origin) / 1e6 - Date.now()) < 60_000, 'origin is ns since the epoch');
    if (ev.sourceName !== 'Ramps') {
      assert.equal(ev.readings.length, 1);
      assert.equal(ev.readings[0].resourceName, ev.sourceName);
      assert.equal(ev.readings[0].valueType, ev.sourceName, 'resource names are their value types in these profiles');
    }
    for (const r of ev.readings) {
      assert.equal(r.deviceName, ev.deviceName);
      assert.equal(r.profileName, ev.profileName);
    }
  }
  const origins = received.filter((r) => r.request.event.deviceName === 'Random-Integer-Device').map((r) => r.request.event.origin);
  assert.equal(new Set(origins).size, origins.length, 'origins are unique');
});

test('events read while the broker is down are delivered once it is back (no gaps)', async () => {
  const counters = () =>
    received
      .filter((r) => r.request.event.deviceName === 'Ramp-Device')
      .map((r) => BigInt(r.request.event.readings.find((x) => x.resourceName === 'Counter')!.value!));
  const pendingEvents = async () => {
    const m = await dv.runtime.metrics.getSingleMetric('device_events_pending')?.get();
    return m?.values[0]?.value ?? 0;
  };
  await broker.stop();
  await waitFor('events pile up while the broker is down', async () => (await pendingEvents()) >= 6, { timeoutMs: 15_000 });
  const beforeRestart = counters();
  const maxBefore = beforeRestart.reduce((a, b) => (b > a ? b : a), 0n);
  await broker.restart();
  await waitFor('Ramp-Device counters to continue well past the outage', () => counters().some((c) => c > maxBefore + 8n), { timeoutMs: 20_000 });
  const seen = new Set(counters());
  const max = [...seen].reduce((a, b) => (b > a ? b : a), 0n);
  const missing: bigint[] = [];
  for (let c = 0n; c <= max; c++) if (!seen.has(c)) missing.push(c);
  assert.deepEqual(missing, [], 'every ramp step arrived at least once');
  assert.deepEqual(errors, []);
});
