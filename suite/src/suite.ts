import { startCoreCommand } from '@edgex-ts/core-command';
import { startCoreData } from '@edgex-ts/core-data';
import { startCoreMetadata } from '@edgex-ts/core-metadata';
import { startDeviceModbus } from '@edgex-ts/device-modbus';
import { startDeviceMqtt } from '@edgex-ts/device-mqtt';
import { startDeviceSnmp } from '@edgex-ts/device-snmp';
import { startDeviceVirtual } from '@edgex-ts/device-virtual';
import { startSupportLogging } from '@edgex-ts/support-logging';
import { startSupportNotifications } from '@edgex-ts/support-notifications';
import { startSupportScheduler } from '@edgex-ts/support-scheduler';
import { join, resolve } from 'node:path';
import type { CommonConfig, RunningServiceHandle, StartServiceOptions } from '@edgex-ts/runtime';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { PortReservations } from './port-reservations.js';

/** What the suite needs to know about each service it runs: how to start it and its EdgeX ports. */
interface ServiceSpec {
  name: string;
  restPort: number;
  grpcPort: number;
  start: (options: StartOptions) => Promise<RunningService>;
  /**
   * A device service whose devices are the user's, not examples: it reads its device files from
   * `<dataDir>/devices/<name>/` (none there: it starts with no devices; more come through core-metadata).
   */
  userDevices?: true;
  /** Its devices' broker (EdgeX `MQTTBrokerInfo`) defaults to the suite's message bus broker. */
  deviceBroker?: true;
  /** Listens for SNMP traps on `Driver.TrapPort` (a fixed UDP port: off when the suite runs on ephemeral ports). */
  trapListener?: true;
  /** Config that depends on where the services started before it listen. */
  configFor?: (clients: Record<string, ClientEndpoint>) => Record<string, unknown>;
}

/** Where a service started before reaches another. */
interface ClientEndpoint {
  Host: string;
  Port: number;
  GrpcPort: number;
  Protocol: 'grpc';
}

/** What the suite passes every service: no signals (the suite's process handles them), no command line of its own. */
type StartOptions = StartServiceOptions & { handleSignals: false };

/** Every `start<Service>()` takes the same options and hands back the same handle. */
type RunningService = RunningServiceHandle<CommonConfig>;

/**
 * Start order follows dependencies: support-logging first, so that it stores every other service's log from its
 * first line; device services provision into core-metadata and publish to core-data; core-command looks devices
 * up in core-metadata and reaches device services over the bus; support-scheduler's jobs call core-data and
 * core-command.
 */
const SERVICES: ServiceSpec[] = [
  { name: 'support-logging', restPort: 48061, grpcPort: 38061, start: startSupportLogging },
  { name: 'core-metadata', restPort: 59881, grpcPort: 49881, start: startCoreMetadata },
  { name: 'core-data', restPort: 59880, grpcPort: 49880, start: startCoreData },
  { name: 'core-command', restPort: 59882, grpcPort: 49882, start: startCoreCommand },
  { name: 'device-virtual', restPort: 59900, grpcPort: 49900, start: startDeviceVirtual },
  { name: 'device-modbus', restPort: 59901, grpcPort: 49901, start: startDeviceModbus, userDevices: true },
  { name: 'device-snmp', restPort: 59993, grpcPort: 49993, start: startDeviceSnmp, userDevices: true, trapListener: true },
  // Its MQTT devices publish and answer commands on the suite's broker.
  { name: 'device-mqtt', restPort: 59982, grpcPort: 49982, start: startDeviceMqtt, userDevices: true, deviceBroker: true },
  { name: 'support-notifications', restPort: 59860, grpcPort: 49860, start: startSupportNotifications },
  {
    name: 'support-scheduler',
    restPort: 59861,
    grpcPort: 49861,
    start: startSupportScheduler,
    // EdgeX's scrub-aged-events calls core-data's REST API at a configured address: the one core-data got.
    configFor: (clients) => ({ IntervalActions: { ScrubAged: { Host: clients['core-data'].Host, Port: clients['core-data'].Port } } }),
  },
];

export interface StartSuiteOptions {
  /** Folder for the SQLite files (default ./data). */
  dataDir?: string;
  /** Address the services bind to and advertise (default localhost). */
  host?: string;
  /** Use ports the kernel picks instead of EdgeX's (tests run several suites side by side). */
  ephemeralPorts?: boolean;
  /** Port of the embedded MQTT broker (default 1883); ignored when `externalBroker` is given. */
  brokerPort?: number;
  /** Use this broker instead of starting the embedded one. */
  externalBroker?: { host: string; port: number };
  /** Extra config for every service, e.g. { Writable: { LogLevel: 'DEBUG' } }. */
  commonOverrides?: Record<string, unknown>;
  /** Per-service config, by service name. */
  serviceOverrides?: Record<string, Record<string, unknown>>;
  /** Environment passed to the services (only MESSAGEBUS_* and WRITABLE_* make sense suite-wide). */
  env?: NodeJS.ProcessEnv;
}

