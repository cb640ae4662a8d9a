import { createRequire } from 'node:module';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { Registry as PromRegistry } from 'prom-client';
import { setUpBackends, type RegistryType } from './backends.js';
import { connectMessageBus, type MessageBus } from './bus/index.js';
import type { CommonConfig } from './config-schema.js';
import { EdgeXError, parseDuration } from './contracts.js';
import { errorMessage } from '@edgex-ts/contracts';
import { GrpcServer } from './grpc.js';
import { createLogger, setLogLevel } from './log.js';
import { shippableLogDestination, startLogShipping, type LogShipper } from './log-shipping.js';
import { StopSignals } from './main.js';
import { createMetricsRegistry } from './metrics.js';
import type { Registry } from './registry.js';
import { createRestApp, finishRestApp } from './rest-app.js';
import type { ConfigWatcher, WritableChange, WritableListener } from './writable.js';

export interface ServiceRuntime<C extends CommonConfig = CommonConfig> {
  readonly name: string;
  readonly config: C;
  readonly log: Logger;
  readonly metrics: PromRegistry;
  readonly rest: Express;
  readonly grpc: grpc.Server;
  readonly bus: MessageBus | undefined;
  readonly registry: Registry;
  /** 'consul' when Registry.Type is consul (CONSUL_HTTP_ADDR), 'static' (Clients), 'custom' (opts.registry). */
  readonly registryType: RegistryType;
  /** Watches the Writable keys in Consul KV; undefined unless the configuration lives there. */
  readonly configWatcher: ConfigWatcher | undefined;
  /**
   * Called after Writable keys changed at run time (Consul KV). `config.Writable` already holds the new
   * values (the object is updated in place); Writable.LogLevel is applied to `log` before listeners run.
   */
  onWritableChange(fn: WritableListener): void;
  addGrpcService(def: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation, protoFullName: string): void;
  onStop(fn: () => Promise<void> | void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly restPort: number;
  readonly grpcPort: number;
}

/**
 * The options every `start<Service>(options)` takes (each service may add its own: a device service its driver).
 * Config is layered defaults < file < Consul KV < environment < `configOverrides`.
 */
export interface StartServiceOptions<ConfigInput = Record<string, unknown>> {
  /** Highest-precedence config (tests, the all-in-one), EdgeX PascalCase keys. */
  configOverrides?: ConfigInput;
  /** Config file (default: `--config`/`-c` in argv, else EDGEX_CONFIG_FILE). */
  file?: string;
  /** Command line (default: the process's). */
  argv?: string[];
  /** Environment (default: the process's). */
  env?: NodeJS.ProcessEnv;
  /** SIGTERM/SIGINT stop the service and exit the process; a process started through {@link runMain} leaves it off. */
  handleSignals?: boolean;
  /** Defaults to Consul when Registry.Type is consul (CONSUL_HTTP_ADDR), else the static registry built from `Clients`. */
  registry?: Registry;
  /** Defaults to a pino logger on stdout at Writable.LogLevel. */
  log?: Logger;
}

/** What every `start<Service>()` hands its caller: its name and config, the ports it actually listens on, its runtime, and stop(). */
export interface RunningServiceHandle<C extends CommonConfig> {
  readonly name: string;
  readonly config: C;
  readonly restPort: number;
  readonly grpcPort: number;
  readonly runtime: ServiceRuntime<C>;
  stop(): Promise<void>;
}

/** The handle of a started service, with its own `extras` (e.g. its domain) beside the runtime's. */
export function runningServiceHandle<C extends CommonConfig, T extends object>(runtime: ServiceRuntime<C>, extras: T): RunningServiceHandle<C> & T {
  const handle: RunningServiceHandle<C> = {
    name: runtime.name,
    config: runtime.config,
    get restPort() {
      return runtime.restPort;
    },
    get grpcPort() {
      return runtime.grpcPort;
    },
    runtime,
    stop: () => runtime.stop(),
  };
  return Object.assign(handle, extras);
}

/**
 * The one way a service starts: a runtime for `config` with the caller's options (registry, log, signals), then
 * `wire` mounts the service on it (stores, domain, routes) and calls runtime.start(); its result joins the handle.
 * When wiring fails the runtime stops (what `wire` registered with onStop closes) and the error is rethrown.
 */
export async function startService<C extends CommonConfig, T extends object>(
  name: string,
  config: C,
  options: Pick<StartServiceOptions<unknown>, 'handleSignals' | 'registry' | 'log'>,
  wire: (runtime: ServiceRuntime<C>) => Promise<T>,
): Promise<RunningServiceHandle<C> & T> {
  const runtime = await createServiceRuntime({ name, config, handleSignals: options.handleSignals, registry: options.registry, log: options.log });
  try {
    return runningServiceHandle(runtime, await wire(runtime));
  } catch (err) {
    await runtime.stop().catch(() => undefined);
    throw err;
  }
}

/** The edgex-ts release (the SDK's package version): what a service reports on /version unless told otherwise. */
export const EDGEX_TS_VERSION: string = (createRequire(import.meta.url)('@edgex-ts/runtime/package.json') as { version: string }).version;

export interface CreateServiceRuntimeOptions<C extends CommonConfig> {
  name: string;
  /** Reported on GET /api/v3/version (default: EDGEX_TS_VERSION). */
  version?: string;
  /** Reported as `sdk_version` on GET /api/v3/version, for services built on an SDK (the device SDK sets it). */
  sdkVersion?: string;
  config: C;
  /** SIGTERM/SIGINT → stop() then exit, as {@link runMain} does (for a process that does not start through it). */
  handleSignals?: boolean;
  /** Defaults to a pino logger on stdout with level Writable.LogLevel. */
  log?: Logger;
  /** Defaults to ConsulRegistry when Registry.Type is consul (CONSUL_HTTP_ADDR), else StaticRegistry(config.Clients). */
  registry?: Registry;
}

/** Creates the runtime and, unless MessageBus.Disabled, connects the message bus (so handlers can subscribe before start). */
export async function createServiceRuntime<C extends CommonConfig>(opts: CreateServiceRuntimeOptions<C>): Promise<ServiceRuntime<C>> {
  const logDestination = opts.log ? undefined : shippableLogDestination(opts.name, opts.config);
  const log = opts.log ?? createLogger(opts.name, opts.config.Writable.LogLevel, logDestination);
  const writable = new WritableHub(log);
  // Consul KV (when configured) is read before anything else uses the config, the bus settings included.
  const backends = await setUpBackends(opts.name, opts.config, log, opts.registry, (c) => writable.emit(c));
  const metrics = createMetricsRegistry(opts.name);
  const shipper =
    logDestination && startLogShipping({ service: opts.name, config: opts.config, destination: logDestination, registry: backends.registry, metrics });
  let bus: MessageBus | undefined;
  if (!opts.config.MessageBus.Disabled) {
    const clientId = opts.config.MessageBus.Optional.ClientId || opts.name;
    try {
      bus = await connectMessageBus(opts.config.MessageBus, log, clientId, metrics);
    } catch (err) {
      await shipper?.close(); // no runtime will stop it: send what it holds (the failure's lines too) and end its timer
      throw err;
    }
  }
  const rt = new Runtime<C>(opts, log, metrics, bus, backends.registry, backends.registryType, backends.watcher, writable);
  rt.logShipper = shipper;
  backends.watcher?.start();
  if (opts.handleSignals) rt.installSignalHandlers();
  return rt;
}

/** Fans Writable changes out to listeners, after applying the log level. */
class WritableHub {
  private readonly listeners: WritableListener[] = [];

