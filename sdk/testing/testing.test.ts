/**
 * The testing kit around a small in-memory driver: the service it starts is a real device service on a real
 * (embedded) MQTT broker, so what the driver author sees is what core-command and core-data would see.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { hasErrorKind } from '@edgex-ts/contracts';
import type { CommandRequest, CommandValue, ProtocolDriver } from '@edgex-ts/device-sdk';
import { encode as encodeCbor } from 'cbor2';
import { connectMessageBus, createLogger, messageBusSectionSchema, newEnvelope } from '@edgex-ts/runtime';
import { CommandError, recordEvents, startTestBroker, startTestDeviceService, type TestDeviceService } from './index.js';

/** Resources held in a map per device: what a driver's device would answer. */
class MemoryDriver implements ProtocolDriver {
  readonly state = new Map<string, Map<string, number>>();
  readonly added: string[] = [];
  stopped = false;
  initialize(): void {}
  async handleReadCommands(device: string, _protocols: unknown, requests: CommandRequest[]): Promise<CommandValue[]> {
    const values = this.state.get(device);
    if (!values) throw new Error(`${device}: not connected`);
    return requests.map((r) => ({ deviceResourceName: r.deviceResourceName, valueType: r.valueType, value: values.get(String(r.attributes.key))! }));
  }
  async handleWriteCommands(device: string, _protocols: unknown, requests: CommandRequest[], values: CommandValue[]): Promise<void> {
    requests.forEach((r, i) => this.state.get(device)!.set(String(r.attributes.key), values[i].value as number));
  }
  start(): void {}
  stop(): void {
    this.stopped = true;
  }
  addDevice(name: string): void {
    this.added.push(name);
    this.state.set(
      name,
      new Map([
        ['t', 215],
        ['sp', 20],
      ]),
    );
  }
  updateDevice(): void {}
  removeDevice(): void {}
}

const profile = {
  name: 'Memory-Thermostat',
  deviceResources: [
    { name: 'Temperature', attributes: { key: 't' }, properties: { valueType: 'Float64', readWrite: 'R', scale: 0.1, units: 'C' } },
    { name: 'SetPoint', attributes: { key: 'sp' }, properties: { valueType: 'Float64', readWrite: 'RW', minimum: 5, maximum: 30 } },
  ],
};
const device = (name: string, autoEvents: object[] = []) => ({ name, profileName: 'Memory-Thermostat', protocols: { memory: { Id: name } }, autoEvents });

