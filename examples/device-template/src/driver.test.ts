/**
 * The template device service against a real peer: a line-protocol device (a TCP server in this test),
 * read and written through the service's REST commands, with the reading published on a real Mosquitto.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import type { Event } from '@edgex-ts/contracts';
import type { DeviceServiceHandle } from '@edgex-ts/device-sdk';
import { decodeEnvelope, payloadJson } from '@edgex-ts/runtime';
import { startMosquitto, type MosquittoBroker } from '../../../test/helpers/mosquitto.js';
import { freePort } from '../../../test/helpers/ports.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { RES_DIR, startDeviceTemplate } from './index.js';

/** A line-protocol thermostat: answers GET/SET lines from its state; records every request line. */
function startThermostat(): Promise<{ server: Server; port: number; state: Map<string, string>; lines: string[] }> {
  const state = new Map([
    ['temp', '215'],
    ['setpoint', '20'],
    ['heating', 'true'],
  ]);
  const lines: string[] = [];
  const server = createServer((socket) => {
    createInterface({ input: socket }).on('line', (line) => {
      lines.push(line);
      const [verb, name, value] = line.split(' ');
      if (verb === 'GET' && state.has(name)) socket.write(`${state.get(name)}\n`);
      else if (verb === 'SET' && state.has(name) && value !== undefined) {
        state.set(name, value);
        socket.write('OK\n');
      } else socket.write(`ERR unknown request ${line}\n`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, state, lines })));
}

describe('device-template against a line-protocol device (real TCP peer, real Mosquitto)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-template-'));
  let broker: MosquittoBroker;
  let peer: Awaited<ReturnType<typeof startThermostat>>;
  let ds: DeviceServiceHandle;
  let sub: mqtt.MqttClient;
  const events: { topic: string; event: Event }[] = [];
  let base: string;

  before(async () => {
    broker = await startMosquitto();
    peer = await startThermostat();
    const deadPort = await freePort();
    writeFileSync(
      join(dir, 'devices.yaml'),
      `deviceList:\n  - name: Thermostat-1\n    profileName: Line-Thermostat\n    protocols:\n      line: { Host: 127.0.0.1, Port: ${peer.port} }\n  - name: Thermostat-Gone\n    profileName: Line-Thermostat\n    protocols:\n      line: { Host: 127.0.0.1, Port: ${deadPort} }\n`,
    );
    sub = await mqtt.connectAsync(broker.url, { clientId: `template-sub-${process.pid}` });
    sub.on('message', (topic, payload) => events.push({ topic, event: payloadJson<{ event: Event }>(decodeEnvelope(payload)).event }));
    await sub.subscribeAsync('edgex/events/device/device-template/#', { qos: 1 });
    ds = await startDeviceTemplate({
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
        Writable: { LogLevel: 'ERROR' },
        MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `template-${process.pid}`, CleanSession: true } },
        // No core-metadata in this test: the service runs from its files and keeps retrying provisioning.
        Clients: { 'core-metadata': { Host: '127.0.0.1', Port: deadPort, GrpcPort: deadPort } },
        Device: { DevicesDir: dir, ProfilesDir: join(RES_DIR, 'profiles') },
      },
    });
    base = `http://127.0.0.1:${ds.restPort}/api/v3/device/name`;
  });
  after(async () => {
    await ds?.stop();
    await sub?.endAsync();
    await new Promise((r) => peer?.server.close(r));
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET a command through REST: the device is asked, the profile transforms apply, the event is on the bus', async () => {
    const res = await fetch(`${base}/Thermostat-1/Status?ds-pushevent=true`);
    assert.equal(res.status, 200);
    const { event } = (await res.json()) as { event: Event };
    assert.deepEqual(event.readings.map((r) => [r.resourceName, r.value, r.units]), [
      ['Temperature', '2.150000e+01', 'C'],
      ['Heating', 'ON', undefined],
    ]);
    assert.deepEqual(peer.lines.slice(-2), ['GET temp', 'GET heating']);
    const published = await waitFor('the event on the bus', () => events.find((e) => e.event.id === event.id));
    assert.equal(published.topic, 'edgex/events/device/device-template/Line-Thermostat/Thermostat-1/Status');
  });

  it('PUT writes the device; values outside the profile range are refused before reaching it', async () => {
    const put = (body: unknown) => fetch(`${base}/Thermostat-1/SetPoint`, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    assert.equal((await put({ SetPoint: '22.5' })).status, 200);
    assert.equal(peer.state.get('setpoint'), '22.5');
    const refused = await put({ SetPoint: '40' });
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { message: string }).message, /SetPoint/);
    assert.equal(peer.state.get('setpoint'), '22.5');
  });

  it('an unreachable device answers an error naming it, not a crash', async () => {
    const res = await fetch(`${base}/Thermostat-Gone/Temperature`);
    assert.equal(res.status, 500);
    assert.match(((await res.json()) as { message: string }).message, /Thermostat-Gone.*ECONNREFUSED/);
  });
});
