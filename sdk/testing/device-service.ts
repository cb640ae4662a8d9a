/**
 * A driver under test inside a real device service (`startDeviceService`): profiles and devices given as
 * objects, an embedded MQTT broker, no core-metadata. Commands go over the bus exactly as core-command sends
 * them, and every event the service publishes is recorded.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kindOfHttpStatus } from '@edgex-ts/client';
import { EdgeXError, type Event } from '@edgex-ts/contracts';
import {
  commandReplyStatus,
  commandRequestTopic,
  commandResponseTopicPrefix,
  startDeviceService,
  type DeviceServiceHandle,
  type StartDeviceServiceOptions,
} from '@edgex-ts/device-sdk';
import { connectMessageBus, createLogger, messageBusSectionSchema, newEnvelope, payloadJson, type MessageBus, type Registry } from '@edgex-ts/runtime';
import { startTestBroker, type TestBroker } from './broker.js';
import { EventRecorder } from './recorder.js';

export interface TestDeviceServiceOptions extends Pick<StartDeviceServiceOptions, 'driver' | 'configSections' | 'defaults' | 'configOverrides' | 'log'> {
  /** Service name (default `device-test`). */
  name?: string;
  /** Device profiles, as in a profile file (EdgeX's DeviceProfile JSON/YAML shape). */
  profiles?: object[];
  /** Devices, as in a devices file; their `serviceName` is set to this service. */
  devices?: object[];
  /** A broker to use instead of the embedded one (e.g. a Mosquitto the test started). */
  broker?: { host: string; port: number };
  /** How long `get`/`set` wait for the service's reply (default 10 s). */
  commandTimeoutMs?: number;
}

/** GET options, as core-command's query parameters. */
export interface GetOptions {
  /** `ds-pushevent`: also publish the event on the bus (default false). */
  pushEvent?: boolean;
}

/** A command the device service answered with an error: `status` is what core-command would answer over REST. */
export class CommandError extends EdgeXError {
  constructor(
    readonly status: number,
    message: string,
    method: string,
  ) {
    super(kindOfHttpStatus(status, method), message);
  }
}

export interface TestDeviceService {
  /** The running device service (ports, config, `sdk` with its devices and profiles). */
  readonly service: DeviceServiceHandle;
  /** Every event the service published since it started. */
  readonly events: EventRecorder;
  /** GET `command` (a device command or resource) of `device`, as core-command sends it; resolves with the event. */
  get(device: string, command: string, options?: GetOptions): Promise<Event>;
  /** SET `command` of `device` with `{ resourceName: value }` (values as text or JSON values, as over REST). */
  set(device: string, command: string, values: Record<string, unknown>): Promise<void>;
  /** Stops the service (pending events are published first), the recorder and the embedded broker. */
  stop(): Promise<void>;
}

/** The services a test device service would look up: none is there (provisioning waits in the background). */
const noServices: Registry = {
  register: async () => undefined,
  deregister: async () => undefined,
  resolve: async (name) => {
    throw new EdgeXError('ServiceUnavailable', `${name} is not part of a test device service`);
  },
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `b` over `a`, plain objects merged key by key. */
function merge(a: Record<string, unknown>, b: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? merge(out[k], v) : v;
  return out;
}

/** Writes the profiles and devices where the service reads its files from. */
async function writeDefinitions(dir: string, profiles: object[], devices: object[]): Promise<void> {
  await Promise.all(['profiles', 'devices', 'provisionwatchers'].map((d) => mkdir(join(dir, d))));
  await Promise.all(profiles.map((p, i) => writeFile(join(dir, 'profiles', `${String(i).padStart(3, '0')}.json`), JSON.stringify(p))));
  await writeFile(join(dir, 'devices', 'devices.json'), JSON.stringify(devices));
}

/** Starts `driver` in a device service on an embedded broker (see {@link TestDeviceService}). */
export async function startTestDeviceService(opts: TestDeviceServiceOptions): Promise<TestDeviceService> {
  const name = opts.name ?? 'device-test';
  const dir = await mkdtemp(join(tmpdir(), 'edgex-ts-testing-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
  /** Every part stopped, the last started first; the first failure is thrown once all have run. */
  const stopAll = async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err: unknown) => failures.push(err));
    if (failures.length) throw failures[0];
  };
  try {
    await writeDefinitions(dir, opts.profiles ?? [], opts.devices ?? []);
    let broker: TestBroker | { host: string; port: number } | undefined = opts.broker;
    if (!broker) {
      const embedded = await startTestBroker();
      cleanups.push(() => embedded.close());
      broker = embedded;
    }
    // Subscribed before the service starts: the first auto-event reads happen at start.
    const events = await EventRecorder.connect({ host: broker.host, port: broker.port, serviceName: name });
    cleanups.push(() => events.close());
    const busConfig = messageBusSectionSchema.parse({
      Host: broker.host,
      Port: broker.port,
      Optional: { ClientId: `edgex-ts-core-command-${randomUUID()}`, CleanSession: true },
    });
    const bus: MessageBus = await connectMessageBus(busConfig, createLogger('test-core-command', 'ERROR'), busConfig.Optional.ClientId);
    cleanups.push(() => bus.close());
    const service = await startDeviceService({
      name,
      driver: opts.driver,
      configSections: opts.configSections,
      defaults: opts.defaults,
      log: opts.log,
      registry: noServices,
      argv: [],
      env: {},
      configOverrides: merge(
        {
          Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0 },
          Writable: { LogLevel: 'ERROR' },
          MessageBus: { Host: broker.host, Port: broker.port, Optional: { ClientId: `${name}-${randomUUID()}`, CleanSession: true } },
          Device: { ProfilesDir: join(dir, 'profiles'), DevicesDir: join(dir, 'devices'), ProvisionWatchersDir: join(dir, 'provisionwatchers') },
        },
        opts.configOverrides,
      ),
    });
    cleanups.push(() => service.stop());
    const timeoutMs = opts.commandTimeoutMs ?? 10_000;

    const command = async (device: string, cmd: string, method: 'get' | 'set', payload: object, queryParams?: Record<string, string>) => {
      const request = newEnvelope(payload, queryParams ? { queryParams } : {});
      const topic = commandRequestTopic(bus.prefix, name, device, cmd, method);
      const reply = await bus.request(topic, commandResponseTopicPrefix(bus.prefix, name), request, timeoutMs);
      const { status, message } = commandReplyStatus(reply);
      if (status !== 200)
        throw new CommandError(status, `${method.toUpperCase()} ${device}/${cmd}: ${status} ${message ?? ''}`.trim(), method === 'get' ? 'GET' : 'PUT');
      return reply;
    };

    return {
      service,
      events,
      get: async (device, cmd, options = {}) => {
        const reply = await command(device, cmd, 'get', new Uint8Array(0), { 'ds-pushevent': String(options.pushEvent ?? false), 'ds-returnevent': 'true' });
        return payloadJson<{ event: Event }>(reply).event;
      },
      set: async (device, cmd, values) => {
        await command(device, cmd, 'set', values);
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
