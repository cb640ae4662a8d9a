/**
 * `startDeviceService`: wires a protocol driver into a running EdgeX-compatible device service —
 * config, service runtime (REST/gRPC/bus), profiles and devices from files, provisioning with
 * core-metadata (in the background, retried until reachable), and interval auto-events on the bus.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import type { z } from 'zod';
import { EdgeXError, type Device, type DeviceProfile, type DeviceResource, type Event, type ProvisionWatcher } from '@edgex-ts/contracts';
import { coreMetadataClientFor, type CoreMetadataApi } from '@edgex-ts/client';
import {
  createServiceRuntime,
  EDGEX_TS_VERSION,
  insecureSecretNamed,
  loadConfig,
  newEnvelope,
  newCounter,
  topicLevel,
  type DeepPartial,
  type Registry,
  type ServiceRuntime,
} from '@edgex-ts/runtime';
import { AutoEventManager } from './autoevents.js';
import { deviceServiceConfigSchema, type DeviceServiceConfig } from './config.js';
import type { DeviceServiceSdk, ProtocolDriver } from './driver.js';
import { loadDevices, loadProfiles, loadProvisionWatchers } from './files.js';
import { deviceFromDiscovery, matchingWatcher, type DiscoveredDevice, type DiscoveryResult } from './discovery.js';
import { DiscoveryRunner, addDiscoveryRoute } from './discovery-runner.js';
import { provision, type ProvisionResult } from './provision.js';
import { EventPublisher } from './publisher.js';
import { CommandExecutor } from './commands.js';
import { serveCommandsOnBus } from './command-bus.js';
import { addCommandRoutes } from './command-rest.js';
import { DeviceHealth, type OperatingState } from './health.js';
import { DeviceLifecycle } from './lifecycle.js';
import { subscribeSystemEvents } from './system-events.js';
import { serveDeviceValidation } from './validation.js';
import { parseDuration } from '@edgex-ts/contracts';

type ConfigInput = DeepPartial<z.input<typeof deviceServiceConfigSchema>> & Record<string, unknown>;

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
  /**
   * Extra top-level config sections of this device service with their schemas (e.g. device-mqtt's
   * `MQTTBrokerInfo`): loaded and validated like the common ones (defaults < file < Consul < env < overrides;
   * env `MQTTBROKERINFO_HOST` sets `MQTTBrokerInfo.Host`) and handed to the driver as `sdk.customConfig`.
   */
  configSections?: Record<string, z.ZodType>;
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
  /** LOCKED: every command answers 423 and auto-events pause. */
  setServiceAdminState(state: 'LOCKED' | 'UNLOCKED'): void;
  /** Changes a device's adminState in the local cache (LOCKED: commands answer 423, auto-events pause). */
  setDeviceAdminState(deviceName: string, state: 'LOCKED' | 'UNLOCKED'): void;
  /** Stops auto-events, drains pending events, stops the driver and the runtime. Idempotent. */
  stop(): Promise<void>;
}

/** Defaults every device service shares (EdgeX device-sdk defaults plus where core-metadata lives). */
const SDK_DEFAULTS: ConfigInput = {
  Clients: { 'core-metadata': { Host: 'localhost', Port: 59881, GrpcPort: 49881 } },
};