  constructor(private readonly log: Logger) {}

  add(fn: WritableListener): void {
    this.listeners.push(fn);
  }

  emit(changes: WritableChange[]): void {
    const level = changes.find((c) => c.key === 'Writable.LogLevel');
    if (level) setLogLevel(this.log, String(level.newValue));
    for (const fn of this.listeners) {
      Promise.resolve()
        .then(() => fn(changes))
        .catch((err: unknown) => this.log.error({ err }, 'Writable change listener failed'));
    }
  }
}

type State = 'created' | 'starting' | 'started' | 'stopping' | 'stopped';

class Runtime<C extends CommonConfig> implements ServiceRuntime<C> {
  readonly name: string;
  readonly config: C;
  readonly rest: Express;
  private readonly grpcServer: GrpcServer;
  private httpServer: HttpServer | undefined;
  private readonly stopHooks: (() => Promise<void> | void)[] = [];
  private state: State = 'created';
  private stopping: Promise<void> | undefined;
  private actualRestPort = 0;
  private actualGrpcPort = 0;
  private removeSignalHandlers: (() => void) | undefined;
  /** Ships log lines to support-logging (Logging.EnableRemoteLogging); flushed after the last line of stop(). */
  logShipper: LogShipper | undefined;

  constructor(
    opts: CreateServiceRuntimeOptions<C>,
    readonly log: Logger,
    readonly metrics: PromRegistry,
    readonly bus: MessageBus | undefined,
    readonly registry: Registry,
    readonly registryType: RegistryType,
    readonly configWatcher: ConfigWatcher | undefined,
    private readonly writable: WritableHub,
  ) {
    this.name = opts.name;
    this.config = opts.config;
    this.rest = createRestApp({
      name: opts.name,
      version: opts.version ?? EDGEX_TS_VERSION,
      sdkVersion: opts.sdkVersion,
      config: opts.config,
      log,
      metrics,
      maxRequestSizeKb: opts.config.Service.MaxRequestSize,
      storeSecret: configWatcher ? (name, data) => configWatcher.storeInsecureSecret(name, data) : undefined,
    });
    this.grpcServer = new GrpcServer({
      'grpc.max_receive_message_length': opts.config.Service.MaxRequestSize * 1024,
    });
  }

