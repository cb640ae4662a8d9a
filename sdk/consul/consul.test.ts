// Consul as registry and configuration provider, against a real Consul agent (-dev) started by the test.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { startConsul, type ConsulAgent } from '../../test/helpers/consul.js';
import { freePort } from '../../test/helpers/ports.js';
import { startNode, type RunningProcess } from '../../test/helpers/process.js';
import { waitFor } from '../../test/helpers/wait.js';
import { commonConfigSchema, ConfigError, loadConfig } from '@edgex-ts/runtime';
import { createConsulClient } from './client.js';
import { ConsulRegistry } from './registry.js';
import { EdgeXError } from '@edgex-ts/contracts';
import { createLogger } from '@edgex-ts/runtime';
import { StaticRegistry } from '@edgex-ts/runtime';
import { createServiceRuntime, type ServiceRuntime } from '@edgex-ts/runtime';
import type { WritableChange } from '@edgex-ts/runtime';
import { WritableWatcher } from './writable-watch.js';

const silent = pino({ level: 'silent' });
const repo = resolve(import.meta.dirname, '../..');

let consul: ConsulAgent;
before(async () => {
  consul = await startConsul();
});
after(() => consul?.stop());

let unique = 0;
const serviceName = (base: string) => `${base}-${process.pid}-${++unique}`;

interface Check {
  CheckID: string;
  Status: 'passing' | 'warning' | 'critical';
  ServiceName: string;
}
const checksOf = (name: string) => consul.api<Check[]>(`/health/checks/${encodeURIComponent(name)}`);
const putKv = (key: string, value: string) => consul.api(`/kv/${key}`, { method: 'PUT', body: value });
const allStatus = async (name: string, status: Check['Status']) => {
  const checks = await checksOf(name);
  return checks.length === 2 && checks.every((c) => c.Status === status);
};

/** Lines a logger writes, parsed. */
function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, dest };
}

function consulConfig(name: string, env: NodeJS.ProcessEnv = {}) {
  return loadConfig({
    service: name,
    schema: commonConfigSchema,
    argv: [],
    env: { CONSUL_HTTP_ADDR: consul.addr, REGISTRY_CHECKINTERVAL: '1s', REGISTRY_RESOLVECACHETTL: '100ms', ...env },
    overrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '1s' },
      MessageBus: { Disabled: true },
    },
  });
}

describe('Consul registry', () => {
  test('CONSUL_HTTP_ADDR alone makes a service register with Consul; both checks pass; stop deregisters', async () => {
    const name = serviceName('svc');
    const rt = await createServiceRuntime({ name, config: consulConfig(name), log: silent });
    assert.equal(rt.registryType, 'consul');
    assert.ok(rt.registry instanceof ConsulRegistry);
    await rt.start();
    try {
      await waitFor('both checks passing', () => allStatus(name, 'passing'));
      const checks = await checksOf(name);
      assert.deepEqual(checks.map((c) => c.CheckID.split(':').pop()).sort(), ['grpc', 'http']);
      const catalog = await consul.api<{ ServicePort: number; ServiceMeta: Record<string, string> }[]>(`/catalog/service/${name}`);
      assert.equal(catalog.length, 1);
      assert.equal(catalog[0].ServicePort, rt.restPort);
      assert.equal(catalog[0].ServiceMeta.grpcPort, String(rt.grpcPort));
    } finally {
      await rt.stop();
    }
    assert.deepEqual(await consul.api(`/catalog/service/${name}`), []);
  });

  test('an instance that goes unhealthy stops being chosen', async () => {
    const name = serviceName('beta');
    const healthy = await createServiceRuntime({ name, config: consulConfig(name), log: silent });
    await healthy.start();
    // A second instance whose servers stop without deregistering (a crash, as Consul sees it).
    const doomedConfig = consulConfig(name);
    const doomed = await createServiceRuntime({ name, config: doomedConfig, log: silent, registry: new StaticRegistry({}) });
    await doomed.start();
    const doomedReg = new ConsulRegistry(await createConsulClient(doomedConfig.Registry, {}), doomedConfig.Registry, silent);
    await doomedReg.register({ name, host: '127.0.0.1', restPort: doomed.restPort, grpcPort: doomed.grpcPort });
    const resolver = new ConsulRegistry(await createConsulClient(doomedConfig.Registry, {}), doomedConfig.Registry, silent);
    try {
      const seen = new Set<number>();
      await waitFor('both instances chosen', async () => {
        seen.add((await resolver.resolve(name)).restPort);
        return seen.size === 2;
      });
      await doomed.stop();
      await waitFor('the stopped instance critical', async () => (await checksOf(name)).filter((c) => c.Status === 'critical').length === 2);
      await waitFor('cache expiry', async () => (await resolver.resolve(name)).restPort === healthy.restPort);
      for (let i = 0; i < 6; i++) assert.equal((await resolver.resolve(name)).restPort, healthy.restPort);
      await healthy.stop();
      await waitFor('ServiceUnavailable when only failing instances remain', async () => {
        try {
          await resolver.resolve(name);
          return false;
        } catch (err) {
          return err instanceof EdgeXError && err.kind === 'ServiceUnavailable';
        }
      });
    } finally {
      await healthy.stop();
      await doomed.stop();
      await doomedReg.deregister();
    }
  });

  test('a killed service process turns critical within the check interval, and passes again when restarted', async () => {
    const [port, grpcPort] = await Promise.all([freePort(), freePort()]);
    const name = 'core-metadata';
    const env = {
      CONSUL_HTTP_ADDR: consul.addr,
      REGISTRY_CHECKINTERVAL: '1s',
      REGISTRY_CONFIGSTEM: `edgex-ts-kill-${process.pid}`,
      SERVICE_HOST: '127.0.0.1',
      SERVICE_SERVERBINDADDR: '127.0.0.1',
      SERVICE_PORT: String(port),
      SERVICE_GRPCPORT: String(grpcPort),
      MESSAGEBUS_DISABLED: 'true',
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'edgex-ts-consul-kill-')), 'core-metadata.db'),
    };
    const args = ['--conditions=@edgex-ts/source', '--import', 'tsx', join(repo, 'services/core-metadata/src/main.ts')];
    let proc: RunningProcess = startNode(args, env);
    try {
      await waitFor('core-metadata passing in Consul', () => allStatus(name, 'passing'), { timeoutMs: 30_000 });
      proc.child.kill('SIGKILL');
      await proc.stop();
      const killedAt = Date.now();
      await waitFor('checks critical after the kill', () => allStatus(name, 'critical'), { timeoutMs: 5_000, intervalMs: 50 });
      const tookMs = Date.now() - killedAt;
      assert.ok(tookMs < 3_000, `critical after ${tookMs} ms (interval 1s)`);
      proc = startNode(args, env);
      await waitFor('passing again after restart', () => allStatus(name, 'passing'), { timeoutMs: 30_000 });
      const catalog = await consul.api<unknown[]>(`/catalog/service/${name}`);
      assert.equal(catalog.length, 1, 'the restarted instance re-uses its registration');
    } finally {
      await proc.stop();
      await waitFor('deregistered on SIGTERM', async () => (await checksOf(name)).length === 0);
    }
  });
});

