// The distributed suite for the command benchmark: Mosquitto, then core-metadata, core-data, core-command and
// device-modbus, each its own Node process running the compiled service (services/<name>/dist/main.js) with
// its config from the environment, as a container would run it. Devices come from a devices file that
// device-modbus provisions into core-metadata.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../test/helpers/ports.js';
import { startNode, type RunningProcess } from '../../test/helpers/process.js';
import { waitFor } from '../../test/helpers/wait.js';
import { startMosquitto, type MosquittoBroker } from '../../test/helpers/mosquitto.js';

export const SERVICES = ['core-metadata', 'core-data', 'core-command', 'device-modbus'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const PROFILE_NAME = 'Bench-Modbus-Profile';

/** Counter: input register 1 (Uint16); Temperature: input register 0, raw INT16 × 0.1. */
const PROFILE = {
  name: PROFILE_NAME,
  manufacturer: 'edgex-ts',
  model: 'bench',
  labels: [],
  deviceResources: [
    {
      name: 'Counter',
      isHidden: false,
      attributes: { primaryTable: 'INPUT_REGISTERS', startingAddress: 1 },
      properties: { valueType: 'Uint16', readWrite: 'R' },
    },
    {
      name: 'Temperature',
      isHidden: false,
      attributes: { primaryTable: 'INPUT_REGISTERS', startingAddress: 0, rawType: 'INT16' },
      properties: { valueType: 'Float32', readWrite: 'R', scale: 0.1 },
    },
    {
      name: 'SetPoint',
      isHidden: false,
      attributes: { primaryTable: 'HOLDING_REGISTERS', startingAddress: 0 },
      properties: { valueType: 'Int16', readWrite: 'RW' },
    },
  ],
  deviceCommands: [],
};

export interface BenchDevice {
  name: string;
  port: number;
  unitId: number;
  /** Auto-event interval on Counter, e.g. '1s'; none when undefined. */
  autoEventInterval?: string;
}

export interface Stack {
  broker: MosquittoBroker;
  rest: Record<ServiceName, string>;
  pids: Record<ServiceName, number>;
  stop(): Promise<void>;
}

export interface StackOptions {
  devices: BenchDevice[];
  /** Extra node flags per service, e.g. { 'device-modbus': ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] }. */
  nodeArgs?: Partial<Record<ServiceName, string[]>>;
  /** Extra environment per service (its config, e.g. { 'core-command': { METADATACACHE_TTL: '0s' } }). */
  env?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
  /** Mosquitto's set_tcp_nodelay (see test/helpers/mosquitto.ts). */
  brokerTcpNoDelay: boolean;
  log: (msg: string) => void;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'edgex-bench-command-'));
  const profilesDir = join(dir, 'profiles');
  const devicesDir = join(dir, 'devices');
  mkdirSync(profilesDir);
  mkdirSync(devicesDir);
  writeFileSync(join(profilesDir, 'bench.json'), JSON.stringify(PROFILE));
  writeFileSync(
    join(devicesDir, 'bench.json'),
    JSON.stringify(
      opts.devices.map((d) => ({
        name: d.name,
        profileName: PROFILE_NAME,
        protocols: { 'modbus-tcp': { Address: '127.0.0.1', Port: String(d.port), UnitID: String(d.unitId), Timeout: '5', IdleTimeout: '60' } },
        autoEvents: d.autoEventInterval ? [{ interval: d.autoEventInterval, onChange: false, sourceName: 'Counter' }] : [],
      })),
    ),
  );

  const broker = await startMosquitto({ tcpNoDelay: opts.brokerTcpNoDelay });
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, { rest: await freePort(), grpc: await freePort() }]))) as Record<
    ServiceName,
    { rest: number; grpc: number }
  >;
  const common = {
    MESSAGEBUS_HOST: '127.0.0.1',
    MESSAGEBUS_PORT: String(broker.port),
    CLIENTS_CORE_METADATA_HOST: '127.0.0.1',
    CLIENTS_CORE_METADATA_PORT: String(ports['core-metadata'].rest),
    CLIENTS_CORE_METADATA_GRPCPORT: String(ports['core-metadata'].grpc),
    CLIENTS_CORE_DATA_HOST: '127.0.0.1',
    CLIENTS_CORE_DATA_PORT: String(ports['core-data'].rest),
    CLIENTS_CORE_DATA_GRPCPORT: String(ports['core-data'].grpc),
    WRITABLE_LOGLEVEL: 'WARN',
    SERVICE_HOST: '127.0.0.1',
  };
  const running: RunningProcess[] = [];
  const pids = {} as Record<ServiceName, number>;
  const rest = {} as Record<ServiceName, string>;
  const stop = async () => {
    for (const p of running.reverse()) await p.stop();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const s of SERVICES) {
      const env: NodeJS.ProcessEnv = {
        ...common,
        SERVICE_PORT: String(ports[s].rest),
        SERVICE_GRPCPORT: String(ports[s].grpc),
        DATABASE_PATH: join(dir, `${s}.db`),
        ...opts.env?.[s],
      };
      if (s === 'device-modbus') Object.assign(env, { DEVICE_PROFILESDIR: profilesDir, DEVICE_DEVICESDIR: devicesDir });
      const proc = startNode([...(opts.nodeArgs?.[s] ?? []), resolve(`services/${s}/dist/main.js`)], env);
      running.push(proc);
      pids[s] = proc.child.pid!;
      rest[s] = `http://127.0.0.1:${ports[s].rest}/api/v3`;
      await waitFor(`${s} ping`, async () => (await fetch(`${rest[s]}/ping`)).ok, { timeoutMs: 30_000, intervalMs: 100 }).catch((err: Error) => {
        throw new Error(`${err.message}\n${proc.output()}`);
      });
    }
    opts.log(`provisioning ${opts.devices.length} devices into core-metadata`);
    await waitFor(
      `${opts.devices.length} devices provisioned into core-metadata`,
      async () => {
        const r = await fetch(`${rest['core-metadata']}/device/service/name/device-modbus?limit=1`);
        return r.ok && ((await r.json()) as { totalCount: number }).totalCount >= opts.devices.length;
      },
      { timeoutMs: 300_000, intervalMs: 250 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { broker, rest, pids, stop };
}
