/**
 * This device service against a running edgex-ts all-in-one (`npx edgex-ts` / `npm start` in edgex-ts, or its
 * container) or an EdgeX deployment: its readings reach core-data and a command round-trips through
 * core-command. The device is a line-protocol thermostat served by this test over TCP.
 *
 * Where the deployment is (EdgeX's default ports unless set):
 *   EDGEX_HOST (localhost), CORE_DATA_PORT (59880), CORE_METADATA_PORT (59881), CORE_COMMAND_PORT (59882),
 *   MESSAGEBUS_HOST (EDGEX_HOST), MESSAGEBUS_PORT (1883).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import type { DeviceServiceHandle } from '@edgex-ts/device-sdk';
import { SERVICE_NAME, startService } from './index.js';

const env = process.env;
const host = env.EDGEX_HOST || 'localhost';
const port = (name: string, fallback: number) => Number(env[name] || fallback);
const coreData = `http://${host}:${port('CORE_DATA_PORT', 59880)}/api/v3`;
const coreMetadata = `http://${host}:${port('CORE_METADATA_PORT', 59881)}/api/v3`;
const coreCommand = `http://${host}:${port('CORE_COMMAND_PORT', 59882)}/api/v3`;

/** Asks `probe` again every 200 ms until it returns something, or fails after `timeoutMs` naming `what`. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** A thermostat speaking the line protocol (GET/SET by name). */
function startThermostat(): Promise<{ server: Server; port: number; state: Map<string, string> }> {
  const state = new Map([
    ['temp', '215'],
    ['setpoint', '20'],
    ['heating', 'true'],
  ]);
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // a client that goes away is no failure of the device
    createInterface({ input: socket }).on('line', (line) => {
      const [verb, name, value] = line.split(' ');
      if (verb === 'GET' && state.has(name)) socket.write(`${state.get(name)}\n`);
      else if (verb === 'SET' && state.has(name) && value !== undefined) {
        state.set(name, value);
        socket.write('OK\n');
      } else socket.write(`ERR unknown request ${line}\n`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, state })));
}

describe(`${SERVICE_NAME} against a running all-in-one`, () => {
  const device = `Line-Thermostat-${randomUUID().slice(0, 8)}`;
  let dir: string;
  let peer: Awaited<ReturnType<typeof startThermostat>>;
  let service: DeviceServiceHandle;

  before(async () => {
    peer = await startThermostat();
    dir = await mkdtemp(join(tmpdir(), `${SERVICE_NAME}-`));
    const devices = [
      {
        name: device,
        profileName: 'Line-Thermostat',
        protocols: { line: { Host: '127.0.0.1', Port: peer.port } },
        autoEvents: [{ interval: '1s', sourceName: 'Temperature' }],
      },
    ];
    await writeFile(join(dir, 'devices.json'), JSON.stringify(devices));
    service = await startService({
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
        Writable: { LogLevel: 'WARN' },
        MessageBus: {
          Host: env.MESSAGEBUS_HOST || host,
          Port: port('MESSAGEBUS_PORT', 1883),
          Optional: { ClientId: `${SERVICE_NAME}-${device}`, CleanSession: true },
        },
        Clients: { 'core-metadata': { Host: host, Port: port('CORE_METADATA_PORT', 59881), Protocol: 'http' } },
        Device: { DevicesDir: dir },
      },
    });
  });
  after(async () => {
    await service?.stop();
    await call('DELETE', `${coreMetadata}/device/name/${device}`).catch(() => undefined);
    await new Promise((resolve) => peer?.server.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('provisions its device in core-metadata', async () => {
    const result = await service.provisioned;
    assert.ok(result, 'provisioning with core-metadata finished');
    assert.deepEqual(result.devicesAdded, [device]);
    const { status, json } = await call('GET', `${coreMetadata}/device/name/${device}`);
    assert.equal(status, 200);
    assert.equal(json.device.serviceName, SERVICE_NAME);
  });

  it('its readings reach core-data', async () => {
    const readings = await eventually('readings in core-data', async () => {
      const { json } = await call('GET', `${coreData}/reading/device/name/${device}`);
      return json?.readings?.length ? (json.readings as { resourceName: string; value: string; units?: string }[]) : undefined;
    });
    assert.equal(readings[0].resourceName, 'Temperature');
    assert.equal(readings[0].value, '2.150000e+01');
    assert.equal(readings[0].units, 'C');
  });

  it('a command round-trips through core-command', async () => {
    const commands = `${coreCommand}/device/name/${device}`;
    await eventually('the device in core-command', async () => ((await call('GET', commands)).status === 200 ? true : undefined));
    const put = await call('PUT', `${commands}/SetPoint`, { SetPoint: '22.5' });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    assert.equal(peer.state.get('setpoint'), '22.5');
    const get = await call('GET', `${commands}/Status`);
    assert.equal(get.status, 200, JSON.stringify(get.json));
    assert.deepEqual(
      get.json.event.readings.map((r: { resourceName: string; value: string }) => [r.resourceName, r.value]),
      [
        ['Temperature', '2.150000e+01'],
        ['Heating', 'ON'],
      ],
    );
  });
});
