/**
 * A device service in an EdgeX deployment that runs with `Service.EnableNameFieldEscape: true` (real Mosquitto,
 * the peers' side played with raw topics as EdgeX builds them with go-mod-core-contracts' URLEncode): commands
 * arrive on escaped topics and are answered on the escaped response topic; events go out with every name escaped.
 * Without the key, names that travel as they are stay unescaped.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { commonConfigSchema, connectMessageBus, newEnvelope, payloadJson, type MessageBus, type MessageEnvelope } from '@edgex-ts/runtime';
import { startDeviceService, type CommandRequest, type CommandValue, type DeviceServiceHandle, type ProtocolDriver } from '@edgex-ts/device-sdk';
import type { Event } from '@edgex-ts/contracts';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const SERVICE = 'device-escape-test';
const DEVICE = 'Gauge-1';

class ConstantDriver implements ProtocolDriver {
  initialize() {}
  start() {}
  stop() {}
  async handleReadCommands(_device: string, _protocols: unknown, requests: CommandRequest[]): Promise<CommandValue[]> {
    return requests.map((r) => ({ deviceResourceName: r.deviceResourceName, valueType: 'Int16', value: 7 }));
  }
  async handleWriteCommands() {}
  addDevice() {}
  updateDevice() {}
  removeDevice() {}
}

describe('Service.EnableNameFieldEscape (real Mosquitto)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-sdk-escape-'));
  let broker: MosquittoBroker;
  let ds: DeviceServiceHandle;
  let peer: MessageBus;
  const events: { topic: string; event: Event }[] = [];

  before(async () => {
    broker = await startMosquitto();
    for (const sub of ['profiles', 'devices']) mkdirSync(join(dir, sub));
    writeFileSync(
      join(dir, 'profiles', 'gauge.json'),
      JSON.stringify({ name: 'Gauge_Profile', deviceResources: [{ name: 'Level.Now', properties: { valueType: 'Int16', readWrite: 'R' } }] }),
    );
    writeFileSync(
      join(dir, 'devices', 'gauges.yaml'),
      `deviceList:\n  - { name: ${DEVICE}, profileName: Gauge_Profile, protocols: { other: { Address: g1 } } }\n`,
    );
    const busConfig = commonConfigSchema.parse({ MessageBus: { Host: '127.0.0.1', Port: broker.port } }).MessageBus;
    peer = await connectMessageBus(busConfig, pino({ level: 'silent' }), `escape-peer-${process.pid}`);
    await peer.subscribe('edgex/events/device/#', async (env: MessageEnvelope, topic: string) => {
      events.push({ topic, event: payloadJson<{ event: Event }>(env).event });
    });
    const deadPort = await freePort(); // no core-metadata: the service works from its files
    ds = await startDeviceService({
      name: SERVICE,
      driver: new ConstantDriver(),
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, EnableNameFieldEscape: true },
        Writable: { LogLevel: 'ERROR' },
        MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `escape-ds-${process.pid}`, CleanSession: true } },
        Clients: { 'core-metadata': { Host: '127.0.0.1', Port: deadPort, GrpcPort: deadPort } },
        Device: { ProfilesDir: join(dir, 'profiles'), DevicesDir: join(dir, 'devices') },
      },
    });
  });
  after(async () => {
    await ds?.stop();
    await peer?.close();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a command sent as EdgeX escapes it, on the escaped response topic; the pushed event names are escaped in its topic', async () => {
    // As edgex-go's core-command builds them with EnableNameFieldEscape true (URLEncode of every name).
    const reply = await peer.request(
      'edgex/device/command/request/device%2Descape%2Dtest/Gauge%2D1/Level%2ENow/get',
      'edgex/response/device%2Descape%2Dtest',
      newEnvelope(new Uint8Array(0), { queryParams: { 'ds-pushevent': 'true' } }),
      10_000,
    );
    assert.equal(reply.errorCode, 0);
    assert.equal(payloadJson<{ event: Event }>(reply).event.readings[0].value, '7');
    const pushed = await waitFor('the pushed event', () => events[0]);
    assert.equal(pushed.topic, 'edgex/events/device/device%2Descape%2Dtest/Gauge%5FProfile/Gauge%2D1/Level%2ENow');
    assert.equal(pushed.event.deviceName, DEVICE);
  });
});
