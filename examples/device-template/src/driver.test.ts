/**
 * The driver against a real peer — a line-protocol thermostat served by this test over TCP — inside a real
 * device service (@edgex-ts/testing: embedded MQTT broker, commands sent as core-command sends them, every
 * published event recorded). No EdgeX services or broker need to run.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CommandError, startTestDeviceService, type TestDeviceService } from '@edgex-ts/testing';
import { LineDriver, RES_DIR } from './index.js';

/** A thermostat speaking the line protocol: answers GET/SET lines from its state and records each request. */
function startThermostat(): Promise<{ server: Server; port: number; state: Map<string, string>; lines: string[] }> {
  const state = new Map([
    ['temp', '215'],
    ['setpoint', '20'],
    ['heating', 'true'],
  ]);
  const lines: string[] = [];
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // a client that goes away is no failure of the device
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

/** A device that reads a request and hangs up without answering. */
function startMute(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => createInterface({ input: socket }).once('line', () => socket.end()));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

const thermostat = (name: string, port: number, autoEvents: object[] = []) => ({
  name,
  profileName: 'Line-Thermostat',
  protocols: { line: { Host: '127.0.0.1', Port: port } },
  autoEvents,
});

describe('the line driver in a device service (real TCP peer, embedded broker)', () => {
  let peer: Awaited<ReturnType<typeof startThermostat>>;
  let mute: Awaited<ReturnType<typeof startMute>>;
  let ds: TestDeviceService;

  before(async () => {
    peer = await startThermostat();
    mute = await startMute();
    ds = await startTestDeviceService({
      name: 'device-line',
      driver: new LineDriver(),
      devices: [thermostat('Thermostat-1', peer.port, [{ interval: '1s', sourceName: 'Status' }]), thermostat('Thermostat-Mute', mute.port)],
      configOverrides: { Device: { ProfilesDir: join(RES_DIR, 'profiles') } },
    });
  });
  after(async () => {
    await ds?.stop();
    await new Promise((r) => peer?.server.close(r));
    await new Promise((r) => mute?.server.close(r));
  });

  it('auto-events: the device is read and the event, transformed by the profile, is published', async () => {
    const { topic, event } = await ds.events.nextEvent({ device: 'Thermostat-1', source: 'Status' });
    assert.equal(topic, 'edgex/events/device/device-line/Line-Thermostat/Thermostat-1/Status');
    assert.deepEqual(
      event.readings.map((r) => [r.resourceName, r.value, r.units]),
      [
        ['Temperature', '2.150000e+01', 'C'],
        ['Heating', 'ON', undefined],
      ],
    );
  });

  it('GET a command: the device is asked for each resource, in order', async () => {
    peer.lines.length = 0;
    const event = await ds.get('Thermostat-1', 'Status');
    assert.deepEqual(
      event.readings.map((r) => r.value),
      ['2.150000e+01', 'ON'],
    );
    assert.deepEqual(
      peer.lines.filter((l) => l.startsWith('GET')),
      ['GET temp', 'GET heating'],
    );
  });

  it('SET writes the device; values outside the profile range are refused before reaching it', async () => {
    await ds.set('Thermostat-1', 'SetPoint', { SetPoint: '22.5' });
    assert.equal(peer.state.get('setpoint'), '22.5');
    const refused = await ds.set('Thermostat-1', 'SetPoint', { SetPoint: '40' }).catch((err: unknown) => err);
    assert.ok(refused instanceof CommandError);
    assert.equal(refused.status, 400);
    assert.match(refused.message, /SetPoint/);
    assert.equal(peer.state.get('setpoint'), '22.5');
  });

  it('a device that does not answer gives an error naming it, not a crash', async () => {
    const failed = await ds.get('Thermostat-Mute', 'Temperature').catch((err: unknown) => err);
    assert.ok(failed instanceof CommandError);
    assert.equal(failed.status, 500);
    assert.match(failed.message, /Thermostat-Mute.*connection closed without an answer/);
  });
});