  get grpc(): grpc.Server {
    return this.grpcServer.server;
  }

  get restPort(): number {
    return this.actualRestPort;
  }

  get grpcPort(): number {
    return this.actualGrpcPort;
  }

  addGrpcService(def: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation, protoFullName: string): void {
    this.grpcServer.addService(def, impl, protoFullName);
  }

  onWritableChange(fn: WritableListener): void {
    this.writable.add(fn);
  }

  onStop(fn: () => Promise<void> | void): void {
    this.stopHooks.push(fn);
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new EdgeXError('StatusConflict', `${this.name}: start() called twice (state ${this.state})`);
    this.state = 'starting';
    const svc = this.config.Service;
    try {
      finishRestApp(this.rest);
      this.actualRestPort = await this.listenRest(svc.ServerBindAddr, svc.Port);
      this.grpcServer.addStandardServices();
      try {
        this.actualGrpcPort = await this.grpcServer.bind(svc.ServerBindAddr, svc.GrpcPort);
      } catch (err) {
        throw new EdgeXError(
          'ServiceUnavailable',
          `${this.name}: cannot listen for gRPC on ${svc.ServerBindAddr}:${svc.GrpcPort} (Service.GrpcPort): ${errorMessage(err)}${
            svc.GrpcPort !== 0 ? ' — is the port already in use?' : ''
          }`,
          err,
        );
      }
      await this.registry.register({
        name: this.name,
        host: svc.Host,
        restPort: this.actualRestPort,
        grpcPort: this.actualGrpcPort,
      });
      this.grpcServer.setServing(true);
      this.state = 'started';
      this.log.info({ rest: `http://${svc.Host}:${this.actualRestPort}`, grpc: `${svc.Host}:${this.actualGrpcPort}` }, `${this.name} listening`);
    } catch (err) {
      this.state = 'started';
      await this.stop().catch(() => undefined);
      throw err;
    }
  }

  private listenRest(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = this.rest.listen(port, host);
      const onError = (err: NodeJS.ErrnoException) => {
        server.close();
        const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use` : err.message;
        reject(new EdgeXError('ServiceUnavailable', `${this.name}: cannot listen for REST on ${host}:${port} (Service.Port): ${why}`, err));
      };
      server.once('error', onError);
      server.once('listening', () => {
        server.removeListener('error', onError);
        server.on('error', (err) => this.log.error({ err }, 'REST server error'));
        this.httpServer = server;
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const wasStarted = this.state === 'started' || this.state === 'starting';
    this.state = 'stopping';
    this.removeSignalHandlers?.();
    const deadlineMs = parseDuration(this.config.Service.ShutdownTimeout);
    const errors: unknown[] = [];
    const attempt = async (what: string, fn: () => Promise<void> | void) => {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
        this.log.error({ err }, `stop: ${what} failed`);
      }
    };
    this.grpcServer.setServing(false);
    this.configWatcher?.stop();
    if (wasStarted) await attempt('registry deregister', () => this.registry.deregister());
    await Promise.all([
      attempt('REST server close', () => this.closeRest(deadlineMs)),
      attempt('gRPC server shutdown', () => this.grpcServer.shutdown(deadlineMs)),
    ]);
    for (const hook of [...this.stopHooks].reverse()) await attempt('onStop hook', hook);
    if (this.bus) await attempt('message bus close', () => this.bus!.close());
    this.state = 'stopped';
    this.log.info(`${this.name} stopped`);
    await this.logShipper?.close();
    if (errors.length > 0) throw errors[0];
  }

  private closeRest(deadlineMs: number): Promise<void> {
    const server = this.httpServer;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
    });
  }

  installSignalHandlers(): void {
    const signals = new StopSignals(this.name);
    signals.started(() => this.stop());
    this.removeSignalHandlers = () => signals.remove();
  }
}
