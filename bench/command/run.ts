// Command benchmark (EdgeX issue 4):
//  (a) round trip of GET commands REST → core-command → (bus) → device-modbus → pymodbus, sequential and concurrent;
//  (b) CPU of the services and readings/s with N Modbus devices polled by auto-events at 1 Hz.
// Every service is its own process running its compiled dist/ (npm run build first); Mosquitto and pymodbus are real.
//   npm run bench:command
// Load: BENCH_GETS (1000 sequential GETs), BENCH_CONCURRENCY (8), BENCH_CONCURRENT_GETS (2000), BENCH_DEVICES ("100,1000"),
// BENCH_DEVICES_PER_SERVER (100), BENCH_WARMUP_S (5), BENCH_WINDOW_S (20); BENCH_PARTS=a or b runs one part only.
// BENCH_PROFILE=device-modbus,core-command writes V8 CPU profiles of those services into BENCH_PROFILE_DIR (./bench-profiles).
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { startPymodbus, type PymodbusServer } from '../../test/helpers/pymodbus.js';
import { waitFor } from '../../test/helpers/wait.js';
import { cpuSeconds, systemTicks } from './proc.js';
import { SERVICES, startStack, type BenchDevice, type ServiceName, type Stack } from './stack.js';

const GETS = Number(process.env.BENCH_GETS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const CONCURRENT_GETS = Number(process.env.BENCH_CONCURRENT_GETS ?? 2000);
const DEVICE_COUNTS = (process.env.BENCH_DEVICES ?? '100,1000').split(',').filter(Boolean).map(Number);
const DEVICES_PER_SERVER = Number(process.env.BENCH_DEVICES_PER_SERVER ?? 100);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 5);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 20);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'a,b').split(','));
const PROFILED = new Set((process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean));
const PROFILE_DIR = resolve(process.env.BENCH_PROFILE_DIR ?? 'bench-profiles');
const CORES = cpus().length;

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface Figure {
  name: string;
  value: string;
  target?: string;
  note?: string;
}
const figures: Figure[] = [];
const figure = (name: string, value: string, target?: string, note?: string) => {
  figures.push({ name, value, target, note });
  log(`${name} = ${value}${note ? ` (${note})` : ''}`);
};

function nodeArgs(): Partial<Record<ServiceName, string[]>> {
  const out: Partial<Record<ServiceName, string[]>> = {};
  for (const s of PROFILED) out[s as ServiceName] = ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`];
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (v: number) => `${v.toFixed(2)} ms`;

/** One GET through core-command; throws unless 200 with the expected reading. */
async function getOnce(url: string): Promise<number> {
  const started = process.hrtime.bigint();
  const res = await fetch(url);
  const body = (await res.json()) as { event?: { readings: { value: string }[] }; message?: string };
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200 || body.event?.readings[0]?.value !== '42') throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body)}`);
  return elapsed;
}

function latencyFigures(label: string, samples: number[], seconds: number): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const note = `load ${load()}`;
  figure(`${label} p50`, ms(percentile(sorted, 50)), label.startsWith('sequential') ? '< 5 ms' : undefined, note);
  figure(`${label} p99`, ms(percentile(sorted, 99)), undefined, note);
  figure(`${label} max`, ms(sorted.at(-1)!), undefined, note);
  figure(`${label} throughput`, `${Math.round(samples.length / seconds)} GET/s`, undefined, note);
}

/** (a) with Mosquitto's Nagle setting `brokerTcpNoDelay` (its default is false). */
async function roundTrip(brokerTcpNoDelay: boolean): Promise<void> {
  const broker = `broker set_tcp_nodelay ${brokerTcpNoDelay}`;
  log(`(a) round trip, ${broker}`);
  const server = await startPymodbus({ ir: { 0: 0xffb5, 1: 42 } });
  const stack = await startStack({ devices: [{ name: 'Bench-Device', port: server.port, unitId: 1 }], nodeArgs: nodeArgs(), brokerTcpNoDelay, log });
  try {
    const url = `${stack.rest['core-command']}/device/name/Bench-Device/Counter`;
    await waitFor('Bench-Device through core-command', () => getOnce(url).then(() => true));
    for (let i = 0; i < 100; i++) await getOnce(url); // warm-up: JIT, connections
    log(`(a) ${GETS} sequential GETs`);
    let started = process.hrtime.bigint();
    const sequential: number[] = [];
    for (let i = 0; i < GETS; i++) sequential.push(await getOnce(url));
    latencyFigures(`sequential GET (${broker})`, sequential, Number(process.hrtime.bigint() - started) / 1e9);

    log(`(a) ${CONCURRENT_GETS} GETs, ${CONCURRENCY} at a time`);
    const concurrent: number[] = [];
    let next = 0;
    started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CONCURRENT_GETS) {
          next++;
          concurrent.push(await getOnce(url));
        }
      }),
    );
    latencyFigures(`${CONCURRENCY} concurrent GET (${broker})`, concurrent, Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    await stack.stop();
    await server.stop();
  }
}