export interface ServiceEndpoints {
  name: string;
  rest: string;
  grpc: string;
  restPort: number;
  grpcPort: number;
}

export interface Suite {
  readonly services: ServiceEndpoints[];
  readonly broker: { host: string; port: number; embedded: boolean };
  endpoint(name: string): ServiceEndpoints;
  stop(): Promise<void>;
}

export async function startSuite(options: StartSuiteOptions = {}): Promise<Suite> {
  const host = options.host ?? 'localhost';
  const dataDir = resolve(options.dataDir ?? './data');
  let embedded: EmbeddedBroker | undefined;
  const broker = options.externalBroker
    ? { ...options.externalBroker, embedded: false }
    : await (async () => {
        const bindHost = host === 'localhost' ? '127.0.0.1' : host;
        // The services reach it on the address it listens on (loopback when it listens on every interface).
        const connectHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
        embedded = await startEmbeddedBroker(bindHost, options.ephemeralPorts ? 0 : (options.brokerPort ?? 1883), connectHost);
        return { host: connectHost, port: embedded.port, embedded: true };
      })();

  const reservations = options.ephemeralPorts
    ? undefined
    : await PortReservations.hold(
        SERVICES.flatMap((spec) => [spec.restPort, spec.grpcPort]),
        '0.0.0.0',
      );
  const running: { spec: ServiceSpec; service: RunningService }[] = [];
  // Inside one process every service is ours: they reach each other over our gRPC API (the device services'
  // default, EdgeX's REST API, is for joining an EdgeX deployment, and its HTTP client costs a few MB here).
  const clients: Record<string, ClientEndpoint> = {};
  for (const spec of SERVICES) {
    clients[spec.name] = { Host: host, Port: spec.restPort, GrpcPort: spec.grpcPort, Protocol: 'grpc' };
  }
  const stopAll = async () => {
    await reservations?.releaseAll();
    for (const { service } of [...running].reverse()) {
      await service.stop().catch((err) => console.error(`stopping a service failed: ${String(err)}`));
    }
    await embedded?.close();
  };

  try {
    for (const spec of SERVICES) {
      const configOverrides = mergeDeep(
        {
          Service: {
            Host: host,
            Port: options.ephemeralPorts ? 0 : spec.restPort,
            GrpcPort: options.ephemeralPorts ? 0 : spec.grpcPort,
          },
          Database: { Path: join(dataDir, `${spec.name}.db`) },
          MessageBus: { Host: broker.host, Port: broker.port },
          Clients: clients,
          ...(spec.userDevices ? { Device: { DevicesDir: join(dataDir, 'devices', spec.name) } } : {}),
        },
        spec.deviceBroker ? { MQTTBrokerInfo: { Host: broker.host, Port: broker.port } } : {},
        spec.trapListener && options.ephemeralPorts ? { Driver: { TrapPort: '0' } } : {},
        spec.configFor?.(clients) ?? {},
        options.commonOverrides ?? {},
        options.serviceOverrides?.[spec.name] ?? {},
      );
      await reservations?.release(spec.restPort, spec.grpcPort);
      // Empty argv: the suite's own command line is not meant for the services (each would read its --config).
      const service = await spec.start({ configOverrides, env: options.env ?? {}, argv: [], handleSignals: false });
      running.push({ spec, service });
      // Later services find this one at the port it actually got (differs from EdgeX's with ephemeralPorts).
      clients[spec.name] = { Host: host, Port: service.restPort, GrpcPort: service.grpcPort, Protocol: 'grpc' };
    }
  } catch (err) {
    await stopAll();
    throw err;
  }

  const services = running.map(({ spec, service }) => ({
    name: spec.name,
    restPort: service.restPort,
    grpcPort: service.grpcPort,
    rest: `http://${host}:${service.restPort}`,
    grpc: `${host}:${service.grpcPort}`,
  }));
  return {
    services,
    broker,
    endpoint(name) {
      const found = services.find((s) => s.name === name);
      if (!found) throw new RangeError(`the suite runs no service named ${name}`);
      return found;
    },
    stop: stopAll,
  };
}

type Plain = Record<string, unknown>;
function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function mergeDeep(...layers: Plain[]): Plain {
  const out: Plain = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      out[k] = isPlain(v) && isPlain(out[k]) ? mergeDeep(out[k], v) : v;
    }
  }
  return out;
}
