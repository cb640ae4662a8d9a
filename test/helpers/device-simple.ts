// EdgeX's own example device service, `device-simple` from device-sdk-go (Go), run against our services.
// scripts/install-test-servers.sh edgex builds it and keeps its res/ folder beside the binary's cache.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findServerBinary, testServerBinDir } from './server-binary.js';
import { waitFor } from './wait.js';
import { errorMessage } from '@edgex-ts/contracts';

export interface DeviceSimpleOptions {
  brokerPort: number;
  /** core-metadata's REST port: the Go SDK reaches core-metadata over EdgeX's REST API only. */
  metadataPort: number;
  /** device-simple's own REST port. */
  port: number;
  /** Rewrites the shipped device file (res/devices/simple-device.yml) before start, e.g. shorter auto-event intervals. */
  editDevices?: (yaml: string) => string;
  /** Rewrites its own configuration (res/configuration.yaml) before start. */
  editConfiguration?: (yaml: string) => string;
  /** EdgeX's `Service.EnableNameFieldEscape` for every service (the common configuration): every name escaped in topics and paths. */
  enableNameFieldEscape?: boolean;
}

export interface DeviceSimple {
  port: number;
  /** Its REST base, `http://127.0.0.1:<port>/api/v3`. */
  base: string;
  /** Everything it logged so far (for assertion messages). */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The folder holding the res/ that came with the cached binary (profiles, devices, provision watchers). */
function shippedRes(): string {
  return join(testServerBinDir(), '..', 'device-simple', 'res');
}

/**
 * EdgeX 3/4 services without a configuration provider read the settings every service shares from a common
 * configuration file (`-cc`): the message bus, core-metadata's address and the device-service defaults.
 * Written here with the keys of EdgeX's core-common-config-bootstrapper.
 */
function commonConfig(opts: DeviceSimpleOptions): string {
  return `all-services:
  Writable:
    LogLevel: DEBUG
    InsecureSecrets: {}
    Telemetry:
      Interval: "0s"
  Service:
    EnableNameFieldEscape: ${opts.enableNameFieldEscape ?? false}
    HealthCheckInterval: "10s"
    ServerBindAddr: ""
    MaxResultCount: 1024
    MaxRequestSize: 0
    RequestTimeout: "5s"
    CORSConfiguration:
      EnableCORS: false
  Registry:
    Host: "localhost"
    Port: 59890
    Type: "keeper"
  Database:
    Host: "localhost"
    Port: 5432
    Timeout: "5s"
    Type: "postgres"
  MessageBus:
    Protocol: "tcp"
    Host: "127.0.0.1"
    Port: ${opts.brokerPort}
    Type: "mqtt"
    AuthMode: "none"
    SecretName: ""
    BaseTopicPrefix: "edgex"
    Optional:
      Qos: "1"
      KeepAlive: "10"
      Retained: "false"
      AutoReconnect: "true"
      ConnectTimeout: "5"
      SkipCertVerify: "false"
device-services:
  MaxEventSize: 0
  Writable:
    Reading:
      ReadingUnits: true
    Telemetry:
      Metrics:
        EventsSent: false
        ReadingsSent: false
  Clients:
    core-metadata:
      Protocol: "http"
      Host: "127.0.0.1"
      Port: ${opts.metadataPort}
  Device:
    DataTransform: true
    MaxCmdOps: 128
    MaxCmdValueLen: 256
    ProfilesDir: "./res/profiles"
    DevicesDir: "./res/devices"
    EnableAsyncReadings: true
    AsyncBufferSize: 16
    Labels: []
    Discovery:
      Enabled: false
      Interval: "30s"
`;
}

/**
 * Starts device-simple in a scratch folder holding a copy of its res/ and a common configuration, with no
 * registry, configuration provider or secret store (`EDGEX_SECURITY_SECRET_STORE=false`), and waits until it
 * answers its ping. It registers itself and its profiles, devices and provision watcher with core-metadata
 * while starting; whether that worked is for the caller to check (it exits when it cannot).
 */
export async function startDeviceSimple(opts: DeviceSimpleOptions): Promise<DeviceSimple> {
  const binary = findServerBinary('device-simple', 'EDGEX_TS_DEVICE_SIMPLE');
  const dir = mkdtempSync(join(tmpdir(), 'device-simple-'));
  cpSync(shippedRes(), join(dir, 'res'), { recursive: true });
  const edit = (file: string, change: ((yaml: string) => string) | undefined) => {
    if (change) writeFileSync(file, change(readFileSync(file, 'utf8')));
  };
  edit(join(dir, 'res', 'devices', 'simple-device.yml'), opts.editDevices);
  edit(join(dir, 'res', 'configuration.yaml'), opts.editConfiguration);
  writeFileSync(join(dir, 'common.yaml'), commonConfig(opts));

  const child = spawn(binary, ['-cc', 'common.yaml'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      EDGEX_SECURITY_SECRET_STORE: 'false',
      SERVICE_HOST: '127.0.0.1',
      SERVICE_PORT: String(opts.port),
      // Its DEBUG lines say when it has finished work that has no other visible end (e.g. a discovered batch).
      WRITABLE_LOGLEVEL: 'DEBUG',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = once(child, 'exit');
  const base = `http://127.0.0.1:${opts.port}/api/v3`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const [code] = await exited;
    rmSync(dir, { recursive: true, force: true });
    return code as number | null;
  };
  try {
    // The SDK answers its ping before bootstrapping ends; its start-up message is logged once all of it worked.
    const state = await waitFor('device-simple to start', () => (child.exitCode !== null ? 'exited' : out.includes('device simple started') && 'started'), {
      timeoutMs: 30_000,
    });
    if (state === 'exited') throw new Error(`device-simple exited with ${child.exitCode} while starting`);
  } catch (err) {
    await stop();
    throw new Error(`${errorMessage(err)}\n--- device-simple output ---\n${out}`);
  }
  return { port: opts.port, base, output: () => out, stop };
}
