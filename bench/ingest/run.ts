// Ingest benchmark: readings/s into core-data (SQLite) through the gRPC client stream and through the
// MQTT message bus, and the all-in-one's resident memory idle and under that load.
// Runs the compiled all-in-one (npm run build first) as a child process on EdgeX's ports.
//   npm run bench:ingest                      (BENCH_GRPC_EVENTS, BENCH_BUS_EVENTS, BENCH_READINGS change the load)
import * as grpc from '@grpc/grpc-js';
import { coredataV1, eventToProto, type Event } from '@edgex-ts/contracts';
import { encodeEnvelope, newEnvelope } from '@edgex-ts/runtime';
import mqtt from 'mqtt';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { allInOneNodeFlags } from '../../test/helpers/start-command.js';

const GRPC_EVENTS = Number(process.env.BENCH_GRPC_EVENTS ?? 20_000);
const BUS_EVENTS = Number(process.env.BENCH_BUS_EVENTS ?? 10_000);
const READINGS_PER_EVENT = Number(process.env.BENCH_READINGS ?? 10);
const CORE_DATA = 'http://127.0.0.1:59880/api/v3';
const GRPC_ADDRESS = '127.0.0.1:49880';
const BROKER_PORT = Number(process.env.BENCH_BROKER_PORT ?? 1883);

interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}
const figures: Figure[] = [];
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Samples a process's RSS every 100 ms while `work` runs; returns the peak in MB. */
async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = rssMb(pid);
  const timer = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 100);
  try {
    const result = await work();
    return { result, peakMb: Math.max(peakMb, rssMb(pid)) };
  } finally {
    clearInterval(timer);
  }
}

async function getJson(path: string): Promise<any> {
  const res = await fetch(`${CORE_DATA}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

async function readingCount(device: string): Promise<number> {
  return (await getJson(`/reading/count/device/name/${device}`)).count as number;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An EdgeX v3 event of READINGS_PER_EVENT Float64 readings (JSON shape; eventToProto gives the gRPC one). */
function makeJsonEvent(device: string, seq: number): Event {
  const origin = Date.now() * 1_000_000 + (seq % 1_000_000);
  return {
    apiVersion: 'v3',
    id: randomUUID(),
    deviceName: device,
    profileName: 'bench-profile',
    sourceName: 'bench-source',
    origin,
    readings: Array.from({ length: READINGS_PER_EVENT }, (_, i) => ({
      id: randomUUID(),
      origin,
      deviceName: device,
      resourceName: `r${i}`,
      profileName: 'bench-profile',
      valueType: 'Float64',
      units: 'C',
      value: (20 + Math.random()).toExponential(6),
    })),
  };
}

/**
 * A process that counts the events core-data re-publishes for `device` on edgex/events/core/#, as an app
 * service would receive them (an MQTT client outside the all-in-one, QoS 1).
 */
async function coreEventSubscriber(device: string, expected: number): Promise<{ done: Promise<number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/ingest/core-subscriber.ts'), String(BROKER_PORT), device, String(expected)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit');
  const next = () =>
    new Promise<string>((resolveLine, reject) => {
      lines.once('line', resolveLine);
      void exited.then(([code]) => reject(new Error(`the subscriber process exited with ${code}`)));
    });
  if ((await next()) !== 'subscribed') throw new Error('the subscriber process did not subscribe');
  return { done: next().then((line) => Number(/^received (\d+)$/.exec(line)?.[1] ?? NaN)) };
}

async function benchGrpcStream(pid: number, withSubscriber = false): Promise<void> {
  const device = `bench-grpc-${Date.now()}`;
  const suffix = withSubscriber ? '_with_core_subscriber' : '';
  const subscriber = withSubscriber ? await coreEventSubscriber(device, GRPC_EVENTS) : undefined;
  // Encoded before the clock starts, as the bus load is: on a 2-core machine the client shares the CPU with
  // the server, and the figure is the server's ingest rate. The server decodes and checks every message.
  const requests = Array.from({ length: GRPC_EVENTS }, (_, i) =>
    Buffer.from(coredataV1.StreamEventsRequest.encode({ event: eventToProto(makeJsonEvent(device, i)), serviceName: 'bench' }).finish()),
  );
  const client = new grpc.Client(GRPC_ADDRESS, grpc.credentials.createInsecure());
  log(`gRPC stream: ${GRPC_EVENTS} events x ${READINGS_PER_EVENT} readings${withSubscriber ? ', an MQTT client subscribed to edgex/events/core/#' : ''}`);
  const { result: seconds, peakMb } = await peakRssDuring(pid, async () => {
    const started = process.hrtime.bigint();
    const summary = new Promise<coredataV1.StreamEventsResponse>((resolve, reject) => {
      const stream = client.makeClientStreamRequest(
        '/edgex.coredata.v1.CoreDataService/StreamEvents',
        (encoded: Buffer) => encoded,
        (reply: Buffer) => coredataV1.StreamEventsResponse.decode(reply),
        (err, res) => (err ? reject(err) : resolve(res!)),
      );
      (async () => {
        for (const request of requests) {
          if (!stream.write(request)) await once(stream, 'drain');
        }
        stream.end();
      })().catch(reject);
    });
    const res = await summary;
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (Number(res.acceptedReadings) !== GRPC_EVENTS * READINGS_PER_EVENT) {
      throw new Error(`stream summary accepted ${res.acceptedReadings} readings, sent ${GRPC_EVENTS * READINGS_PER_EVENT}`);
    }
    return elapsed;
  });
  client.close();
  const stored = await readingCount(device);
  if (stored !== GRPC_EVENTS * READINGS_PER_EVENT) {
    throw new Error(`gRPC stream: ${stored} readings queryable, ${GRPC_EVENTS * READINGS_PER_EVENT} accepted`);
  }
  // The ingest target is for core-data alone; with a consumer process on the same cores it is measured for the record.
  const ingestTarget = withSubscriber ? undefined : '>= 100000';
  figures.push({ name: `grpc_stream_ingest${suffix}`, value: (GRPC_EVENTS * READINGS_PER_EVENT) / seconds, unit: 'readings/s', target: ingestTarget });
  figures.push({ name: `grpc_stream_all_queryable${suffix}`, value: stored, unit: 'readings' });
  figures.push({ name: `rss_peak_grpc_load${suffix}`, value: peakMb, unit: 'MB', target: '< 150' });
  if (subscriber) figures.push({ name: 'core_events_received', value: await subscriber.done, unit: 'events' });
}

async function benchBus(pid: number): Promise<void> {
  const device = `bench-bus-${Date.now()}`;
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${BROKER_PORT}`, { clientId: `bench-${randomUUID()}` });
  log(`bus: ${BUS_EVENTS} events x ${READINGS_PER_EVENT} readings (QoS 1)`);
  const topic = `edgex/events/device/bench/bench-profile/${device}/bench-source`;
  const payloads = Array.from({ length: BUS_EVENTS }, (_, i) =>
    encodeEnvelope(newEnvelope({ apiVersion: 'v3', requestId: randomUUID(), event: makeJsonEvent(device, i) }), 'base64'),
  );
  const expected = BUS_EVENTS * READINGS_PER_EVENT;
  const { result: seconds, peakMb } = await peakRssDuring(pid, async () => {
    const started = process.hrtime.bigint();
    await Promise.all(payloads.map((p) => client.publishAsync(topic, p, { qos: 1 })));
    await until(`${expected} bus readings in core-data`, async () => (await readingCount(device)) >= expected, 300_000);
    return Number(process.hrtime.bigint() - started) / 1e9;
  });
  await client.endAsync();
  const stored = await readingCount(device);
  if (stored !== expected) throw new Error(`bus: ${stored} readings stored, ${expected} published`);
  figures.push({ name: 'bus_ingest', value: expected / seconds, unit: 'readings/s', target: '>= 50000' });
  figures.push({ name: 'bus_all_queryable', value: stored, unit: 'readings' });
  figures.push({ name: 'rss_peak_bus_load', value: peakMb, unit: 'MB', target: '< 150' });
}