async function readingCount(stack: Stack): Promise<number> {
  const r = await fetch(`${stack.rest['core-data']}/reading/count`);
  return ((await r.json()) as { count: number }).count;
}

async function polling(deviceCount: number): Promise<void> {
  const serverCount = Math.ceil(deviceCount / DEVICES_PER_SERVER);
  log(`(b) ${deviceCount} devices at 1 Hz on ${serverCount} pymodbus servers`);
  const servers: PymodbusServer[] = [];
  let stack: Stack | undefined;
  try {
    for (let i = 0; i < serverCount; i++) servers.push(await startPymodbus({ ir: { 0: 0xffb5, 1: 42 } }));
    const devices: BenchDevice[] = Array.from({ length: deviceCount }, (_, i) => ({
      name: `Bench-Poll-${String(i).padStart(4, '0')}`,
      port: servers[i % serverCount].port,
      unitId: (Math.floor(i / serverCount) % 247) + 1,
      autoEventInterval: '1s',
    }));
    stack = await startStack({ devices, nodeArgs: nodeArgs(), brokerTcpNoDelay: true, log });
    const s = stack;
    await waitFor('auto-event readings in core-data', async () => (await readingCount(s)) > 0, { timeoutMs: 60_000 });
    log(`warm-up ${WARMUP_S} s, then a ${WINDOW_S} s window`);
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));

    const pids: Record<string, number> = { ...s.pids, mosquitto: s.broker.pid };
    const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    const serversBefore = servers.map((srv) => cpuSeconds(srv.pid!));
    const readingsBefore = await readingCount(s);
    const sysBefore = systemTicks();
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const readingsAfter = await readingCount(s);
    const sysAfter = systemTicks();
    const pct = (cpuS: number) => (100 * cpuS) / seconds / CORES;

    const note = `load ${load()}; machine busy ${((100 * (sysAfter.busy - sysBefore.busy)) / (sysAfter.total - sysBefore.total)).toFixed(0)} %`;
    let servicesTotal = 0;
    for (const svc of SERVICES) {
      const used = cpuSeconds(pids[svc]) - cpuBefore[svc];
      servicesTotal += used;
      figure(`${deviceCount} devices: ${svc} CPU`, `${pct(used).toFixed(1)} % of ${CORES} cores`, undefined, note);
    }
    const mosquitto = cpuSeconds(pids.mosquitto) - cpuBefore.mosquitto;
    figure(`${deviceCount} devices: mosquitto CPU`, `${pct(mosquitto).toFixed(1)} % of ${CORES} cores`, undefined, note);
    figure(
      `${deviceCount} devices: services CPU total`,
      `${pct(servicesTotal).toFixed(1)} % of ${CORES} cores (${pct(servicesTotal + mosquitto).toFixed(1)} % with mosquitto)`,
      deviceCount >= 1000 ? '< 50 %' : undefined,
      note,
    );
    const serverCpu = servers.reduce((sum, srv, i) => sum + cpuSeconds(srv.pid!) - serversBefore[i], 0);
    figure(`${deviceCount} devices: pymodbus servers CPU`, `${pct(serverCpu).toFixed(1)} % of ${CORES} cores (${serverCount} processes)`, undefined, note);
    figure(
      `${deviceCount} devices: readings/s into core-data`,
      `${((readingsAfter - readingsBefore) / seconds).toFixed(0)} (expected ${deviceCount})`,
      undefined,
      note,
    );
  } finally {
    await stack?.stop();
    for (const srv of servers) await srv.stop();
  }
}

async function main(): Promise<void> {
  log(`${CORES} cores; load before start ${load()}`);
  if (PARTS.has('a')) {
    await roundTrip(false);
    await roundTrip(true);
  }
  if (PARTS.has('b')) for (const n of DEVICE_COUNTS) await polling(n);
  console.log('\ncommand benchmark (services as separate processes from dist/, Mosquitto, pymodbus; %d cores)', CORES);
  for (const f of figures) {
    console.log(`  ${f.name.padEnd(58)} ${f.value.padEnd(48)} ${(f.target ? `target ${f.target}` : '').padEnd(15)} [${f.note ?? ''}]`);
  }
  if (PROFILED.size) console.log(`\nCPU profiles of ${[...PROFILED].join(', ')} in ${PROFILE_DIR}`);
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
