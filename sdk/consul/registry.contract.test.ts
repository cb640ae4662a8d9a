// The registry contract: one set of tests, run against every Registry implementation (static, Consul).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { startConsul, type ConsulAgent } from '../../test/helpers/consul.js';
import { waitFor } from '../../test/helpers/wait.js';
import { commonConfigSchema, loadConfig } from '@edgex-ts/runtime';
import { createConsulClient } from './client.js';
import { ConsulRegistry } from './registry.js';
import { EdgeXError } from '@edgex-ts/contracts';
import type { Registry, ServiceEndpoint } from '@edgex-ts/runtime';
import { StaticRegistry } from '@edgex-ts/runtime';
import { createServiceRuntime, type ServiceRuntime } from '@edgex-ts/runtime';

const silent = pino({ level: 'silent' });

interface RegistryFixture {
  name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** The registry a service would build that statically knows `peers` (only the static one uses them). */
  create(peers: Record<string, ServiceEndpoint>): Promise<Registry>;
}

const staticFixture: RegistryFixture = {
  name: 'StaticRegistry',
  setUp: async () => undefined,
  tearDown: async () => undefined,
  create: async (peers) =>
    new StaticRegistry(Object.fromEntries(Object.entries(peers).map(([n, e]) => [n, { Host: e.host, Port: e.restPort, GrpcPort: e.grpcPort }]))),
};

function consulFixture(): RegistryFixture {
  let agent: ConsulAgent | undefined;
  return {
    name: 'ConsulRegistry',
    async setUp() {
      agent = await startConsul();
    },
    async tearDown() {
      await agent?.stop();
    },
    async create() {
      const settings = registrySettings(agent!);
      return new ConsulRegistry(await createConsulClient(settings, {}), settings, silent);
    },
  };
}

function registrySettings(agent: ConsulAgent) {
  return loadConfig({
    service: 'contract',
    schema: commonConfigSchema,
    argv: [],
    env: { CONSUL_HTTP_ADDR: agent.addr, REGISTRY_CHECKINTERVAL: '1s', REGISTRY_RESOLVECACHETTL: '100ms' },
  }).Registry;
}

/** A real service (REST /api/v3/ping + gRPC health) on loopback that registers through `registry`. */
async function startPeer(name: string, registry: Registry): Promise<ServiceRuntime> {
  const config = loadConfig({
    service: name,
    schema: commonConfigSchema,
    argv: [],
    env: {},
    overrides: {
      Service: { Host: '127.0.0.1', ServerBindAddr: '127.0.0.1', Port: 0, GrpcPort: 0, ShutdownTimeout: '1s' },
      MessageBus: { Disabled: true },
    },
  });
  const rt = await createServiceRuntime({ name, config, registry, log: silent });
  await rt.start();
  return rt;
}

const endpointOf = (rt: ServiceRuntime): ServiceEndpoint => ({ host: '127.0.0.1', restPort: rt.restPort, grpcPort: rt.grpcPort });

async function rejectsWithKind(p: Promise<unknown>, kind: string): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (err) {
    return err instanceof EdgeXError && err.kind === kind;
  }
}

let unique = 0;
const serviceName = (base: string) => `${base}-${process.pid}-${++unique}`;

for (const fixture of [staticFixture, consulFixture()]) {
  describe(`registry contract: ${fixture.name}`, () => {
    before(() => fixture.setUp());
    after(() => fixture.tearDown());

    test('a registered service is found by name, with its host, REST port and gRPC port', async () => {
      const name = serviceName('alpha');
      const peer = await startPeer(name, await fixture.create({}));
      try {
        const other = await fixture.create({ [name]: endpointOf(peer) });
        const ep = await waitFor(`${name} to resolve`, () => other.resolve(name));
        assert.deepEqual(ep, endpointOf(peer));
      } finally {
        await peer.stop();
      }
    });

    test('an unknown service is NotFound', async () => {
      const reg = await fixture.create({});
      await assert.rejects(reg.resolve(serviceName('nobody')), (err: unknown) => {
        assert.ok(err instanceof EdgeXError, String(err));
        assert.equal(err.kind, 'NotFound');
        return true;
      });
    });

    test('a service resolves itself after register, not after deregister, and again after registering anew', async () => {
      const name = serviceName('gamma');
      const reg = await fixture.create({});
      const first = await startPeer(name, reg);
      assert.deepEqual(await waitFor('self to resolve', () => reg.resolve(name)), endpointOf(first));
      await first.stop();
      await waitFor('deregistered service to be NotFound', () => rejectsWithKind(reg.resolve(name), 'NotFound'));
      const second = await startPeer(name, reg);
      try {
        assert.deepEqual(await waitFor('re-registered service to resolve', () => reg.resolve(name)), endpointOf(second));
      } finally {
        await second.stop();
      }
    });

    test('deregister without register does nothing', async () => {
      await (await fixture.create({})).deregister();
    });
  });
}
