/**
 * `startDeviceService`: wires a protocol driver into a running EdgeX-compatible device service —
 * config, service runtime (REST/gRPC/bus), profiles and devices from files, provisioning with
 * core-metadata (in the background, retried until reachable), and interval auto-events on the bus.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import type { Device, DeviceProfile, DeviceResource, Event } from '../contracts/index.js';
import { CoreMetadataClient } from '../client/index.js';
import {
  createServiceRuntime,
  loadConfig,
  newEnvelope,
  newCounter,
  type DeepPartial,
  type Registry,
  type ServiceRuntime,
} from '../runtime/index.js';
import { AutoEventManager } from './autoevents.js';
import { deviceServiceConfigSchema, type DeviceServiceConfig } from './config.js';
import type { DeviceServiceSdk, ProtocolDriver } from './driver.js';
import { loadDevices, loadProfiles } from './files.js';
import { provision, type ProvisionResult } from './provision.js';
import { readSource } from './read.js';
import { EventPublisher } from './publisher.js';

type ConfigInput = DeepPartial<import('zod').input<typeof deviceServiceConfigSchema>>;

export interface StartDeviceServiceOptions {
  /** Service name, e.g. `device-virtual`; also the MQTT client id and the `serviceName` of its devices. */
  name: string;
  driver: ProtocolDriver;
  /** Service-specific defaults (e.g. `{ Service: { Port: 59900, GrpcPort: 49900 } }`), below file and env. */
  defaults?: ConfigInput;
  /** Highest-precedence config (tests, all-in-one). */
  configOverrides?: ConfigInput;
  /** SIGTERM/SIGINT stop the service and exit the process. */
  handleSignals?: boolean;
  version?: string;
  /** Defaults to the static registry built from `Clients`. */
  registry?: Registry;
  log?: Logger;
  /** Config file, argv and env (default: the process's). */
  file?: string;
  argv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** A running device service. */
export interface DeviceServiceHandle {
  readonly name: string;
  readonly config: DeviceServiceConfig;
  readonly runtime: ServiceRuntime<DeviceServiceConfig>;
  /** Actual REST / gRPC ports (useful when configured as 0). */
  readonly restPort: number;
  readonly grpcPort: number;
  /** Devices and profiles known to this service. */
  readonly sdk: DeviceServiceSdk;
  /** Settles when provisioning with core-metadata has succeeded (or failed for good, or the service stopped). */
  readonly provisioned: Promise<ProvisionResult | undefined>;
  /** Stops auto-events, drains pending events, stops the driver and the runtime. Idempotent. */
  stop(): Promise<void>;
}

/** Defaults every device service shares (EdgeX device-sdk defaults plus where core-metadata lives). */
const SDK_DEFAULTS: ConfigInput = {
  Clients: { 'core-metadata': { Host: 'localhost', Port: 59881, GrpcPort: 49881 } },
};

export async function startDeviceService(opts: StartDeviceServiceOptions): Promise<DeviceServiceHandle> {
  const config = loadConfig({
    service: opts.name,
    schema: deviceServiceConfigSchema,
    defaults: deepMerge(SDK_DEFAULTS, opts.defaults ?? {}) as ConfigInput,
    overrides: opts.configOverrides,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
  });
  const runtime = await createServiceRuntime({
    name: opts.name,
    version: opts.version,
    config,
    handleSignals: opts.handleSignals,
    registry: opts.registry,
    log: opts.log,
  });
  const service = new DeviceService(opts.name, opts.driver, runtime);
  try {
    await service.start();
  } catch (err) {
    await runtime.stop().catch(() => undefined);
    throw err;
  }
  return service;
}

/** The device service behind {@link startDeviceService}; one instance per service. */
export class DeviceService implements DeviceServiceHandle {
  readonly config: DeviceServiceConfig;
  readonly sdk: DeviceServiceSdk;
  private readonly devices = new Map<string, Device>();
  private readonly profiles = new Map<string, DeviceProfile>();
  private readonly log: Logger;
  private readonly autoEvents: AutoEventManager;
  private readonly publisher: EventPublisher<Event>;
  private readonly abort = new AbortController();
  private provisioning: Promise<ProvisionResult | undefined> = Promise.resolve(undefined);
  private stopping: Promise<void> | undefined;
  private warnedNoBus = false;

  constructor(
    readonly name: string,
    private readonly driver: ProtocolDriver,
    readonly runtime: ServiceRuntime<DeviceServiceConfig>,
  ) {
    this.config = runtime.config;
    this.log = runtime.log;
    const self = this;
    this.sdk = {
      serviceName: name,
      log: runtime.log,
      driverConfig: Object.freeze({ ...runtime.config.Driver }),
      getDevice: (n) => self.devices.get(n),
      getDevices: () => [...self.devices.values()],
      getProfile: (n) => self.profiles.get(n),
      deviceResource: (deviceName, resourceName): DeviceResource | undefined => {
        const d = self.devices.get(deviceName);
        const p = d && self.profiles.get(d.profileName);
        return p?.deviceResources.find((r) => r.name === resourceName);
      },
    };
    const m = runtime.metrics;
    const read = newCounter(m, 'device_readings_total', 'Auto-event reads', ['result']);
    this.publisher = new EventPublisher<Event>({
      log: this.log,
      maxPendingPerDevice: this.config.Device.MaxPendingEvents,
      publish: (topic, event) => this.publishEvent(topic, event),
      keptByBus: (err) => err instanceof Error && /not acknowledged within/.test(err.message),
    });
    const publisher = this.publisher;
    new Gauge({
      name: 'device_events_pending',
      help: 'Events waiting for the message bus (all devices)',
      registers: [m],
      collect() {
        this.set(publisher.pending);
      },
    });
    new Gauge({
      name: 'device_events_dropped',
      help: 'Events dropped since start because a device queue was full',
      registers: [m],
      collect() {
        this.set(publisher.dropped);
      },
    });
    this.autoEvents = new AutoEventManager({
      log: this.log,
      read: async (deviceName, sourceName) => {
        try {
          const ev = await this.readNow(deviceName, sourceName);
          read.inc({ result: 'ok' });
          return ev;
        } catch (err) {
          read.inc({ result: 'error' });
          throw err;
        }
      },
      deliver: (event) => this.deliver(event),
    });
  }