describe('@edgex-ts/testing: a driver in a device service on an embedded broker', () => {
  const driver = new MemoryDriver();
  let ds: TestDeviceService;

  before(async () => {
    ds = await startTestDeviceService({
      name: 'device-memory',
      driver,
      profiles: [profile],
      devices: [device('Thermostat-1', [{ interval: '100ms', sourceName: 'Temperature' }]), device('Thermostat-2')],
    });
  });
  after(() => ds?.stop());

  it('hands the devices given as objects to the driver', () => {
    assert.deepEqual(driver.added.sort(), ['Thermostat-1', 'Thermostat-2']);
    assert.equal(ds.service.sdk.getDevice('Thermostat-1')?.serviceName, 'device-memory');
  });

  it('records the auto-event readings the service publishes, with the profile transforms applied', async () => {
    const { topic, event } = await ds.events.nextEvent({ device: 'Thermostat-1', source: 'Temperature' });
    assert.equal(topic, 'edgex/events/device/device-memory/Memory-Thermostat/Thermostat-1/Temperature');
    assert.deepEqual(
      event.readings.map((r) => [r.resourceName, r.value, r.units]),
      [['Temperature', '2.150000e+01', 'C']],
    );
    const next = await ds.events.nextEvent({ device: 'Thermostat-1' });
    assert.notEqual(next.event.id, event.id, 'each event is handed out once');
  });

  it('GET and SET go through the bus as core-command sends them', async () => {
    await ds.set('Thermostat-2', 'SetPoint', { SetPoint: '22.5' });
    assert.equal(driver.state.get('Thermostat-2')!.get('sp'), 22.5);
    const event = await ds.get('Thermostat-2', 'SetPoint');
    assert.equal(event.readings[0].value, '2.250000e+01');
    assert.equal(ds.events.events({ device: 'Thermostat-2' }).length, 0, 'a GET without pushEvent publishes nothing');
  });

  it('a GET with pushEvent publishes the event it returns', async () => {
    const event = await ds.get('Thermostat-2', 'Temperature', { pushEvent: true });
    const { event: published } = await ds.events.nextEvent({ device: 'Thermostat-2' });
    assert.equal(published.id, event.id);
  });

  it('refusals come back as CommandError with the status core-command would answer', async () => {
    const outOfRange = await ds.set('Thermostat-2', 'SetPoint', { SetPoint: '40' }).catch((err: unknown) => err);
    assert.ok(outOfRange instanceof CommandError);
    assert.equal(outOfRange.status, 400);
    assert.ok(hasErrorKind(outOfRange, 'ContractInvalid'));
    assert.match(outOfRange.message, /SetPoint/);
    assert.equal(driver.state.get('Thermostat-2')!.get('sp'), 22.5, 'the driver was not asked');

    const unknown = await ds.get('Nobody', 'Temperature').catch((err: unknown) => err);
    assert.ok(unknown instanceof CommandError);
    assert.equal(unknown.status, 404);

    driver.state.delete('Thermostat-2');
    const failed = await ds.get('Thermostat-2', 'Temperature').catch((err: unknown) => err);
    assert.ok(failed instanceof CommandError);
    assert.equal(failed.status, 500);
    assert.match(failed.message, /not connected/);
  });

  it('nextEvent rejects, naming what it waited for, when no such event comes', async () => {
    await assert.rejects(ds.events.nextEvent({ device: 'Thermostat-9' }, { timeoutMs: 50 }), /no event for device Thermostat-9 within 50 ms/);
  });
});

describe('@edgex-ts/testing: stop', () => {
  it('stops the driver and the embedded broker', async () => {
    const driver = new MemoryDriver();
    const ds = await startTestDeviceService({ driver, profiles: [profile], devices: [device('T')] });
    const { Host: host, Port: port } = ds.service.config.MessageBus;
    await ds.stop();
    assert.equal(driver.stopped, true);
    const refused = await new Promise((resolve) =>
      connect({ host, port })
        .once('error', resolve)
        .once('connect', () => resolve(undefined)),
    );
    assert.equal((refused as NodeJS.ErrnoException | undefined)?.code, 'ECONNREFUSED');
  });
});

describe('@edgex-ts/testing: recordEvents on any broker', () => {
  it('records JSON events and CBOR ones (as EdgeX Go services send events with binary readings)', async () => {
    const broker = await startTestBroker();
    const recorder = await recordEvents({ host: broker.host, port: broker.port });
    const config = messageBusSectionSchema.parse({ Host: broker.host, Port: broker.port, Optional: { ClientId: 'cbor-publisher', CleanSession: true } });
    const bus = await connectMessageBus(config, createLogger('publisher', 'ERROR'), config.Optional.ClientId);
    try {
      const event = (id: string) => ({ apiVersion: 'v3', id, deviceName: 'Go-Device', profileName: 'P', sourceName: 'Image', origin: 1, readings: [] });
      await bus.publish('edgex/events/device/device-go/P/Go-Device/Image', newEnvelope({ apiVersion: 'v3', event: event('json-1') }));
      const cbor = encodeCbor({ apiVersion: 'v3', event: event('cbor-1') });
      await bus.publish('edgex/events/device/device-go/P/Go-Device/Image', newEnvelope(cbor, { contentType: 'application/cbor' }));
      assert.equal((await recorder.nextEvent({ device: 'Go-Device' })).event.id, 'json-1');
      const { topic, event: fromCbor } = await recorder.nextEvent({ device: 'Go-Device' });
      assert.equal(fromCbor.id, 'cbor-1');
      assert.equal(topic, 'edgex/events/device/device-go/P/Go-Device/Image');
    } finally {
      await bus.close();
      await recorder.close();
      await broker.close();
    }
  });
});
