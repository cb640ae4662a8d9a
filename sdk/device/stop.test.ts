/**
 * A device service stopped while it is still syncing with core-metadata must not leave auto-event timers behind
 * (an all-in-one stopped right after it started did not exit). The scenario runs in a child process (this file,
 * with STOP_SCENARIO set) so that the test can assert what a user sees: the process exits by itself.
 *
 * core-metadata is a small HTTP server here because the test must hold one answer (the list of the service's
 * devices) until stop() has stopped the auto-events, and only then let it through.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { waitFor } from '../../test/helpers/wait.js';
import type { ProtocolDriver } from './driver.js';
import { startDeviceService } from './service.js';

const SERVICE = 'device-stop-test';
const PROFILE = { name: 'Counter', deviceResources: [{ name: 'Count', properties: { valueType: 'Int32', readWrite: 'R' } }], deviceCommands: [] };
const DEVICE = { name: 'Counter-1', profileName: 'Counter', protocols: { other: { Address: 'c1' } }, autoEvents: [{ sourceName: 'Count', interval: '1s' }] };
/** As core-metadata holds it: someone changed the auto-event's interval there, so adopting it restarts the auto-event. */
const DEVICE_IN_METADATA = {
  ...DEVICE,
  id: randomUUID(),
  serviceName: SERVICE,
  adminState: 'UNLOCKED',
  operatingState: 'UP',
  autoEvents: [{ sourceName: 'Count', interval: '2s', onChange: false }],
};

async function text(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

/** Runs in the child: a device service stopped while core-metadata's list of its devices is on its way. */
async function scenario(): Promise<void> {
  let registered: object | undefined;
  let releaseDevices: (() => void) | undefined;
  let devicesAsked!: () => void;
  const listAsked = new Promise<void>((resolveAsked) => (devicesAsked = resolveAsked));
  const metadataServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const answer = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && path === `/api/v3/deviceservice/name/${SERVICE}`) {
      if (registered) answer(200, { apiVersion: 'v3', statusCode: 200, service: registered });
      else answer(404, { apiVersion: 'v3', statusCode: 404, message: `device service ${SERVICE} not found` });
    } else if (req.method === 'POST' && path === '/api/v3/deviceservice') {
      void text(req).then((body) => {
        registered = { id: randomUUID(), ...(JSON.parse(body) as { service: object }[])[0].service };
        answer(207, [{ apiVersion: 'v3', statusCode: 201, id: randomUUID() }]);
      });
    } else if (req.method === 'GET' && path.startsWith('/api/v3/deviceprofile/name/')) {
      answer(200, { apiVersion: 'v3', statusCode: 200, profile: PROFILE });
    } else if (req.method === 'GET' && path.startsWith('/api/v3/device/name/')) {
      answer(200, { apiVersion: 'v3', statusCode: 200, device: DEVICE_IN_METADATA });
    } else if (req.method === 'GET' && path === `/api/v3/device/service/name/${SERVICE}`) {
      releaseDevices = () => answer(200, { apiVersion: 'v3', statusCode: 200, totalCount: 1, devices: [DEVICE_IN_METADATA] });
      devicesAsked();
    } else if (req.method === 'GET' && path === `/api/v3/provisionwatcher/service/name/${SERVICE}`) {
      answer(200, { apiVersion: 'v3', statusCode: 200, totalCount: 0, provisionWatchers: [] });
    } else {
      answer(404, { apiVersion: 'v3', statusCode: 404, message: `${req.method} ${path}: not served by this test` });
    }
  });
  await new Promise<void>((resolveListen) => metadataServer.listen(0, '127.0.0.1', resolveListen));
  const metadataPort = (metadataServer.address() as AddressInfo).port;

  const profilesDir = mkdtempSync(join(tmpdir(), 'device-stop-profiles-'));
  const devicesDir = mkdtempSync(join(tmpdir(), 'device-stop-devices-'));
  writeFileSync(join(profilesDir, 'profile.json'), JSON.stringify(PROFILE));
  writeFileSync(join(devicesDir, 'devices.json'), JSON.stringify({ deviceList: [DEVICE] }));
  let autoEventsStopped = false;
  let readsAfterStop = 0;
  const driver: ProtocolDriver = {
    initialize() {},
    handleReadCommands: async (_device, _protocols, requests) => {
      if (autoEventsStopped) readsAfterStop++;
      return requests.map((r) => ({ deviceResourceName: r.deviceResourceName, valueType: 'Int32' as const, value: 1 }));
    },
    handleWriteCommands: async () => {},
    start() {},
    stop() {},
    addDevice() {},
    updateDevice() {},
    removeDevice() {},
  };
  const ds = await startDeviceService({
    name: SERVICE,
    driver,
    argv: [],
    env: {},
    configOverrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
      Writable: { LogLevel: 'ERROR' },
      MessageBus: { Disabled: true },
      Clients: { 'core-metadata': { Host: '127.0.0.1', Port: metadataPort, GrpcPort: metadataPort } },
      Device: { ProfilesDir: profilesDir, DevicesDir: devicesDir },
    },
  });
  const autoEventsRunning = async () => (await ds.runtime.metrics.getSingleMetric('device_autoevents_running')?.get())?.values[0]?.value;
  assert.equal(await autoEventsRunning(), 1, 'the file device has its auto-event');

  await listAsked; // provisioning is done; core-metadata's record of the devices is on its way
  const stopping = ds.stop();
  await waitFor('stop() to stop the auto-events', async () => (await autoEventsRunning()) === 0);
  autoEventsStopped = true;
  releaseDevices?.();
  await stopping;
  metadataServer.closeAllConnections();
  metadataServer.close();
  process.stdout.write(`${JSON.stringify({ autoEventsRunning: await autoEventsRunning(), readsAfterStop })}\n`);
}

if (process.env.STOP_SCENARIO) {
  await scenario();
} else {
  test('a device service stopped while it syncs with core-metadata starts no auto-event afterwards, and its process exits', async () => {
    const child = spawn(process.execPath, ['--conditions=@edgex-ts/source', '--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, STOP_SCENARIO: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // The only wait bound here is the failure report: a process kept alive by a timer never exits by itself.
    const exitTimer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(exitTimer);
    assert.equal(signal, null, `the stopped device service's process did not exit by itself (killed); its output:\n${out}`);
    assert.equal(code, 0, out);
    const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { autoEventsRunning?: number; readsAfterStop?: number };
    assert.deepEqual(report, { autoEventsRunning: 0, readsAfterStop: 0 });
  });
}
