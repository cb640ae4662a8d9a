// The README's start command, end to end: the compiled all-in-one as its own process on EdgeX's ports.
import * as grpc from '@grpc/grpc-js';
import { coredataV1, parseJson } from '@edgex-ts/contracts';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../helpers/ports.js';
import { startNode, type RunningProcess } from '../helpers/process.js';
import { allInOneNodeFlags } from '../helpers/start-command.js';
import { waitFor } from '../helpers/wait.js';
import type { BaseResponse, EventResponse, MultiDevicesResponse, MultiEventsResponse, MultiReadingsResponse } from '../helpers/http.js';

const ENTRY = resolve('suite/dist/all-in-one.js');
const RELEASE = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const DATA = 'http://127.0.0.1:59880/api/v3';
const METADATA = 'http://127.0.0.1:59881/api/v3';
/** Every service the all-in-one runs, on its EdgeX REST port. */
const EVERY_SERVICE = [
  [59881, 'core-metadata'],
  [59880, 'core-data'],
  [59882, 'core-command'],
  [59900, 'device-virtual'],
  [59901, 'device-modbus'],
  [59993, 'device-snmp'],
  [59982, 'device-mqtt'],
  [48061, 'support-logging'],
  [59860, 'support-notifications'],
  [59861, 'support-scheduler'],
] as const;
const dataDir = mkdtempSync(join(tmpdir(), 'edgex-aio-'));
let brokerPort: number;
let suite: RunningProcess | undefined;

/** The JSON answer of a GET that must succeed, read with origins exact (bigint) as the services write them. */
async function getJson<T = BaseResponse>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}: ${res.status} ${await res.clone().text()}`);
  return parseJson(await res.text()) as T;
}

async function startSuite(): Promise<{ process: RunningProcess; startedAt: number }> {
  const startedAt = Date.now();
  const process = startNode([...allInOneNodeFlags(), ENTRY], { EDGEX_DATA_DIR: dataDir, EDGEX_BROKER_PORT: String(brokerPort) });
  return { process, startedAt };
}

before(async () => {
  brokerPort = await freePort();
});

after(async () => {
  await suite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the all-in-one serves virtual readings within 20 s, over REST and gRPC', async () => {
  const started = await startSuite();
  suite = started.process;
  const readings = await waitFor(
    'readings from the virtual devices',
    async () => {
      const body = await getJson<MultiReadingsResponse>(`${DATA}/reading/all?limit=5`);
      return body.readings.length > 0 ? body.readings : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 200 },
  ).catch((err) => {
    throw new Error(`${err.message}\n--- all-in-one output ---\n${suite!.output()}`);
  });
  const elapsedMs = Date.now() - started.startedAt;
  assert.ok(elapsedMs < 20_000, `first readings after ${elapsedMs} ms`);
  assert.ok(readings.length <= 5);
  for (const r of readings) {
    assert.match(r.deviceName, /^Random-|Ramp/);
    assert.ok(r.valueType, 'reading has a valueType');
    assert.ok(r.value !== undefined || r.binaryValue !== undefined, 'reading has a value');
  }

  for (const [port, service] of EVERY_SERVICE) {
    // Readings flow as soon as device-virtual runs; the services started after it may still be starting.
    const ping = await waitFor(`${service} answering ping on ${port}`, () =>
      getJson<BaseResponse & { serviceName: string }>(`http://127.0.0.1:${port}/api/v3/ping`).catch(() => undefined),
    );
    assert.equal(ping.apiVersion, 'v3');
    assert.equal(ping.serviceName, service);
    // EdgeX clients (the UI, edgex-cli) show each service's version: the edgex-ts release; device services
    // also name their SDK's, as EdgeX's device SDK does.
    const sdk = service.startsWith('device-') ? { sdk_version: RELEASE } : {};
    assert.deepEqual(await getJson<unknown>(`http://127.0.0.1:${port}/api/v3/version`), { apiVersion: 'v3', version: RELEASE, serviceName: service, ...sdk });
  }

  // A window that no longer changes: one device's readings up to the newest origin seen so far.
  const device = readings[0].deviceName;
  const end = BigInt(readings[0].origin);
  const rest = await getJson<MultiReadingsResponse>(`${DATA}/reading/device/name/${device}/start/0/end/${end}?limit=-1`);
  const client = new coredataV1.CoreDataServiceClient('127.0.0.1:49880', grpc.credentials.createInsecure());
  const viaGrpc = await new Promise<coredataV1.ListReadingsResponse>((resolve, reject) =>
    client.listReadings({ deviceName: device, resourceNames: [], range: { start: 0n, end: BigInt(end) }, page: { offset: 0, limit: -1 } }, (err, res) =>
      err ? reject(err) : resolve(res),
    ),
  );
  client.close();
  assert.equal(viaGrpc.totalCount, rest.totalCount);
  assert.deepEqual(viaGrpc.readings.map((r) => r.id).sort(), rest.readings.map((r) => r.id).sort(), 'gRPC returns the same readings as REST');
});

test('devices and events survive a stop and start', async () => {
  assert.ok(suite, 'the suite runs (first test)');
  // Readings flow before device-virtual has finished provisioning: wait until core-metadata has devices.
  const devices: string[] = await waitFor('devices in core-metadata', async () => {
    const names = (await getJson<MultiDevicesResponse>(`${METADATA}/device/all?limit=-1`)).devices.map((d) => d.name).sort();
    return names.length > 0 ? names : undefined;
  });
  const someEvent = (await getJson<MultiEventsResponse>(`${DATA}/event/all?limit=1`)).events[0];
  assert.ok(devices.length > 0 && someEvent, 'there is something to keep');

  const code = await suite.stop();
  assert.equal(code, 0, `graceful stop exits 0; output:\n${suite.output()}`);

  suite = (await startSuite()).process;
  await waitFor('core-data after restart', async () => (await fetch(`${DATA}/ping`)).ok, { timeoutMs: 20_000 });
  const after = (await getJson<MultiDevicesResponse>(`${METADATA}/device/all?limit=-1`)).devices.map((d) => d.name).sort();
  // device-virtual may still be provisioning when the first list was taken: every device seen then is kept.
  for (const name of devices) assert.ok(after.includes(name), `device ${name} is still there after the restart`);
  const again = await getJson<EventResponse>(`${DATA}/event/id/${someEvent.id}`);
  assert.equal(again.event.id, someEvent.id);
  assert.deepEqual(again.event.readings, someEvent.readings);
});