  get restPort(): number {
    return this.runtime.restPort;
  }
  get grpcPort(): number {
    return this.runtime.grpcPort;
  }
  get provisioned(): Promise<ProvisionResult | undefined> {
    return this.provisioning;
  }

  /** Loads files, starts the runtime, the driver, auto-events and (in the background) provisioning. */
  async start(): Promise<void> {
    const dev = this.config.Device;
    const profilesDir = resolve(dev.ProfilesDir);
    const devicesDir = resolve(dev.DevicesDir);
    const profiles = await loadProfiles(profilesDir);
    const devices = await loadDevices(devicesDir, this.name);
    for (const p of profiles) this.profiles.set(p.value.name, p.value);
    for (const d of devices) {
      if (!this.profiles.has(d.value.profileName)) {
        this.log.warn({ device: d.value.name, file: d.file }, `device ${d.value.name}: profile ${d.value.profileName} is not among the profile files; its auto-events will fail until it is known`);
      }
      this.devices.set(d.value.name, d.value);
    }
    this.log.info({ profilesDir, devicesDir, profiles: profiles.length, devices: devices.length }, 'loaded profiles and devices');

    this.runtime.onStop(() => this.shutdown());
    await this.driver.initialize(this.sdk);
    await this.runtime.start();
    for (const d of this.devices.values()) {
      try {
        await this.driver.addDevice(d.name, d.protocols, d.adminState);
      } catch (err) {
        this.log.error({ device: d.name, err: (err as Error).message }, 'driver refused device');
      }
    }
    await this.driver.start();
    for (const d of this.devices.values()) await this.autoEvents.startDevice(d);
    this.log.info({ autoEvents: this.autoEvents.count }, 'auto-events started');
    this.provisioning = this.startProvisioning(
      profiles.map((p) => p.value),
      devices.map((d) => d.value),
    );
  }

  /** Reads `sourceName` of a device now, as an auto-event does, and returns the event (not published). */
  async readNow(deviceName: string, sourceName: string): Promise<Event> {
    const device = this.devices.get(deviceName);
    if (!device) throw new Error(`device ${deviceName} is not known to ${this.name}`);
    const profile = this.profiles.get(device.profileName);
    if (!profile) throw new Error(`device ${deviceName}: profile ${device.profileName} is not known to ${this.name}`);
    return readSource(this.driver, device, profile, sourceName, { readingUnits: this.config.Writable.Reading.ReadingUnits });
  }

  /** The bus topic of an event: `<prefix>/events/device/<service>/<profile>/<device>/<source>`. */
  eventTopic(event: Event): string {
    const prefix = this.runtime.bus?.prefix ?? this.config.MessageBus.BaseTopicPrefix;
    return [prefix, 'events', 'device', this.name, event.profileName, event.deviceName, event.sourceName].join('/');
  }

  private deliver(event: Event): void {
    if (!this.runtime.bus) {
      if (!this.warnedNoBus) this.log.warn('MessageBus.Disabled: auto-event readings are not published');
      this.warnedNoBus = true;
      return;
    }
    this.publisher.enqueue(event.deviceName, this.eventTopic(event), event);
  }

  private async publishEvent(topic: string, event: Event): Promise<void> {
    const bus = this.runtime.bus;
    if (!bus) throw new Error('message bus disabled');
    await bus.publish(topic, newEnvelope({ apiVersion: 'v3', requestId: crypto.randomUUID(), event }));
  }

  private startProvisioning(profiles: DeviceProfile[], devices: Device[]): Promise<ProvisionResult | undefined> {
    const svc = this.config.Service;
    return provision({
      service: {
        name: this.name,
        baseAddress: `http://${svc.Host}:${this.runtime.restPort}`,
        adminState: 'UNLOCKED',
        labels: this.config.Device.Labels,
      },
      profiles,
      devices,
      log: this.log,
      signal: this.abort.signal,
      connect: async () => {
        const ep = await this.runtime.registry.resolve('core-metadata');
        return new CoreMetadataClient(`${ep.host}:${ep.grpcPort}`);
      },
    }).catch((err: unknown) => {
      if (this.abort.signal.aborted) return undefined;
      this.log.error({ err: (err as Error).message }, 'provisioning with core-metadata failed');
      return undefined;
    });
  }

  stop(): Promise<void> {
    return this.runtime.stop();
  }

  /** Runs as the runtime's onStop hook (before the bus closes). */
  private shutdown(): Promise<void> {
    if (!this.stopping) {
      this.stopping = (async () => {
        this.abort.abort(new Error(`${this.name} stopping`));
        await this.autoEvents.stopAll();
        await this.publisher.close();
        await this.provisioning;
        try {
          await this.driver.stop(false);
        } catch (err) {
          this.log.error({ err: (err as Error).message }, 'driver stop failed');
        }
      })();
    }
    return this.stopping;
  }
}

function deepMerge(a: unknown, b: unknown): unknown {
  if (b === undefined) return a;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = deepMerge(out[k], v);
    return out;
  }
  return b;
}
