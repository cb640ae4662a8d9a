/**
 * The container images and the compose stacks, on a real Docker engine (started here when none runs).
 *
 * The images are built with the real Dockerfile by scripts/docker/build-images.sh --host-workspace (this
 * machine's installed and built workspace on a base image made from its own Node: no registry needed), and
 * Consul, MongoDB and Mosquitto are replaced by local stand-ins (scripts/docker/stand-in-images.sh) through
 * compose/docker-compose.standins.yml, which swaps image names only. Then:
 *   - compose/docker-compose.yml comes up healthy: device-virtual's readings are queryable through core-data's
 *     published port, every other service's log lines are in support-logging, every service passes its HTTP
 *     and gRPC checks, run by the Consul container, and stops cleanly on SIGTERM;
 *   - compose/docker-compose.embedded.yml (the all-in-one, SQLite in a volume, embedded broker) does too, and
 *     its readings outlive the container.
 * Host ports are free ones (every `${…_PORT:-…}` variable of the files); projects have names of their own and
 * are removed with their volumes. Skips only where no Docker engine can start.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { ComposeProject, ensureDockerEngine, runOk } from '../helpers/docker.js';
import { freePorts } from '../helpers/ports.js';
import { allInOneNodeFlags } from '../helpers/start-command.js';
import { waitFor } from '../helpers/wait.js';
import { errorMessage } from '@edgex-ts/contracts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COMPOSE_DIR = join(ROOT, 'compose');
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const THIRD_PARTY = ['consul', 'mongo', 'mosquitto'];

const services = readdirSync(join(ROOT, 'services'))
  .filter((name) => existsSync(join(ROOT, 'services', name, 'package.json')))
  .sort();

const engine = await ensureDockerEngine();
after(() => engine.stop());

/** Free host ports for every `${NAME_PORT:-default}` a compose file publishes, plus the bind address. */
async function portVariables(file: string): Promise<Record<string, string>> {
  const names = [...new Set([...readFileSync(join(COMPOSE_DIR, file), 'utf8').matchAll(/\$\{([A-Z0-9_]+_PORT):-\d+\}/g)].map((m) => m[1]))];
  const env: Record<string, string> = { EDGEX_BIND_ADDRESS: '127.0.0.1' };
  const ports = await freePorts(names.length);
  names.forEach((name, i) => (env[name] = String(ports[i])));
  return env;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface ComposeService {
  image: string;
  environment?: Record<string, string | null>;
}

/** The services of a resolved compose file (`config`: files merged, variables substituted). */
async function composeServices(project: ComposeProject): Promise<Record<string, ComposeService>> {
  return (YAML.parse(await project.runOk(['config'])) as { services: Record<string, ComposeService> }).services;
}

/** The image each service of a resolved compose file runs. */
async function composeImages(project: ComposeProject): Promise<Map<string, string>> {
  return new Map(Object.entries(await composeServices(project)).map(([name, svc]) => [name, svc.image]));
}

interface Reading {
  deviceName: string;
  resourceName: string;
}

/** Waits for readings of device-virtual's devices (as core-metadata lists them) through core-data. */
async function virtualReadings(coreData: number, coreMetadata: number): Promise<Reading[]> {
  const { devices } = await waitFor(
    'device-virtual provisioned in core-metadata',
    async () => {
      const r = await getJson<{ devices?: { name: string }[] }>(`http://127.0.0.1:${coreMetadata}/api/v3/device/service/name/device-virtual?limit=-1`);
      return (r.devices?.length ?? 0) > 0 && r;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  const names = new Set(devices!.map((d) => d.name));
  return waitFor(
    'readings of device-virtual through core-data',
    async () => {
      const r = await getJson<{ readings: Reading[] }>(`http://127.0.0.1:${coreData}/api/v3/reading/all?limit=50`);
      const ours = r.readings.filter((x) => names.has(x.deviceName));
      return ours.length > 0 && ours;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

/** Every service but support-logging itself ships its log lines there (found in Consul): each has entries. */
async function logsOfEveryService(supportLogging: number, names: string[]): Promise<void> {
  for (const name of names.filter((n) => n !== 'support-logging')) {
    await waitFor(
      `${name}'s log lines in support-logging`,
      async () => (await getJson<{ totalCount: number }>(`http://127.0.0.1:${supportLogging}/api/v3/log/all?service=${name}&limit=1`)).totalCount > 0,
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  }
}

/** `docker-compose stop` (SIGTERM) ends the services' containers cleanly: exit code 0, not killed after the timeout. */
async function stopsGracefully(project: ComposeProject, names: string[]): Promise<void> {
  await project.runOk(['stop', '--timeout', '20']);
  const states = (await project.containers()).filter((s) => names.includes(s.service));
  assert.deepEqual(
    states.map((s) => `${s.service} ${s.status} ${s.exitCode}`).sort(),
    names.map((n) => `${n} exited 0`).sort(),
    `the services stop on SIGTERM\n${await project.logs(names, 5)}`,
  );
}

describe('container images and compose stacks on a real Docker engine', { skip: engine.skip }, () => {
  const timings: string[] = [];

  before(async () => {
    let started = Date.now();
    await runOk('bash', [join(ROOT, 'scripts/docker/stand-in-images.sh')]);
    timings.push(`stand-in images ${Date.now() - started} ms`);
    started = Date.now();
    await runOk('bash', [join(ROOT, 'scripts/docker/build-images.sh'), '--host-workspace']);
    timings.push(`edgex-ts images ${Date.now() - started} ms`);
  });

  test('build-images.sh builds one image per folder in services/ and the all-in-one: non-root, health-checked, tagged with the suite version', async (t) => {
    t.diagnostic(`built: ${timings.join(', ')}`);
    const listed = (await runOk('bash', [join(ROOT, 'scripts/docker/build-images.sh'), '--list']))
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    assert.deepEqual(
      listed.map(([name]) => name),
      [...services, 'all-in-one'],
    );
    for (const [name, image] of listed) {
      assert.equal(image, `edgex-ts/${name}:${VERSION}`);
      const [config] = JSON.parse(await runOk('docker', ['image', 'inspect', image])) as {
        Config: { User: string; Healthcheck?: { Test: string[] }; Env: string[] };
      }[];
      assert.equal(config.Config.User, '10001:10001', `${image} runs as the unprivileged user`);
      assert.deepEqual(config.Config.Healthcheck?.Test, ['CMD', 'node', '/app/healthcheck.mjs'], `${image} has a health check`);
      if (name === 'all-in-one') {
        assert.ok(
          config.Config.Env.includes(`NODE_OPTIONS=${allInOneNodeFlags(ROOT).join(' ')}`),
          `${image} has the heap limits of npm start: ${config.Config.Env.join(' ')}`,
        );
      }
    }
  });

  test("docker-compose.yml: every service healthy, device-virtual readings through core-data, every service's log in support-logging, every service passing in Consul", async (t) => {
    const env = await portVariables('docker-compose.yml');
    const project = new ComposeProject(`edgexts${process.pid}dist`, COMPOSE_DIR, ['docker-compose.yml', 'docker-compose.standins.yml'], env);
    t.after(() => project.down());

    const images = await composeImages(project);
    assert.deepEqual(
      [...images.keys()].sort(),
      [...services, ...THIRD_PARTY].sort(),
      'one compose service per folder in services/, plus consul, mongo and mosquitto',
    );
    for (const s of services) assert.equal(images.get(s), `edgex-ts/${s}:${VERSION}`, `compose runs the image build-images.sh built for ${s}`);
    for (const s of THIRD_PARTY) assert.equal(images.get(s), `edgex-ts-standin/${s}:local`, `the override swaps ${s} for its stand-in`);
    // A Writable key in the environment would pin it: changes in Consul KV must stay effective.
    const composed = await composeServices(project);
    for (const s of services) {
      const pinned = Object.keys(composed[s].environment ?? {}).filter((k) => /^WRITABLE_?/i.test(k));
      assert.deepEqual(pinned, [], `${s} sets Writable keys in its environment`);
    }

    const started = Date.now();
    await project.runOk(['up', '-d', '--no-build']);
    await project.waitHealthy([...services, ...THIRD_PARTY]);
    t.diagnostic(`distributed stack healthy ${Date.now() - started} ms after up`);

    const readings = await virtualReadings(Number(env.CORE_DATA_PORT), Number(env.CORE_METADATA_PORT));
    assert.ok(readings.length > 0);
    await logsOfEveryService(Number(env.SUPPORT_LOGGING_PORT), services);
    const { config } = await getJson<{ config: { Database: { Type: string }; Registry: { Type: string } } }>(
      `http://127.0.0.1:${env.CORE_DATA_PORT}/api/v3/config`,
    );
    assert.equal(config.Database.Type, 'mongodb', 'core-data stores in MongoDB (MONGODB_URL)');
    assert.equal(config.Registry.Type, 'consul', 'core-data registers in Consul (CONSUL_HTTP_ADDR)');

    // The agent's own view: Status and Output of the checks its container ran (the catalog's Output lags).
    const consul = `http://127.0.0.1:${env.CONSUL_PORT}/v1/agent/checks`;
    type Check = { ServiceName: string; Status: string; Output: string; Type: string };
    const checks = await waitFor(
      'every service passing its HTTP and gRPC checks in Consul',
      async () => {
        const all = Object.values(await getJson<Record<string, Check>>(consul));
        const passedBoth = (s: string) =>
          all.some(
            (c) => c.ServiceName === s && c.Type === 'http' && c.Status === 'passing' && c.Output.includes(`http://${s}:`) && c.Output.includes('200 OK'),
          ) && all.some((c) => c.ServiceName === s && c.Type === 'grpc' && c.Status === 'passing' && c.Output.includes('success'));
        return services.every(passedBoth) && all;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    ).catch(async (err) => {
      throw new Error(`${errorMessage(err)}\n${JSON.stringify(await getJson(consul), null, 1)}`);
    });
    assert.deepEqual([...new Set(checks.map((c) => c.ServiceName))].sort(), services);

    await stopsGracefully(project, services);
  });

  test('docker-compose.embedded.yml: the all-in-one healthy, every service answering on its published port, readings through core-data, kept in the volume across a new container', async (t) => {
    const env = await portVariables('docker-compose.embedded.yml');
    const project = new ComposeProject(`edgexts${process.pid}embedded`, COMPOSE_DIR, ['docker-compose.embedded.yml'], env);
    t.after(() => project.down());

    const images = await composeImages(project);
    assert.deepEqual([...images.entries()], [['edgex', `edgex-ts/all-in-one:${VERSION}`]]);

    const started = Date.now();
    await project.runOk(['up', '-d', '--no-build']);
    await project.waitHealthy(['edgex']);
    t.diagnostic(`all-in-one healthy ${Date.now() - started} ms after up`);

    // Every service the all-in-one runs (the REST ports its health check pings) is published.
    const { ports } = JSON.parse(
      await project.runOk(['exec', '-T', 'edgex', 'node', '-p', "require('fs').readFileSync('/app/image/health.json', 'utf8')"]),
    ) as { ports: number[] };
    assert.ok(ports.length >= 4, `the all-in-one runs the core services and device-virtual: ${ports.join(', ')}`);
    for (const port of ports) {
      const hostPort = await project.port('edgex', port);
      const ping = await fetch(`http://127.0.0.1:${hostPort}/api/v3/ping`);
      assert.equal(ping.status, 200, `port ${port} (host ${hostPort}) answers /api/v3/ping`);
    }

    const readings = await virtualReadings(Number(env.CORE_DATA_PORT), Number(env.CORE_METADATA_PORT));
    assert.ok(readings.length > 0);
    const files = await project.runOk(['exec', '-T', 'edgex', 'node', '-p', "require('fs').readdirSync('/app/data').join(' ')"]);
    assert.match(files, /\bcore-data\.db\b/, `the SQLite files are in the data volume: ${files}`);
    assert.match(files, /\bcore-metadata\.db\b/);

    // The data outlives the container: a new container on the same volume still has the readings.
    const count = async () => (await getJson<{ count: number }>(`http://127.0.0.1:${env.CORE_DATA_PORT}/api/v3/reading/count`)).count;
    const before = await count();
    await stopsGracefully(project, ['edgex']);
    await project.runOk(['rm', '-f']);
    await project.runOk(['up', '-d', '--no-build']);
    await project.waitHealthy(['edgex']);
    const afterRecreate = await count();
    assert.ok(afterRecreate >= before, `readings after recreating the container: ${afterRecreate}, before: ${before}`);
  });

  test('the projects leave no containers, networks or volumes behind', async () => {
    const ours = (out: string) => out.split('\n').filter((p) => p.startsWith(`edgexts${process.pid}`));
    const label = '{{.Label "com.docker.compose.project"}}';
    assert.deepEqual(ours(await runOk('docker', ['ps', '-a', '--filter', 'label=com.docker.compose.project', '--format', label])), []);
    assert.deepEqual(ours(await runOk('docker', ['network', 'ls', '--filter', 'label=com.docker.compose.project', '--format', label])), []);
    assert.deepEqual(ours(await runOk('docker', ['volume', 'ls', '--filter', 'label=com.docker.compose.project', '--format', label])), []);
  });
});
