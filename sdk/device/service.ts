/**
 * `startDeviceService`: wires a protocol driver into a running EdgeX-compatible device service, and
 * `DeviceService`, which composes the parts (device cache, commands, auto-events, health, event delivery,
 * metadata sync, discovery, metrics) and runs the start and stop sequences. Each part lives in its own module
 * (see index.ts).
 */
import type { Logger } from 'pino';
import { EdgeXError, errorMessage, parseDuration, type Event } from '@edgex-ts/contracts';
import { createServiceRuntime, EDGEX_TS_VERSION, type RunningServiceHandle, type ServiceRuntime, type StartServiceOptions } from '@edgex-ts/runtime';
import type { z } from 'zod';
import { AutoEventManager } from './autoevents.js';
import { serveCommandsOnBus } from './command-bus.js';
import { addCommandRoutes } from './command-rest.js';
import { CommandExecutor } from './commands.js';
import type { DeviceServiceConfig } from './config.js';
import { DeviceCache, type DefinitionFiles } from './device-cache.js';
import { addDiscoveredDevices } from './discovered-devices.js';
import { addDiscoveryRoute, DiscoveryRunner } from './discovery-runner.js';
import type { AdminState, DeviceServiceSdk, ProtocolDriver } from './driver.js';
import { driverSdk } from './driver-sdk.js';
import { EventDelivery } from './event-delivery.js';
import { DeviceHealth } from './health.js';
import { DeviceLifecycle } from './lifecycle.js';
import { MetadataClient } from './metadata-client.js';
import { MetadataSync } from './metadata-sync.js';
import type { ProvisionResult } from './provision.js';
import { deviceDownTimeoutMs, loadDeviceServiceConfig, type DeviceServiceConfigInput } from './service-config.js';
import { registerDeviceServiceMetrics } from './service-metrics.js';
import { serveDeviceValidation } from './validation.js';

/** The options of every service's start (`configOverrides`, `file`, `argv`, `env`, `handleSignals`, `registry`, `log`) and a device service's own. */
export interface StartDeviceServiceOptions extends StartServiceOptions<DeviceServiceConfigInput> {
  /** Service name, e.g. `device-virtual`; also the MQTT client id and the `serviceName` of its devices. */
  name: string;
  driver: ProtocolDriver;
  /** Service-specific defaults (e.g. `{ Service: { Port: 59900, GrpcPort: 49900 } }`), below file and env. */
  defaults?: DeviceServiceConfigInput;
  version?: string;
  /**
   * Extra top-level config sections of this device service with their schemas (e.g. device-mqtt's
   * `MQTTBrokerInfo`): loaded and validated like the common ones (defaults < file < Consul < env < overrides;
   * env `MQTTBROKERINFO_HOST` sets `MQTTBrokerInfo.Host`) and handed to the driver as `sdk.customConfig`.
   */
  configSections?: Record<string, z.ZodType>;
}

/** A running device service: what every service's start returns (name, config, ports, runtime, stop) and its own. */
export interface DeviceServiceHandle extends RunningServiceHandle<DeviceServiceConfig> {
  /** Devices and profiles known to this service. */
  readonly sdk: DeviceServiceSdk;
  /** Settles when provisioning with core-metadata has succeeded (or failed for good, or the service stopped). */
  readonly provisioned: Promise<ProvisionResult | undefined>;
  /** LOCKED: every command answers 423 and auto-events pause. */
  setServiceAdminState(state: 'LOCKED' | 'UNLOCKED'): void;
  /** Changes a device's adminState in the local cache (LOCKED: commands answer 423, auto-events pause). */
  setDeviceAdminState(deviceName: string, state: 'LOCKED' | 'UNLOCKED'): void;
  /** Stops auto-events, drains pending events, stops the driver and the runtime. Idempotent. */
  stop(): Promise<void>;
}

