// Each service as its own process (the distributed model), talking through a real Mosquitto.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { startNode, type RunningProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { readJson, type MultiDevicesResponse, type MultiReadingsResponse } from '../helpers/http.js';

const running: RunningProcess[] = [];
let broker: MosquittoBroker | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'edgex-standalone-'));

after(async () => {
  for (const p of running.reverse()) await p.stop();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('core-metadata, core-data and device-virtual run as separate processes over Mosquitto', async () => {
  broker = await startMosquitto();
  const ports = {
    metadata: { rest: await freePort(), grpc: await freePort() },
    data: { rest: await freePort(), grpc: await freePort() },
    virtual: { rest: await freePort(), grpc: await freePort() },
  };
  const common = {
    MESSAGEBUS_HOST: '127.0.0.1',
    MESSAGEBUS_PORT: String(broker.port),
    CLIENTS_CORE_METADATA_HOST: '127.0.0.1',
    CLIENTS_CORE_METADATA_PORT: String(ports.metadata.rest),
    CLIENTS_CORE_METADATA_GRPCPORT: String(ports.metadata.grpc),
    CLIENTS_CORE_DATA_HOST: '127.0.0.1',
    CLIENTS_CORE_DATA_PORT: String(ports.data.rest),
    CLIENTS_CORE_DATA_GRPCPORT: String(ports.data.grpc),
    WRITABLE_LOGLEVEL: 'WARN',
  };
  const launch = (service: string, p: { rest: number; grpc: number }) => {
    const proc = startNode([resolve(`services/${service}/dist/main.js`)], {
      ...common,
      SERVICE_HOST: '127.0.0.1',
      SERVICE_PORT: String(p.rest),
      SERVICE_GRPCPORT: String(p.grpc),
      DATABASE_PATH: join(dataDir, `${service}.db`),
    });
    running.push(proc);
    return proc;
  };
  // device-virtual first: it must wait for core-metadata rather than give up.
  const virtual = launch('device-virtual', ports.virtual);
  launch('core-data', ports.data);
  launch('core-metadata', ports.metadata);

  const dump = () => running.map((p) => p.output()).join('\n---\n');
  const devices = await waitFor(
    'device-virtual to provision its devices into core-metadata',
    async () => {
      const res = await fetch(`http://127.0.0.1:${ports.metadata.rest}/api/v3/device/service/name/device-virtual`);
      if (!res.ok) return undefined;
      const body = await readJson<MultiDevicesResponse>(res);
      return body.totalCount > 0 ? body.devices : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  ).catch((err) => assert.fail(`${err.message}\n${dump()}`));
  assert.ok(devices.every((d) => d.serviceName === 'device-virtual'));

  const readings = await waitFor(
    'virtual readings in core-data through Mosquitto',
    async () => {
      const res = await fetch(`http://127.0.0.1:${ports.data.rest}/api/v3/reading/all?limit=5`);
      const body = await readJson<MultiReadingsResponse>(res);
      return body.readings.length > 0 ? body.readings : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  ).catch((err) => assert.fail(`${err.message}\n${dump()}`));
  // Provisioning goes on in the background: every device that produced a reading must show up in core-metadata.
  await waitFor('every device with readings to be provisioned', async () => {
    const res = await fetch(`http://127.0.0.1:${ports.metadata.rest}/api/v3/device/service/name/device-virtual?limit=-1`);
    const names = new Set((await readJson<MultiDevicesResponse>(res)).devices.map((d) => d.name));
    return readings.every((r) => names.has(r.deviceName));
  });
  assert.equal(virtual.child.exitCode, null, 'device-virtual is still running');
});