/**
 * Milliseconds this process takes for a fixed single-threaded workload (JSON + SHA-256): the machine's
 * speed at that moment, printed beside the figures (on a shared VM it drifts by tens of percent).
 */
function cpuProbeMs(): number {
  const data = Buffer.alloc(1 << 20, 7);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 200_000; i++) JSON.stringify({ a: i, b: String(i), c: [i, i + 1] });
  for (let i = 0; i < 50; i++) createHash('sha256').update(data).digest();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'edgex-bench-'));
  const entry = resolve('suite/dist/all-in-one.js');
  log(`starting the all-in-one (${entry}), data in ${dataDir}`);
  // BENCH_NODE_ARGS passes flags to the all-in-one, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = [...allInOneNodeFlags(), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  log(`node flags: ${nodeArgs.join(' ') || '(none)'}`);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...process.env, EDGEX_DATA_DIR: dataDir, EDGEX_BROKER_PORT: String(BROKER_PORT), WRITABLE_LOGLEVEL: 'WARN' },
    stdio: ['ignore', process.env.BENCH_CHILD_STDOUT ? 'inherit' : 'ignore', 'pipe'],
  });
  const exited = once(child, 'exit');
  // Measured once every service has started: services still starting would take CPU from the first phase.
  let startupOutput = '';
  let up = false;
  const allUp = new Promise<void>((resolveUp, rejectUp) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      if (up) return;
      startupOutput += chunk.toString();
      up = startupOutput.includes('all-in-one is up');
      if (up) resolveUp();
    });
    void exited.then(() => rejectUp(new Error('the all-in-one exited while starting')));
  });
  try {
    await Promise.race([allUp, new Promise((_, reject) => setTimeout(() => reject(new Error('the all-in-one was not up within 60 s')), 60_000).unref())]);
    await until('core-data ping', async () => (await fetch(`${CORE_DATA}/ping`)).ok, 30_000);
    await until('first virtual readings', async () => (await getJson('/reading/count')).count > 0, 30_000);
    figures.push({ name: 'rss_idle', value: rssMb(child.pid!), unit: 'MB', target: '< 150' });
    figures.push({ name: 'cpu_probe_before', value: cpuProbeMs(), unit: 'ms' });
    await benchGrpcStream(child.pid!);
    await benchBus(child.pid!);
    // With a consumer of the re-published events (none in 1 and 2: the all-in-one then encodes none).
    await benchGrpcStream(child.pid!, true);
    figures.push({ name: 'rss_after_load', value: rssMb(child.pid!), unit: 'MB', target: '< 150' });
    figures.push({ name: 'cpu_probe_after', value: cpuProbeMs(), unit: 'ms' });
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('\ningest benchmark (all-in-one, SQLite, events of %d readings)', READINGS_PER_EVENT);
  for (const f of figures) {
    const value = f.unit === 'MB' ? f.value.toFixed(1) : Math.round(f.value).toString();
    console.log(`  ${f.name.padEnd(42)} ${value.padStart(10)} ${f.unit.padEnd(11)} ${f.target ? `target ${f.target}` : ''}`);
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