export async function startDeviceService(opts: StartDeviceServiceOptions): Promise<DeviceServiceHandle> {
  const sections = opts.configSections ?? {};
  const config = loadDeviceServiceConfig({
    name: opts.name,
    defaults: opts.defaults,
    overrides: opts.configOverrides,
    sections,
    file: opts.file,
    argv: opts.argv,
    env: opts.env,
  });
  const runtime = await createServiceRuntime({
    name: opts.name,
    version: opts.version,
    sdkVersion: EDGEX_TS_VERSION,
    config,
    handleSignals: opts.handleSignals,
    registry: opts.registry,
    log: opts.log,
  });
  const service = new DeviceService(opts.name, opts.driver, runtime, Object.keys(sections));
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
  /** The command pipeline shared by the bus and REST command handlers (and auto-events). */
  readonly commands: CommandExecutor;
  private readonly log: Logger;
  private readonly cache = new DeviceCache();
  private readonly metadata: MetadataClient;
  private readonly metadataSync: MetadataSync;
  private readonly events: EventDelivery;
  private readonly health: DeviceHealth;
  private readonly autoEvents: AutoEventManager;
  private readonly discovery: DiscoveryRunner;
  /** Applies device/profile changes from core-metadata to the cache, the driver and the auto-events. */
  private readonly lifecycle: DeviceLifecycle;
  private readonly abort = new AbortController();
  private serviceAdminState: AdminState = 'UNLOCKED';
  private provisioning: Promise<ProvisionResult | undefined> = Promise.resolve(undefined);
  private stopping: Promise<void> | undefined;
  /** The start's steps after the runtime listens (see startParts). */
  private startingParts: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly driver: ProtocolDriver,
    readonly runtime: ServiceRuntime<DeviceServiceConfig>,
    customSections: string[] = [],
  ) {
    const config = (this.config = runtime.config);
    const log = (this.log = runtime.log);
    const cache = this.cache;
    const serviceLocked = () => this.serviceAdminState === 'LOCKED';
    this.metadata = new MetadataClient(runtime.registry, config.Clients);
    this.events = new EventDelivery({ serviceName: name, bus: runtime.bus, config, log });
    this.health = new DeviceHealth({
      log,
      allowedFails: config.Device.AllowedFails,
      probeIntervalMs: deviceDownTimeoutMs(config),
      stateOf: (n) => cache.devices.get(n)?.operatingState,
      setState: (n, state) => this.metadataSync.reportOperatingState(n, state),
      probe: async (n) => {
        const source = cache.probeSource(n);
        if (source) await this.commands.read(n, source, { probe: true });
      },
    });
    this.commands = new CommandExecutor({
      serviceName: name,
      driver,
      getDevice: (n) => cache.devices.get(n),
      getProfile: (n) => cache.profiles.get(n),
      serviceLocked,
      readingUnits: () => config.Writable.Reading.ReadingUnits,
      dataTransform: () => config.Device.DataTransform,
      onReadOutcome: (n, outcome) => (outcome.ok ? this.health.recordSuccess(n) : this.health.recordFailure(n, outcome.markDown)),
    });
    const metrics = registerDeviceServiceMetrics(runtime.metrics, {
      pendingEvents: () => this.events.pending,
      droppedEvents: () => this.events.dropped,
      autoEventSchedules: () => this.autoEvents.count,
    });
    this.autoEvents = new AutoEventManager({
      log,
      read: async (deviceName, sourceName) => {
        const d = cache.devices.get(deviceName);
        if (d && (d.operatingState === 'DOWN' || d.adminState === 'LOCKED' || serviceLocked())) return undefined;
        try {
          const event = await this.readNow(deviceName, sourceName);
          metrics.autoEventReads.inc({ result: 'ok' });
          return event;
        } catch (err) {
          metrics.autoEventReads.inc({ result: 'error' });
          throw err;
        }
      },
      deliver: (event) => this.events.deliver(event),
      serviceLocked,
    });
    this.discovery = new DiscoveryRunner({
      driver,
      enabled: () => config.Device.Discovery.Enabled,
      serviceLocked,
      intervalMs: parseDuration(config.Device.Discovery.Interval),
      log,
    });
    this.lifecycle = new DeviceLifecycle({
      serviceName: name,
      driver,
      devices: cache.devices,
      profiles: cache.profiles,
      autoEvents: this.autoEvents,
      health: this.health,
      log,
      fetchProfile: (profileName) => this.metadataSync.fetchProfile(profileName),
    });
    this.metadataSync = new MetadataSync({
      serviceName: name,
      cache,
      lifecycle: this.lifecycle,
      metadata: this.metadata,
      setServiceAdminState: (state) => this.setServiceAdminState(state),
      signal: this.abort.signal,
      escapeAllNames: config.Service.EnableNameFieldEscape,
      log,
    });
    this.sdk = driverSdk({
      serviceName: name,
      runtime,
      customSections,
      cache,
      pushAsyncReadings: async (deviceName, values, sourceName) => this.events.deliver(this.commands.asyncEvent(deviceName, values, sourceName)),
      publishDiscoveredDevices: (found) => addDiscoveredDevices(found, { serviceName: name, cache, metadata: this.metadata, log }),
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
    const files = await this.cache.loadFiles(this.config.Device, this.name, this.log);
    this.runtime.onStop(() => this.shutdown());
    await this.driver.initialize(this.sdk);
    const pushEvent = (event: Event) => this.events.deliver(event);
    addCommandRoutes(this.runtime.rest, this.commands, pushEvent);
    addDiscoveryRoute(this.runtime.rest, this.discovery);
    await this.runtime.start();
    this.startingParts = this.startParts(files, pushEvent);
    await this.startingParts;
  }

  /**
   * What runs once the runtime listens: commands and system events on the bus, the driver and its devices,
   * auto-events, discovery and provisioning. A stop that begins meanwhile (e.g. SIGTERM) ends it at the next step.
   */
  private async startParts(files: DefinitionFiles, pushEvent: (event: Event) => void): Promise<void> {
    const stopping = this.abort.signal;
    const bus = this.runtime.bus;
    if (bus) {
      const escapeAllNames = this.config.Service.EnableNameFieldEscape;
      await serveCommandsOnBus({ bus, serviceName: this.name, executor: this.commands, pushEvent, log: this.log, escapeAllNames });
      await serveDeviceValidation(bus, this.name, this.driver, this.log, escapeAllNames);
      await this.metadataSync.follow(bus);
    }
    const devices = [...this.cache.devices.values()];
    for (const d of devices) this.health.watch(d.name);
    for (const d of devices) {
      if (stopping.aborted) return;
      try {
        await this.driver.addDevice(d.name, d.protocols, d.adminState);
      } catch (err) {
        this.log.error({ device: d.name, err: errorMessage(err) }, 'driver refused device');
      }
    }
    if (stopping.aborted) return;
    await this.driver.start();
    if (stopping.aborted) return;
    for (const d of devices) await this.autoEvents.startDevice(d);
    this.log.info({ autoEvents: this.autoEvents.count }, 'auto-events started');
    this.discovery.start();
    if (stopping.aborted) return;
    const svc = this.config.Service;
    this.provisioning = this.metadataSync.provisionThenAdopt(files, {
      name: this.name,
      baseAddress: `http://${svc.Host}:${this.runtime.restPort}`,
      adminState: 'UNLOCKED',
      labels: this.config.Device.Labels,
    });
  }

  /** Reads `sourceName` of a device now, as a GET command does, and returns the event (not published). */
  readNow(deviceName: string, sourceName: string): Promise<Event> {
    return this.commands.read(deviceName, sourceName);
  }

  /** LOCKED makes every command answer 423 and pauses auto-events (EdgeX device service adminState). */
  setServiceAdminState(state: AdminState): void {
    if (state === this.serviceAdminState) return;
    this.log.info({ adminState: state }, `device service ${this.name} is ${state}`);
    this.serviceAdminState = state;
    void this.lifecycle.serial(async () => {
      if (this.serviceAdminState === 'LOCKED') await this.autoEvents.stopAll();
      else for (const d of this.cache.devices.values()) await this.autoEvents.startDevice(d);
    });
  }

  /** Changes a device's adminState in the local cache (LOCKED: commands answer 423, auto-events pause). */
  setDeviceAdminState(deviceName: string, state: AdminState): void {
    this.cache.setAdminState(deviceName, state);
  }

  /** The bus topic of an event: `<prefix>/events/device/<service>/<profile>/<device>/<source>`. */
  eventTopic(event: Event): string {
    return this.events.topicOf(event);
  }

  stop(): Promise<void> {
    return this.runtime.stop();
  }

  /**
   * Runs as the runtime's onStop hook (before the bus closes). From its first step on nothing starts again:
   * the abort ends provisioning and reports to core-metadata, closed auto-events, lifecycle, discovery and health
   * refuse to start anything, and what is under way (a device change, a discovery, the start's last steps) is
   * awaited before the driver stops.
   */
  private shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort(new EdgeXError('ServiceUnavailable', `${this.name} stopping`));
      this.health.close();
      await this.autoEvents.close();
      await this.discovery.stop();
      await this.startingParts?.catch(() => undefined);
      await this.lifecycle.close();
      await this.events.close();
      await this.provisioning;
      try {
        await this.driver.stop(false);
      } catch (err) {
        this.log.error({ err: errorMessage(err) }, 'driver stop failed');
      }
      this.metadata.close();
    })();
    return this.stopping;
  }
}