export async function startDeviceService(opts: StartDeviceServiceOptions): Promise<DeviceServiceHandle> {
  const sections = opts.configSections ?? {};
  const reserved = Object.keys(sections).filter((k) => k in deviceServiceConfigSchema.shape);
  if (reserved.length) throw new TypeError(`configSections: ${reserved.join(', ')} is a section of every device service; pick another name`);
  // The extra sections ride along in the config object; the SDK itself only reads the common ones.
  const config = loadConfig({
    service: opts.name,
    schema: deviceServiceConfigSchema.extend(sections) as unknown as typeof deviceServiceConfigSchema,
    defaults: deepMerge(SDK_DEFAULTS, opts.defaults ?? {}) as ConfigInput,
    overrides: opts.configOverrides,
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
  private readonly devices = new Map<string, Device>();
  private readonly profiles = new Map<string, DeviceProfile>();
  /** This service's provision watchers (files at start, then core-metadata's). */
  private readonly watchers = new Map<string, ProvisionWatcher>();
  private readonly discovery: DiscoveryRunner;
  private readonly log: Logger;
  private readonly autoEvents: AutoEventManager;
  private readonly publisher: EventPublisher<Event>;
  private readonly abort = new AbortController();
  private provisioning: Promise<ProvisionResult | undefined> = Promise.resolve(undefined);
  private stopping: Promise<void> | undefined;
  private warnedNoBus = false;
  /** The command pipeline shared by the bus and REST command handlers (and auto-events). */
  readonly commands: CommandExecutor;
  private readonly health: DeviceHealth;
  private serviceAdminState: 'LOCKED' | 'UNLOCKED' = 'UNLOCKED';
  private metadataClient: CoreMetadataApi | undefined;
  private metadataConnecting: Promise<CoreMetadataApi> | undefined;
  /** Applies device/profile changes from core-metadata to the cache, the driver and the auto-events. */
  private readonly lifecycle: DeviceLifecycle;

  constructor(
    readonly name: string,
    private readonly driver: ProtocolDriver,
    readonly runtime: ServiceRuntime<DeviceServiceConfig>,
    customSections: string[] = [],
  ) {
    this.config = runtime.config;
    this.log = runtime.log;
    const self = this;
    this.sdk = {
      serviceName: name,
      log: runtime.log,
      driverConfig: Object.freeze({ ...runtime.config.Driver }),
      customConfig: Object.freeze(Object.fromEntries(customSections.map((k) => [k, (runtime.config as Record<string, unknown>)[k]]))),
      secret: (secretName) => insecureSecretNamed(runtime.config.Writable.InsecureSecrets, secretName)?.SecretData,
      onSecretChange: (listener) =>
        runtime.onWritableChange((changes) => {
          const entries = new Set(changes.filter((c) => c.path[1] === 'InsecureSecrets' && c.path[2] !== undefined).map((c) => c.path[2]!));
          for (const entry of entries) listener(runtime.config.Writable.InsecureSecrets[entry]?.SecretName || entry);
        }),
      getDevice: (n) => self.devices.get(n),
      getDevices: () => [...self.devices.values()],
      getProfile: (n) => self.profiles.get(n),
      deviceResource: (deviceName, resourceName): DeviceResource | undefined => {
        const d = self.devices.get(deviceName);
        const p = d && self.profiles.get(d.profileName);
        return p?.deviceResources.find((r) => r.name === resourceName);
      },
      pushAsyncReadings: async (deviceName, values, sourceName) => {
        const event = self.commands.asyncEvent(deviceName, values, sourceName);
        self.deliver(event);
      },
      publishDiscoveredDevices: (found) => self.addDiscovered(found),
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
    new Gauge({
      name: 'device_autoevents_running',
      help: 'Auto-event schedules running (LOCKED devices have none)',
      registers: [m],
      collect() {
        this.set(self.autoEvents.count);
      },
    });
    this.health = new DeviceHealth({
      log: this.log,
      allowedFails: this.config.Device.AllowedFails,
      probeIntervalMs: durationMs(this.config.Device.DeviceDownTimeout),
      stateOf: (n) => this.devices.get(n)?.operatingState,
      setState: (n, state) => this.setOperatingState(n, state),
      probe: async (n) => {
        const source = this.probeSource(n);
        if (source) await this.commands.read(n, source, { probe: true });
      },
    });
    this.commands = new CommandExecutor({
      serviceName: name,
      driver,
      getDevice: (n) => this.devices.get(n),
      getProfile: (n) => this.profiles.get(n),
      serviceLocked: () => this.serviceAdminState === 'LOCKED',
      readingUnits: () => this.config.Writable.Reading.ReadingUnits,
      dataTransform: () => this.config.Device.DataTransform,
      onReadOutcome: (n, outcome) => (outcome.ok ? this.health.recordSuccess(n) : this.health.recordFailure(n, outcome.markDown)),
    });
    this.autoEvents = new AutoEventManager({
      log: this.log,
      read: async (deviceName, sourceName) => {
        const d = this.devices.get(deviceName);
        if (d && (d.operatingState === 'DOWN' || d.adminState === 'LOCKED' || this.serviceAdminState === 'LOCKED')) return undefined;
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
      serviceLocked: () => this.serviceAdminState === 'LOCKED',
    });
    this.discovery = new DiscoveryRunner({
      driver,
      enabled: () => this.config.Device.Discovery.Enabled,
      serviceLocked: () => this.serviceAdminState === 'LOCKED',
      intervalMs: parseDuration(this.config.Device.Discovery.Interval),
      log: this.log,
    });
    this.lifecycle = new DeviceLifecycle({
      serviceName: name,
      driver,
      devices: this.devices,
      profiles: this.profiles,
      autoEvents: this.autoEvents,
      health: this.health,
      log: this.log,
      fetchProfile: async (profileName) => {
        try {
          return await (await this.metadata()).getDeviceProfile(profileName);
        } catch (err) {
          this.log.warn({ profile: profileName, err: (err as Error).message }, 'could not fetch profile from core-metadata');
          return undefined;
        }
      },
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
    const watchers = await loadProvisionWatchers(resolve(dev.ProvisionWatchersDir), this.name);
    for (const p of profiles) this.profiles.set(p.value.name, p.value);
    for (const w of watchers) this.watchers.set(w.value.name, w.value);
    for (const d of devices) {
      if (!this.profiles.has(d.value.profileName)) {
        this.log.warn({ device: d.value.name, file: d.file }, `device ${d.value.name}: profile ${d.value.profileName} is not among the profile files; its auto-events will fail until it is known`);
      }
      this.devices.set(d.value.name, d.value);
    }
    this.log.info({ profilesDir, devicesDir, profiles: profiles.length, devices: devices.length }, 'loaded profiles and devices');

    this.runtime.onStop(() => this.shutdown());
    await this.driver.initialize(this.sdk);
    addCommandRoutes(this.runtime.rest, this.commands, (event) => this.deliver(event));
    addDiscoveryRoute(this.runtime.rest, this.discovery);
    await this.runtime.start();
    if (this.runtime.bus) {
      const escapeAllNames = this.config.Service.EnableNameFieldEscape;
      await serveCommandsOnBus({ bus: this.runtime.bus, serviceName: this.name, executor: this.commands, pushEvent: (event) => this.deliver(event), log: this.log, escapeAllNames });
      await serveDeviceValidation(this.runtime.bus, this.name, this.driver, this.log, escapeAllNames);
      await this.followMetadata(this.runtime.bus);
    }
    for (const d of this.devices.values()) this.health.watch(d.name);
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
    this.discovery.start();
    this.provisioning = this.startProvisioning(
      profiles.map((p) => p.value),
      devices.map((d) => d.value),
      watchers.map((w) => w.value),
    ).then(async (result) => {
      if (result) await this.syncFromMetadata();
      return result;
    });
  }

  /** Follows core-metadata's system events for this service (devices, profiles, the service record). */
  private async followMetadata(bus: NonNullable<ServiceRuntime['bus']>): Promise<void> {
    const lc = this.lifecycle;
    await subscribeSystemEvents(
      bus,
      this.name,
      {
        deviceAdded: (d) => lc.add(d),
        deviceUpdated: (d) => lc.update(d),
        deviceDeleted: (d) => lc.remove(d.name),
        profileUpdated: (p) => lc.updateProfile(p),
        profileDeleted: (p) => lc.removeProfile(p.name),
        serviceUpdated: async (s) => this.setServiceAdminState(s.adminState),
        watcherAdded: async (w) => void this.watchers.set(w.name, w),
        watcherUpdated: async (w) => void (w.serviceName === this.name ? this.watchers.set(w.name, w) : this.watchers.delete(w.name)),
        watcherDeleted: async (w) => void this.watchers.delete(w.name),
      },
      this.log,
      this.config.Service.EnableNameFieldEscape,
    );
  }

  /**
   * After provisioning, core-metadata is the record: its devices of this service are taken (added or updated
   * here), cached devices it does not hold are dropped (e.g. a file device it refused), and the service's
   * adminState is adopted.
   */
  private async syncFromMetadata(): Promise<void> {
    if (this.abort.signal.aborted) return;
    try {
      const md = await this.metadata();
      const service = await md.getDeviceService(this.name);
      this.setServiceAdminState(service.adminState);
      const known: Device[] = [];
      for (let offset = 0; ; ) {
        const page = await md.listDevices({ serviceName: this.name, offset, limit: 500 });
        known.push(...page.devices);
        offset += page.devices.length;
        if (page.devices.length === 0 || offset >= page.totalCount) break;
      }
      const { provisionWatchers } = await md.listProvisionWatchers({ serviceName: this.name, limit: -1 });
      this.watchers.clear();
      for (const w of provisionWatchers) this.watchers.set(w.name, w);
      const names = new Set(known.map((d) => d.name));
      for (const d of known) await this.lifecycle.update(d);
      for (const name of [...this.devices.keys()]) if (!names.has(name)) await this.lifecycle.remove(name);
      this.log.info({ devices: known.length }, 'device cache synced with core-metadata');
    } catch (err) {
      if (!this.abort.signal.aborted) this.log.error({ err: (err as Error).message }, 'could not sync devices from core-metadata');
    }
  }

  /**
   * Discovered devices → core-metadata: each unknown device accepted by a provision watcher is added (core-metadata
   * validates it with this service and announces it, which adds it here through the system event).
   */
  private async addDiscovered(found: DiscoveredDevice[]): Promise<DiscoveryResult> {
    const result: DiscoveryResult = { added: [], existing: [], unmatched: [], failed: [] };
    for (const d of found) {
      if (!d || typeof d.name !== 'string' || d.name === '' || d.protocols === null || typeof d.protocols !== 'object') {
        throw new EdgeXError('ContractInvalid', `discovered device ${JSON.stringify(d?.name)}: name and protocols are required`);
      }
      if (this.devices.has(d.name)) {
        result.existing.push(d.name);
        continue;
      }
      const watcher = matchingWatcher(d, this.watchers.values());
      if (!watcher) {
        result.unmatched.push(d.name);
        continue;
      }
      try {
        await (await this.metadata()).addDevice(deviceFromDiscovery(d, watcher, this.name));
        result.added.push(d.name);
        this.log.info({ device: d.name, watcher: watcher.name }, `discovered device ${d.name} added`);
      } catch (err) {
        if (err instanceof EdgeXError && err.kind === 'DuplicateName') result.existing.push(d.name);
        else result.failed.push({ name: d.name, error: (err as Error).message });
      }
    }
    if (result.failed.length) this.log.warn({ failed: result.failed }, 'core-metadata refused discovered devices');
    return result;
  }

  /** The client of core-metadata, resolved through the registry on first use (one, however many ask at once). */
  private metadata(): Promise<CoreMetadataApi> {
    this.metadataConnecting ??= this.connectMetadata().then(
      (client) => (this.metadataClient = client),
      (err: unknown) => {
        this.metadataConnecting = undefined; // not found in the registry yet: the next use asks again
        throw err;
      },
    );
    return this.metadataConnecting;
  }

  /**
   * A new client of core-metadata where the registry says it is: EdgeX's REST API (`Clients.core-metadata.Protocol`
   * http or https, the default, as EdgeX's device SDK) or our gRPC API (grpc).
   */
  private async connectMetadata(): Promise<CoreMetadataApi> {
    const ep = await this.runtime.registry.resolve('core-metadata');
    return coreMetadataClientFor(this.config.Clients['core-metadata']?.Protocol ?? 'http', ep);
  }

  /** Reads `sourceName` of a device now, as a GET command does, and returns the event (not published). */
  readNow(deviceName: string, sourceName: string): Promise<Event> {
    return this.commands.read(deviceName, sourceName);
  }

  /** LOCKED makes every command answer 423 and pauses auto-events (EdgeX device service adminState). */
  setServiceAdminState(state: 'LOCKED' | 'UNLOCKED'): void {
    if (state === this.serviceAdminState) return;
    this.log.info({ adminState: state }, `device service ${this.name} is ${state}`);
    this.serviceAdminState = state;
    void this.lifecycle.serial(async () => {
      if (this.serviceAdminState === 'LOCKED') await this.autoEvents.stopAll();
      else for (const d of this.devices.values()) await this.autoEvents.startDevice(d);
    });
  }

  /** Changes a device's adminState in the local cache (LOCKED: commands answer 423, auto-events pause). */
  setDeviceAdminState(deviceName: string, state: 'LOCKED' | 'UNLOCKED'): void {
    const d = this.devices.get(deviceName);
    if (d) this.devices.set(deviceName, { ...d, adminState: state });
  }

  /** The source a DOWN device is probed with: its first auto-event source, else its first readable resource. */
  private probeSource(deviceName: string): string | undefined {
    const d = this.devices.get(deviceName);
    if (!d) return undefined;
    if (d.autoEvents?.length) return d.autoEvents[0].sourceName;
    const p = this.profiles.get(d.profileName);
    return p?.deviceResources.find((r) => (r.properties.readWrite ?? 'R').includes('R'))?.name;
  }

  /** Records a new operating state locally and (in the background) in core-metadata. */
  private setOperatingState(deviceName: string, state: OperatingState): void {
    const d = this.devices.get(deviceName);
    if (!d) return;
    this.devices.set(deviceName, { ...d, operatingState: state });
    if (this.abort.signal.aborted) return;
    void (async () => {
      try {
        // This service is the validator: asking it to validate its own report would only add a round trip
        // that fails exactly when it is busiest.
        await (await this.metadata()).updateDevice({ name: deviceName, operatingState: state }, undefined, { bypassValidation: true });
      } catch (err) {
        this.log.warn({ device: deviceName, state, err: (err as Error).message }, 'could not update operatingState in core-metadata');
      }
    })();
  }

  /** The bus topic of an event: `<prefix>/events/device/<service>/<profile>/<device>/<source>`. */
  eventTopic(event: Event): string {
    const prefix = this.runtime.bus?.prefix ?? this.config.MessageBus.BaseTopicPrefix;
    const names = [this.name, event.profileName, event.deviceName, event.sourceName].map((n) => topicLevel(n, this.config.Service.EnableNameFieldEscape));
    return [prefix, 'events', 'device', ...names].join('/');
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

  private startProvisioning(profiles: DeviceProfile[], devices: Device[], watchers: ProvisionWatcher[]): Promise<ProvisionResult | undefined> {
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
      watchers,
      log: this.log,
      signal: this.abort.signal,
      connect: () => this.connectMetadata(),
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
        this.health.close();
        await this.discovery.stop();
        await this.autoEvents.stopAll();
        await this.publisher.close();
        await this.provisioning;
        try {
          await this.driver.stop(false);
        } catch (err) {
          this.log.error({ err: (err as Error).message }, 'driver stop failed');
        }
        this.metadataClient?.close();
      })();
    }
    return this.stopping;
  }
}

/** A Go duration string, or a number of seconds (EdgeX writes DeviceDownTimeout in seconds). */
function durationMs(v: string | number): number {
  return typeof v === 'number' ? v * 1000 : parseDuration(v);
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
