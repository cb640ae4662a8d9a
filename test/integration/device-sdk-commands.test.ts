/**
 * Commands over the bus under concurrency, on a real Mosquitto: a device service handles at most 16 command
 * requests at once and stops reading from the broker while that many are pending. Its replies must not wait
 * on the bus inside those handlers, or the PUBACKs they wait for are never read and every caller times out.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { commonConfigSchema, connectMessageBus, newEnvelope, payloadJson, type MessageBus } from '@edgex-ts/runtime';
import {
  commandReplyStatus,
  commandRequestTopic,
  commandResponseTopicPrefix,
  startDeviceService,
  type CommandRequest,
  type CommandValue,
  type DeviceServiceHandle,
  type ProtocolDriver,
} from '@edgex-ts/device-sdk';
import { EdgeXError, type Event } from '@edgex-ts/contracts';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';

const SERVICE = 'device-commands-test';
const COMMAND_CONCURRENCY = 16;

/** Holds every read until `gate` reads are waiting at once, so the service has all its handlers busy. */
class GatedDriver implements ProtocolDriver {
  private waiting: (() => void)[] = [];
  private open = false;
  constructor(private readonly gate: number) {}
  initialize() {}
  start() {}
  stop() {}
  async handleReadCommands(_device: string, _protocols: unknown, requests: CommandRequest[]): Promise<CommandValue[]> {
    if (requests.some((r) => r.deviceResourceName === 'Miswired')) {
      throw new EdgeXError('ContractInvalid', 'deviceResource Miswired: attributes.register is required');
    }
    if (!this.open) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        if (this.waiting.length >= this.gate) {
          this.open = true;
          for (const release of this.waiting.splice(0)) release();
        }
      });
    }
    return requests.map((r) => ({ deviceResourceName: r.deviceResourceName, valueType: 'Int16', value: 7 }));
  }
  async handleWriteCommands() {}
  addDevice() {}
  updateDevice() {}
  removeDevice() {}
}

describe('device commands over the bus (real Mosquitto)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'device-sdk-commands-'));
  let broker: MosquittoBroker;
  let ds: DeviceServiceHandle;
  let caller: MessageBus;

  before(async () => {
    broker = await startMosquitto();
    for (const sub of ['profiles', 'devices']) mkdirSync(join(dir, sub));
    writeFileSync(
      join(dir, 'profiles', 'gauge.json'),
      JSON.stringify({
        name: 'Gauge',
        deviceResources: [
          { name: 'Level', properties: { valueType: 'Int16', readWrite: 'R' } },
          { name: 'Miswired', properties: { valueType: 'Int16', readWrite: 'R' } },
        ],
      }),
    );
    writeFileSync(join(dir, 'devices', 'gauges.yaml'), 'deviceList:\n  - { name: Gauge-1, profileName: Gauge, protocols: { other: { Address: g1 } } }\n');
    const deadPort = await freePort(); // no core-metadata: the service works from its files
    ds = await startDeviceService({
      name: SERVICE,
      driver: new GatedDriver(COMMAND_CONCURRENCY),
      argv: [],
      env: {},
      configOverrides: {
        Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
        Writable: { LogLevel: 'ERROR' },
        MessageBus: { Host: '127.0.0.1', Port: broker.port, Optional: { ClientId: `commands-ds-${process.pid}`, CleanSession: true } },
        Clients: { 'core-metadata': { Host: '127.0.0.1', Port: deadPort, GrpcPort: deadPort } },
        Device: { ProfilesDir: join(dir, 'profiles'), DevicesDir: join(dir, 'devices') },
      },
    });
    const busConfig = commonConfigSchema.parse({ MessageBus: { Host: '127.0.0.1', Port: broker.port } }).MessageBus;
    caller = await connectMessageBus(busConfig, pino({ level: 'silent' }), `commands-caller-${process.pid}`);
  });
  after(async () => {
    await caller?.close();
    await ds?.stop();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (resource: string) =>
    caller.request(
      commandRequestTopic('edgex', SERVICE, 'Gauge-1', resource, 'get'),
      commandResponseTopicPrefix('edgex', SERVICE),
      newEnvelope(new Uint8Array(0), { queryParams: { 'ds-returnevent': 'true' } }),
      10_000,
    );

  it('answers three times its command concurrency of GETs issued at once, every one with its reading', async () => {
    const replies = await Promise.all(Array.from({ length: 3 * COMMAND_CONCURRENCY }, () => get('Level')));
    for (const reply of replies) {
      assert.deepEqual(commandReplyStatus(reply), { status: 200 });
      const event = payloadJson<{ event: Event }>(reply).event;
      assert.equal(event.deviceName, 'Gauge-1');
      assert.equal(event.readings[0].value, '7');
    }
  });

  it('reads the driver refuses as invalid (400) do not count toward AllowedFails: the device stays UP', async () => {
    for (let i = 0; i < 5; i++) {
      const refused = commandReplyStatus(await get('Miswired'));
      assert.equal(refused.status, 400);
      assert.match(refused.message ?? '', /attributes\.register is required/);
    }
    assert.deepEqual(commandReplyStatus(await get('Level')), { status: 200 }, 'not DOWN (423) after more refusals than Device.AllowedFails (3)');
  });
});