describe('Consul KV configuration', () => {
  let runtimes: ServiceRuntime[] = [];
  const start = async (name: string, env: NodeJS.ProcessEnv = {}, log?: ReturnType<typeof createLogger>) => {
    const rt = await createServiceRuntime({ name, config: consulConfig(name, env), log: log ?? pino({ level: 'silent' }) });
    runtimes.push(rt);
    await rt.start();
    return rt;
  };
  after(async () => {
    await Promise.all(runtimes.map((r) => r.stop()));
    runtimes = [];
  });

  test('the first start seeds edgex-ts/<service>/ with the defaults (no secrets); later starts read it', async () => {
    const name = serviceName('seed');
    const first = await start(name);
    const items = await consul.api<{ Key: string; Value: string }[]>(`/kv/edgex-ts/${name}/?recurse=true`);
    const kv = Object.fromEntries(items.map((i) => [i.Key.slice(`edgex-ts/${name}/`.length), i.Value ? Buffer.from(i.Value, 'base64').toString() : '']));
    assert.equal(kv['Writable/LogLevel'], 'INFO');
    assert.equal(kv['Service/MaxResultCount'], '1024');
    assert.equal(kv['MessageBus/Optional/Qos'], '1');
    assert.ok(!Object.keys(kv).some((k) => /Password/.test(k)), 'no password in KV');
    await first.stop();

    await putKv(`edgex-ts/${name}/Service/MaxResultCount`, '77');
    await putKv(`edgex-ts/${name}/Writable/LogLevel`, 'debug');
    const second = await start(name);
    assert.equal(second.config.Service.MaxResultCount, 77);
    assert.equal(second.config.Writable.LogLevel, 'DEBUG');
    assert.equal(second.log.level, 'debug');
    await second.stop();

    // Environment beats Consul.
    const third = await start(name, { SERVICE_MAXRESULTCOUNT: '5' });
    assert.equal(third.config.Service.MaxResultCount, 5);
  });

  test('an invalid value in KV at start stops the service with a message naming the key', async () => {
    const name = serviceName('badstart');
    await putKv(`edgex-ts/${name}/Service/MaxResultCount`, 'lots');
    await assert.rejects(createServiceRuntime({ name, config: consulConfig(name), log: silent }), (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err));
      assert.match(err.message, new RegExp(`Service.MaxResultCount = "lots" \\(from consul edgex-ts/${name}/Service/MaxResultCount\\): expected a number`));
      return true;
    });
  });

  test('Writable.LogLevel changed in KV applies to the running service within seconds; invalid values are rejected', async () => {
    const name = serviceName('hot');
    const { lines, dest } = captureLog();
    const changes: WritableChange[][] = [];
    const rt = await start(name, {}, createLogger(name, 'INFO', dest));
    rt.onWritableChange((c) => void changes.push(c));
    assert.ok(rt.configWatcher, 'watcher running');
    const config = rt.config;
    const writable = config.Writable;

    rt.log.debug('before');
    await putKv(`edgex-ts/${name}/Writable/LogLevel`, 'DEBUG');
    await waitFor('log level DEBUG', () => rt.log.level === 'debug', { timeoutMs: 5_000 });
    rt.log.debug('after');
    // Only this test's own lines: the runtime logs requests (Consul's health checks among them) at debug too.
    assert.deepEqual(
      lines.filter((l) => l.level === 20 && (l.msg === 'before' || l.msg === 'after')).map((l) => l.msg),
      ['after'],
    );
    assert.equal(writable.LogLevel, 'DEBUG', 'the same Writable object is updated in place');
    await waitFor('listener called', () => changes.length === 1);
    assert.deepEqual(
      changes[0].map((c) => [c.key, c.oldValue, c.newValue]),
      [['Writable.LogLevel', 'INFO', 'DEBUG']],
    );

    await putKv(`edgex-ts/${name}/Writable/LogLevel`, 'LOUD');
    const rejected = await waitFor('rejection logged', () =>
      lines.find((l) => typeof l.msg === 'string' && l.msg.includes(`edgex-ts/${name}/Writable/LogLevel`) && l.level === 50),
    );
    assert.match(String(rejected.msg), /Writable\.LogLevel = "LOUD".*keeping "DEBUG"/);
    assert.equal(rt.config.Writable.LogLevel, 'DEBUG');
    assert.equal(rt.log.level, 'debug');

    await putKv(`edgex-ts/${name}/Writable/LogLevel`, 'warn');
    await waitFor('log level WARN', () => rt.log.level === 'warn', { timeoutMs: 5_000 });
    assert.equal(rt.config.Writable.LogLevel, 'WARN');
  });

  test('POST /api/v3/secret keeps the secret in Writable/InsecureSecrets in KV; the running service takes it up', async () => {
    const name = serviceName('secret');
    const rt = await start(name);
    const res = await fetch(`http://127.0.0.1:${rt.restPort}/api/v3/secret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v3',
        secretName: 'broker',
        secretData: [
          { key: 'username', value: 'gateway-7' },
          { key: 'password', value: 's3cret' },
        ],
      }),
    });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { apiVersion: 'v3', statusCode: 201 });

    const items = await consul.api<{ Key: string; Value: string }[]>(`/kv/edgex-ts/${name}/Writable/InsecureSecrets/?recurse=true`);
    assert.deepEqual(
      Object.fromEntries(items.map((i) => [i.Key.slice(`edgex-ts/${name}/Writable/InsecureSecrets/`.length), Buffer.from(i.Value, 'base64').toString()])),
      { 'broker/SecretName': 'broker', 'broker/SecretData/username': 'gateway-7', 'broker/SecretData/password': 's3cret' },
    );
    const secret = await waitFor('the secret in the running config', () => rt.config.Writable.InsecureSecrets['broker']);
    await waitFor('both keys applied', () => Object.keys(secret.SecretData).length === 2);
    assert.deepEqual(secret, { SecretName: 'broker', SecretData: { username: 'gateway-7', password: 's3cret' } });
    // GET /config does not show it.
    const shown = (await (await fetch(`http://127.0.0.1:${rt.restPort}/api/v3/config`)).json()) as { config: { Writable: { InsecureSecrets: unknown } } };
    assert.deepEqual(shown.config.Writable.InsecureSecrets, { broker: { SecretName: '*****', SecretData: { username: 'gateway-7', password: '*****' } } });
  });

  test('a Writable key set in the environment wins over a change in KV', async () => {
    const name = serviceName('envwins');
    const { lines, dest } = captureLog();
    const rt = await start(name, { WRITABLE_LOGLEVEL: 'ERROR' }, createLogger(name, 'ERROR', dest));
    assert.equal(rt.log.level, 'error');
    // What the watcher does with a snapshot of the Writable folder holding a changed LogLevel:
    const logged = lines.length;
    assert.ok(rt.configWatcher instanceof WritableWatcher);
    const applied = rt.configWatcher.apply([{ Key: `edgex-ts/${name}/Writable/LogLevel`, Value: 'DEBUG' }]);
    assert.deepEqual(applied, []);
    assert.equal(lines.length, logged, 'the warning is below the ERROR level');
    assert.equal(rt.config.Writable.LogLevel, 'ERROR');
    assert.equal(rt.log.level, 'error');
  });
});
